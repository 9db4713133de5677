"""The rules of plans, inspections, conclusions and discipline, and every refusal: each writes
nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from grassroots.core.models import AuditEntry
from grassroots.inspections import services
from grassroots.inspections.models import InspectedMember, Inspection, OrganizationDiscipline
from grassroots.members.choices import EventKind, MemberStatus

from .helpers import DAY, admit_on, concluded, counts, inspection, item, plan


def refused(call, field: str) -> ValidationError:
    before = counts()
    with pytest.raises(ValidationError) as caught:
        call()
    assert field in caught.value.message_dict, caught.value.message_dict
    assert counts() == before
    return caught.value


def test_a_plan_with_an_item_is_recorded_and_audited(tree, manager_a):
    found = plan(tree.commune_a, body="commission", actor=manager_a)
    line = item(tree.commune_a, plan=found, planned_count=4, actor=manager_a)
    assert (found.year, found.body, line.planned_count) == (2023, "commission", 4)
    assert AuditEntry.objects.for_object(line).get().actor == manager_a


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"body": "commission", "unit": "cell_a1"}, "body"),
        ({"year": 1900}, "year"),
        ({"year": 2023, "adopted_on": dt.date(2021, 12, 1)}, "adopted_on"),
        ({"year": 2010}, "year"),  # before the tree existed
        ({"body": "nobody"}, "body"),
    ],
)
def test_plan_refusals_write_nothing(tree, overrides, field):
    unit = getattr(tree, overrides.pop("unit", "commune_a"))
    data = {"actor": None, "unit": unit, "body": "committee", "year": 2023, **overrides}
    refused(lambda: services.plan_create(**data), field)


def test_a_second_plan_of_the_same_body_and_year_is_refused(tree):
    plan(tree.commune_a)
    refused(lambda: plan(tree.commune_a), "year")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"planned_count": 0}, "planned_count"),
        ({"period_start": dt.date(2022, 12, 1)}, "period_start"),
        ({"period_start": dt.date(2023, 7, 1), "period_end": dt.date(2023, 6, 1)}, "period_end"),
        ({"kind": "supervision", "form": "signs"}, "form"),
        ({"form": "unscheduled"}, "form"),
        ({"subjects": "cats"}, "subjects"),
    ],
)
def test_plan_item_refusals_write_nothing(tree, overrides, field):
    found = plan(tree.commune_a)
    refused(lambda: item(tree.commune_a, plan=found, **overrides), field)


def test_an_inspection_of_units_and_members_of_the_subtree_is_recorded(tree, manager_a):
    member = admit_on(tree.cell_a1, day=dt.date(2020, 1, 6))
    line = item(tree.commune_a)
    found = inspection(
        tree.commune_a, units=[tree.cell_a1], members=[member], plan_item=line, actor=manager_a
    )
    assert found.is_planned
    assert [s.unit for s in found.subject_units.all()] == [tree.cell_a1]
    assert [s.member for s in found.subject_members.all()] == [member]
    assert AuditEntry.objects.for_object(found).get().actor == manager_a


def test_an_inspection_of_a_unit_outside_the_committees_subtree_is_refused(tree):
    error = refused(lambda: inspection(tree.commune_a, units=[tree.cell_b1]), "units")
    assert "Chi bộ thôn Đông" in error.message_dict["units"][0]


def test_an_inspection_of_a_member_outside_the_committees_subtree_is_refused(tree):
    stranger = admit_on(tree.cell_b1, "Vàng A Lạ", day=dt.date(2020, 1, 6))
    error = refused(lambda: inspection(tree.commune_a, members=[stranger]), "members")
    assert "Vàng A Lạ" in error.message_dict["members"][0]


def test_a_member_who_joined_the_subtree_after_the_inspection_began_is_refused(tree):
    late = admit_on(tree.cell_a1, day=dt.date(2023, 6, 1))
    refused(lambda: inspection(tree.commune_a, members=[late]), "members")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"units": []}, "units"),
        ({"units": ["commune_a"]}, "units"),  # its own organization: the level above inspects
        ({"content": "  "}, "content"),
        ({"start_date": dt.date(2099, 1, 1), "end_date": dt.date(2099, 1, 2)}, "start_date"),
        ({"end_date": DAY - dt.timedelta(days=1)}, "end_date"),
        ({"kind": "supervision", "form": "signs"}, "form"),
        ({"body": "commission", "unit": "cell_a1", "units": []}, "body"),
    ],
)
def test_inspection_refusals_write_nothing(tree, overrides, field):
    unit = getattr(tree, overrides.pop("unit", "commune_a"))
    units = [getattr(tree, u) for u in overrides.pop("units", ["cell_a1"])]
    if not units and field == "body":
        units = []
        member = admit_on(tree.cell_a1, day=dt.date(2020, 1, 6))
        overrides["members"] = [member]
    refused(lambda: inspection(unit, units=units, **overrides), field)


def test_an_inspection_must_match_its_plan_item(tree):
    line = item(tree.commune_a, subjects="organizations")
    other = item(tree.commune_b)
    member = admit_on(tree.cell_a1, day=dt.date(2020, 1, 6))
    cases = [
        (dict(plan_item=other, units=[tree.cell_a1]), "plan_item"),
        (dict(plan_item=line, units=[tree.cell_a1], kind="supervision"), "kind"),
        (dict(plan_item=line, units=[tree.cell_a1], form="thematic"), "form"),
        (dict(plan_item=line, members=[member]), "members"),
        (dict(plan_item=line, units=[tree.cell_a1], body="standing"), "body"),
        (
            dict(
                plan_item=line,
                units=[tree.cell_a1],
                start_date=dt.date(2022, 5, 1),
                end_date=dt.date(2022, 5, 3),
            ),
            "start_date",
        ),
    ]
    for overrides, field in cases:
        plan_item = overrides.pop("plan_item")
        kind = overrides.pop("kind", plan_item.kind)
        form = overrides.pop("form", plan_item.form)

        def call(plan_item=plan_item, kind=kind, form=form, overrides=overrides):
            return services.inspection_record(
                actor=None,
                unit=tree.commune_a,
                body=overrides.pop("body", "committee"),
                kind=kind,
                form=form,
                content="Nội dung",
                start_date=overrides.pop("start_date", DAY),
                end_date=overrides.pop("end_date", DAY),
                plan_item=plan_item,
                **overrides,
            )

        refused(call, field)


def test_a_discipline_proposal_without_a_conclusion_of_violation_is_refused(tree):
    found = inspection(tree.commune_a, units=[tree.cell_a1])
    subject = found.subject_units.get()
    for conclusion in ("", "no_violation"):
        refused(
            lambda c=conclusion: services.subject_conclude(
                actor=None, subject=subject, conclusion=c, proposed_discipline="warning"
            ),
            "proposed_discipline" if conclusion else "conclusion",
        )
    subject.refresh_from_db()
    assert (subject.conclusion, subject.proposed_discipline) == ("", "")


def test_conclusion_rules_on_gravity_supervision_and_probation(tree):
    member = admit_on(tree.cell_a1, day=dt.date(2022, 6, 1))  # still probationary in 2023
    found = inspection(tree.commune_a, members=[member])
    subject = found.subject_members.get()
    conclude = services.subject_conclude
    refused(lambda: conclude(actor=None, subject=subject, conclusion="violation"), "gravity")
    refused(
        lambda: conclude(actor=None, subject=subject, conclusion="no_violation", gravity="serious"),
        "gravity",
    )
    refused(
        lambda: conclude(
            actor=None,
            subject=subject,
            conclusion="violation",
            gravity="serious",
            proposed_discipline="expulsion",
        ),
        "proposed_discipline",
    )
    watched = inspection(tree.commune_a, members=[member], kind="supervision")
    refused(
        lambda: conclude(
            actor=None,
            subject=watched.subject_members.get(),
            conclusion="violation",
            gravity="minor",
            proposed_discipline="reprimand",
        ),
        "proposed_discipline",
    )


def test_an_inspection_is_concluded_after_each_subject_and_then_kept(tree):
    found = inspection(tree.commune_a, units=[tree.cell_a1, tree.cell_a2])
    first, second = found.subject_units.all()
    services.subject_conclude(actor=None, subject=first, conclusion="no_violation")

    def conclude():
        return services.inspection_conclude(
            actor=None, inspection=found, concluded_on=DAY, findings="Tốt"
        )

    error = refused(conclude, "concluded_on")
    assert "Chi bộ Trường Tiểu học" in error.message_dict["concluded_on"][0]
    services.subject_conclude(actor=None, subject=second, conclusion="no_violation")
    conclude()
    refused(conclude, "concluded_on")
    refused(
        lambda: services.subject_conclude(actor=None, subject=first, conclusion="violation"),
        "conclusion",
    )


def test_a_member_discipline_is_written_through_the_member_ledger(tree, manager_a):
    member = admit_on(tree.cell_a1, day=dt.date(2020, 1, 6))
    found = concluded(tree.commune_a, members=[member], proposed="warning")
    subject = found.subject_members.get()
    services.member_discipline_decide(
        actor=manager_a,
        subject=subject,
        level="reprimand",  # the competent body may decide otherwise than proposed
        date=dt.date(2023, 5, 2),
        decision_number="12-QĐ/UBKT",
        issuer="Ủy ban Kiểm tra Đảng ủy xã",
    )
    subject.refresh_from_db()
    event = subject.discipline_event
    assert (event.kind, event.discipline_level, event.member) == (
        EventKind.DISCIPLINE,
        "reprimand",
        member,
    )
    assert "Việc chấp hành Điều lệ Đảng" in event.reason
    assert AuditEntry.objects.for_object(subject).first().actor == manager_a
    refused(
        lambda: services.member_discipline_decide(
            actor=None,
            subject=subject,
            level="warning",
            date=dt.date(2023, 5, 3),
            decision_number="13",
            issuer="UBKT",
        ),
        "level",
    )


def test_an_expulsion_decided_ends_membership_through_the_member_services(tree):
    member = admit_on(tree.cell_a1, day=dt.date(2019, 1, 7))
    from grassroots.members.services import member_recognize

    member_recognize(
        actor=None, member=member, decision_date=dt.date(2020, 2, 1), decision_number="1"
    )
    found = concluded(tree.commune_a, members=[member], proposed="expulsion")
    services.member_discipline_decide(
        actor=None,
        subject=found.subject_members.get(),
        level="expulsion",
        date=dt.date(2023, 5, 2),
        decision_number="3-QĐ/ĐU",
        issuer="Đảng ủy xã",
    )
    member.refresh_from_db()
    assert member.status == MemberStatus.EXPELLED


def test_member_discipline_refusals_write_nothing(tree):
    member = admit_on(tree.cell_a1, day=dt.date(2022, 6, 1))  # probationary
    clean = concluded(tree.commune_a, members=[member], violation=False)
    open_one = inspection(tree.commune_a, members=[member])
    guilty = concluded(tree.commune_a, members=[member], proposed="warning")

    def decide(inspection, **overrides):
        data = dict(
            actor=None,
            subject=inspection.subject_members.get(),
            level="warning",
            date=dt.date(2023, 5, 2),
            decision_number="12",
            issuer="UBKT",
        )
        data.update(overrides)
        return lambda: services.member_discipline_decide(**data)

    refused(decide(clean), "level")  # no violation concluded
    refused(decide(open_one), "level")  # not concluded yet
    refused(decide(guilty, date=dt.date(2023, 4, 1)), "date")  # before the conclusion
    refused(decide(guilty, level="expulsion"), "level")  # the ledger refuses it (probationary)
    refused(decide(guilty, decision_number=" "), "decision_number")
    assert not InspectedMember.objects.filter(discipline_event__isnull=False).exists()


def test_an_organization_discipline_is_recorded_and_dissolution_leaves_the_unit_open(tree):
    found = concluded(tree.commune_a, units=[tree.cell_a2], proposed="dissolution")
    subject = found.subject_units.get()
    discipline = services.organization_discipline_decide(
        actor=None,
        subject=subject,
        level="dissolution",
        decided_on=dt.date(2023, 5, 2),
        decision_number="5-QĐ/HU",
        issuer="Huyện ủy",
    )
    tree.cell_a2.refresh_from_db()
    assert discipline.unit == tree.cell_a2 and tree.cell_a2.is_open
    refused(
        lambda: services.organization_discipline_decide(
            actor=None,
            subject=subject,
            level="warning",
            decided_on=dt.date(2023, 5, 3),
            decision_number="6",
            issuer="Huyện ủy",
        ),
        "level",
    )


def test_organization_discipline_refusals_write_nothing(tree):
    clean = concluded(tree.commune_a, units=[tree.cell_a1], violation=False)
    watched = concluded(tree.commune_a, units=[tree.cell_a1], kind="supervision")

    def decide(inspection, **overrides):
        data = dict(
            actor=None,
            subject=inspection.subject_units.get(),
            level="warning",
            decided_on=dt.date(2023, 5, 2),
            decision_number="12",
            issuer="Huyện ủy",
        )
        data.update(overrides)
        return lambda: services.organization_discipline_decide(**data)

    refused(decide(clean), "level")
    refused(decide(watched), "level")
    guilty = concluded(tree.commune_a, units=[tree.cell_a1])
    refused(decide(guilty, level="expulsion"), "level")
    refused(decide(guilty, decided_on=dt.date(2099, 1, 1)), "decided_on")
    refused(decide(guilty, issuer=""), "issuer")
    assert not OrganizationDiscipline.objects.exists()
    assert Inspection.objects.count() == 3
