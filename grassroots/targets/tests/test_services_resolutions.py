"""Resolutions: recorded with their term, corrected, and ended under a decision."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grassroots.core.models import AuditEntry
from grassroots.targets import services
from grassroots.targets.choices import ResolutionKind, ResolutionStatus

from .core_helpers import counts, indicator, resolution, target


def test_a_congress_resolution_belongs_to_its_term_and_the_audit_names_the_actor(tree, manager_a):
    res = resolution(tree.commune_a, actor=manager_a)
    assert res.term.name == "2020–2025"
    assert res.status == ResolutionStatus.IN_FORCE
    entry = AuditEntry.objects.for_object(res).get()
    assert entry.action == "create" and entry.actor == manager_a
    assert entry.unit_path == tree.commune_a.path


def test_a_thematic_resolution_has_no_term(tree):
    res = resolution(tree.commune_a, kind=ResolutionKind.THEMATIC, number="05-NQ/ĐU")
    assert res.term is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"number": " "}, "number"),
        ({"title": ""}, "title"),
        ({"kind": "speech"}, "kind"),
        ({"issued_on": dt.date(2999, 1, 1)}, "issued_on"),
        ({"issued_on": dt.date(2010, 1, 1)}, "issued_on"),  # the commune did not exist yet
        ({"end_year": 2019}, "end_year"),
        ({"start_year": 1800}, "start_year"),
    ],
)
def test_a_resolution_with_a_wrong_field_is_refused_and_nothing_is_written(tree, changes, field):
    before = counts()
    with pytest.raises(ValidationError) as refused:
        resolution(tree.commune_a, **changes)
    assert field in refused.value.message_dict
    assert counts() == before


def test_the_same_number_on_the_same_day_is_refused_for_the_same_unit_only(tree):
    resolution(tree.commune_a)
    with pytest.raises(ValidationError) as refused:
        resolution(tree.commune_a)
    assert "number" in refused.value.message_dict
    assert resolution(tree.commune_b).unit == tree.commune_b


def test_years_outside_the_given_term_are_refused(tree):
    first = resolution(tree.commune_a)
    with pytest.raises(ValidationError) as refused:
        resolution(tree.commune_a, number="2-NQ/ĐU", term=first.term, end_year=2027)
    assert "term" in refused.value.message_dict


def test_a_correction_changes_the_fields_and_is_audited(tree, editor_a):
    res = resolution(tree.commune_a)
    services.resolution_update(
        actor=editor_a, resolution=res, title="Nghị quyết Đại hội lần thứ XX"
    )
    res.refresh_from_db()
    assert res.title == "Nghị quyết Đại hội lần thứ XX"
    entry = AuditEntry.objects.for_object(res).filter(action="update").get()
    assert entry.actor == editor_a and entry.after["title"] == res.title


def test_a_correction_cannot_change_the_status_nor_leave_targets_outside_the_years(tree):
    res = resolution(tree.commune_a)
    target(res, indicator("ECO-A"), target_year=2025)
    with pytest.raises(ValidationError) as refused:
        services.resolution_update(actor=None, resolution=res, status=ResolutionStatus.ENDED)
    assert "status" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.resolution_update(actor=None, resolution=res, end_year=2024)
    assert "end_year" in refused.value.message_dict


def test_a_resolution_ends_under_a_decision_that_is_kept(tree, manager_a):
    res = resolution(
        tree.commune_a,
        number="22-NQ/TU",
        issued_on=dt.date(2015, 11, 11),
        start_year=2015,
        end_year=2020,
        kind=ResolutionKind.THEMATIC,
    )
    services.resolution_end(
        actor=manager_a,
        resolution=res,
        status=ResolutionStatus.ENDED,
        ended_on=dt.date(2024, 5, 1),
        decision_number="150-QĐ/TU",
        decision_date=dt.date(2024, 4, 25),
        decision_issuer="Ban Thường vụ Tỉnh ủy",
    )
    res.refresh_from_db()
    assert (res.status, res.end_decision_number, res.end_decision_issuer) == (
        ResolutionStatus.ENDED,
        "150-QĐ/TU",
        "Ban Thường vụ Tỉnh ủy",
    )
    assert AuditEntry.objects.for_object(res).filter(action="update", actor=manager_a).exists()


def test_a_replaced_resolution_names_its_successor(tree):
    old = resolution(tree.commune_a, number="1-NQ/ĐU")
    new = resolution(tree.commune_a, number="2-NQ/ĐU", kind=ResolutionKind.PLAN)
    services.resolution_end(
        actor=None,
        resolution=old,
        status=ResolutionStatus.REPLACED,
        ended_on=dt.date(2023, 1, 1),
        decision_number="3-QĐ/ĐU",
        decision_date=dt.date(2022, 12, 20),
        decision_issuer="Đảng ủy xã",
        replaced_by=new,
    )
    old.refresh_from_db()
    assert old.replaced_by == new


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status": ResolutionStatus.IN_FORCE}, "status"),
        ({"status": ResolutionStatus.REPLACED}, "replaced_by"),
        ({"ended_on": dt.date(2019, 1, 1)}, "ended_on"),
        ({"decision_number": ""}, "decision_number"),
        ({"decision_issuer": ""}, "decision_issuer"),
        ({"decision_date": dt.date(2999, 1, 1)}, "decision_date"),
    ],
)
def test_an_ending_with_a_wrong_field_is_refused_and_nothing_is_written(tree, changes, field):
    res = resolution(tree.commune_a)
    arguments = dict(
        status=ResolutionStatus.ENDED,
        ended_on=dt.date(2023, 1, 1),
        decision_number="3-QĐ/ĐU",
        decision_date=dt.date(2022, 12, 20),
        decision_issuer="Đảng ủy xã",
    )
    arguments.update(changes)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        services.resolution_end(actor=None, resolution=res, **arguments)
    assert field in refused.value.message_dict
    assert counts() == before


@pytest.mark.parametrize("persona", ["editor_a", "viewer_a", "outsider"])
def test_only_a_manager_of_the_issuing_unit_ends_a_resolution(request, tree, persona):
    res = resolution(tree.commune_a)
    user = request.getfixturevalue(persona)
    before = counts()
    with pytest.raises(PermissionDenied):
        services.resolution_end(
            actor=user,
            resolution=res,
            status=ResolutionStatus.ENDED,
            ended_on=dt.date(2023, 1, 1),
            decision_number="3-QĐ/ĐU",
            decision_date=dt.date(2022, 12, 20),
            decision_issuer="Đảng ủy xã",
        )
    assert counts() == before
    res.refresh_from_db()
    assert res.status == ResolutionStatus.IN_FORCE


def test_an_ended_resolution_cannot_end_again(tree):
    res = resolution(tree.commune_a)
    arguments = dict(
        status=ResolutionStatus.ENDED,
        ended_on=dt.date(2023, 1, 1),
        decision_number="3-QĐ/ĐU",
        decision_date=dt.date(2022, 12, 20),
        decision_issuer="Đảng ủy xã",
    )
    services.resolution_end(actor=None, resolution=res, **arguments)
    with pytest.raises(ValidationError) as refused:
        services.resolution_end(actor=None, resolution=res, **arguments)
    assert "status" in refused.value.message_dict
