"""The demo's feedback, loaded on a small Khánh Hội of its own (not a second full demo load)."""

import pytest

from grassroots.feedback.demo import KHANH_HOI_CODE, load_demo
from grassroots.feedback.models import Feedback
from grassroots.organizations.choices import CellSubtype, UnitKind
from grassroots.organizations.services import unit_create

pytestmark = pytest.mark.django_db


def test_khanh_hoi_gets_feedback_from_its_dialogue_meetings_some_answered_late(tree):
    commune = unit_create(
        actor=None,
        code=KHANH_HOI_CODE,
        name="Đảng bộ xã Khánh Hội",
        kind=UnitKind.GRASSROOTS,
        parent=tree.province,
        valid_from=tree.province.valid_from,
    )
    for i in range(1, 9):
        unit_create(
            actor=None,
            code=f"{KHANH_HOI_CODE}-{i:02d}",
            name=f"Chi bộ xóm {i}",
            kind=UnitKind.CELL,
            cell_subtype=CellSubtype.VILLAGE,
            parent=commune,
            valid_from=tree.province.valid_from,
        )
    lines = []
    summary = load_demo(log=lines.append)
    rows = Feedback.objects.filter(origin_unit=commune)
    assert rows.count() == 14 and rows.filter(channel="dialogue").count() >= 9
    late = [f for f in rows if f.answered_on and not f.answered_on_time]
    assert len(late) >= 2 and f"{len(late)} answered late" in summary
    assert rows.filter(status="escalated", unit=tree.province).exists()
    assert rows.filter(status__in=["received", "in_progress"]).exists()
    assert rows.exclude(satisfaction="").exists()
    assert rows.filter(place__parent=commune).exists()


def test_without_khanh_hoi_the_demo_says_so(tree):
    assert "not in the tree" in load_demo(log=lambda line: None)
    assert not Feedback.objects.exists()
