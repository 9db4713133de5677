"""The demo's classifications, loaded over a small tree holding the demo's unit codes."""

import datetime as dt

import pytest

from grassroots.classifications.choices import Level, NotReviewed, StepKind
from grassroots.classifications.demo import load_demo
from grassroots.classifications.models import Classification, ClassificationStep, Review
from grassroots.classifications.selectors import review_quotas
from grassroots.organizations.choices import CellSubtype, UnitKind
from grassroots.organizations.services import unit_create

from .helpers import members_of

pytestmark = pytest.mark.django_db


def _unit(code, name, kind, parent, **extra):
    return unit_create(
        actor=None,
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        valid_from=dt.date(2015, 1, 1),
        **extra,
    )


def test_the_demo_classifies_2024_under_124_and_2025_under_366_with_the_quota_binding(tree):
    dong_mai = _unit("QNI-DMA", "Đảng bộ phường Đông Mai", UnitKind.GRASSROOTS, tree.province)
    bieu_nghi = _unit(
        "QNI-DMA-01",
        "Chi bộ khu dân cư Biểu Nghi",
        UnitKind.CELL,
        dong_mai,
        cell_subtype=CellSubtype.RESIDENTIAL,
    )
    muong_hum = _unit("LCA-MHU", "Đảng bộ xã Mường Hum", UnitKind.GRASSROOTS, tree.province)
    village = _unit(
        "LCA-MHU-01",
        "Chi bộ thôn Mường Hum",
        UnitKind.CELL,
        muong_hum,
        cell_subtype=CellSubtype.VILLAGE,
    )
    members_of(bieu_nghi, 6)
    members_of(village, 12, prefix="MH ")
    summary = load_demo(log=lambda line: None)
    assert summary.startswith("classifications: ")
    reviews = Review.objects.filter(unit__in=[dong_mai, muong_hum])
    assert sorted(reviews.values_list("year", "rule_set__code")) == [
        (2024, "124"),
        (2024, "124"),
        (2025, "366"),
        (2025, "366"),
    ]
    new = Classification.objects.get(member__full_name="Vũ Thị Thanh Hương", year=2025)
    assert new.not_reviewed == NotReviewed.NEW_MEMBER
    undecided = Classification.objects.filter(decided_level="", not_reviewed="", subject="member")
    assert not undecided.exists()
    steps = set(ClassificationStep.objects.values_list("kind", flat=True))
    assert {
        StepKind.SELF_REVIEW,
        StepKind.PROPOSAL,
        StepKind.DECISION,
        StepKind.PUBLICATION,
    } <= steps
    # The quota binds somewhere: an "excellent" proposal lowered, and no place left.
    lowered = ClassificationStep.objects.filter(
        kind=StepKind.DECISION, level=Level.WELL, note__startswith="Vượt"
    )
    assert lowered.exists()
    # Where a proposal was lowered, the quota's places are all used (in every scope of that
    # review and subject: which lowered row comes first depends on the database).
    quotas = [
        quota
        for step in lowered.select_related("classification__review")
        for quota in review_quotas(step.classification.review, step.classification.subject)
    ]
    assert any(q.left == 0 and q.over == 0 for q in quotas)
    assert all(q.over == 0 for q in quotas)
    assert "lowered by the quota" in summary
