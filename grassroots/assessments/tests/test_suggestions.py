"""Scores other records suggest: the registry, the rounding to what a criterion takes, and the
member ledger's own suggester (members recognized as official on time)."""

import datetime as dt
from decimal import Decimal as D

from grassroots.assessments import services, suggestions
from grassroots.assessments.choices import Scoring
from grassroots.core.dates import add_months, add_working_days
from grassroots.members.services import member_recognize
from grassroots.members.tests.ledger_helpers import admit

from .helpers import make_framework


def _criterion(tree, scoring=Scoring.POINTS, suggester="recognitions_on_time"):
    framework = make_framework(tree, publish=False)
    group = framework.groups.get(code="1")
    return services.criterion_add(
        actor=None,
        group=group,
        code="1.2",
        text_vi="Công nhận đảng viên chính thức đúng hạn",
        max_points=4,
        scoring=scoring,
        suggester=suggester,
    )


def test_recognitions_on_time_is_the_share_recognized_by_their_deadline(tree):
    ceremony = dt.date(2021, 5, 19)
    end = add_months(ceremony, 12)
    deadline = add_working_days(end, 30)
    on_time = admit(tree.cell_a1, full_name="Lò Văn Một", ceremony_date=ceremony)
    late = admit(tree.cell_a1, full_name="Lò Văn Hai", ceremony_date=ceremony)
    admit(tree.cell_a1, full_name="Lò Văn Ba", ceremony_date=ceremony)  # not recognized
    admit(tree.cell_a2, full_name="Lò Văn Bốn", ceremony_date=ceremony)  # another cell
    member_recognize(actor=None, member=on_time, decision_date=end + dt.timedelta(days=3))
    member_recognize(actor=None, member=late, decision_date=deadline + dt.timedelta(days=1))

    share = suggestions.recognitions_on_time(tree.cell_a1, deadline.year, deadline.month)

    assert share == D(1) / D(3)
    later = add_months(deadline, 2)
    assert suggestions.recognitions_on_time(tree.cell_a1, later.year, later.month) is None


def test_suggested_points_scale_the_share_to_the_criterion_and_its_scoring(tree, monkeypatch):
    suggestions.register_suggester("half", "Half", lambda unit, year, month: D("0.5"))
    suggestions.register_suggester("none", "None", lambda unit, year, month: None)
    suggestions.register_suggester("broken", "Broken", lambda unit, year, month: 1 / 0)
    try:
        points = _criterion(tree, suggester="half")
        assert suggestions.suggested_points(points, tree.cell_a1, 2024, 1) == D("2.00")
        points.scoring = Scoring.YES_NO
        assert suggestions.suggested_points(points, tree.cell_a1, 2024, 1) == D(4)
        points.suggester = "none"
        assert suggestions.suggested_points(points, tree.cell_a1, 2024, 1) is None
        points.suggester = "broken"
        assert suggestions.suggested_points(points, tree.cell_a1, 2024, 1) is None
        points.suggester = ""
        assert suggestions.suggested_points(points, tree.cell_a1, 2024, 1) is None
    finally:
        for key in ("half", "none", "broken"):
            suggestions._registry.pop(key, None)


def test_the_member_ledgers_suggester_is_registered_at_startup():
    assert suggestions.is_known("recognitions_on_time")
    assert ("recognitions_on_time", str(suggestions._registry["recognitions_on_time"].label)) in (
        suggestions.suggester_choices()
    )
