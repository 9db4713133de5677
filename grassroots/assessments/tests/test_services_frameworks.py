"""Frameworks: built while unused, published when complete, versioned once in use; units
register under them and add their own criteria within the room the groups leave."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from grassroots.assessments import services
from grassroots.assessments.models import Criterion, Framework, Registration
from grassroots.core.models import AuditEntry

from .helpers import make_framework, register


def test_a_framework_is_built_published_and_audited(tree, manager_a):
    framework = make_framework(tree, publish=False)
    services.framework_update(actor=manager_a, framework=framework, name="Khung mới")
    assert (
        AuditEntry.objects.for_object(framework).filter(action="update").first().actor == manager_a
    )
    services.framework_publish(actor=manager_a, framework=framework)
    assert framework.is_published
    assert framework.groups.count() == 4
    assert Criterion.objects.filter(group__framework=framework).count() == 7
    assert [b.key for b in framework.bands.all()] == ["excellent", "good", "fair", "weak"]


def test_a_framework_is_not_published_without_a_band_from_zero_or_with_criteria_over_a_group(
    tree,
):
    framework = services.framework_create(
        actor=None, issuing_unit=tree.province, code="x", name="X", unit_kinds=["cell"]
    )
    group = services.group_add(
        actor=None, framework=framework, code="1", name_vi="Nhóm", max_points=10
    )
    services.criterion_add(actor=None, group=group, code="1.1", text_vi="A", max_points=10)
    services.band_add(actor=None, framework=framework, key="good", label_vi="Tốt", min_total=5)
    with pytest.raises(ValidationError, match="start at 0"):
        services.framework_publish(actor=None, framework=framework)
    framework.refresh_from_db()
    assert framework.published_on is None


def test_a_groups_criteria_cannot_exceed_its_maximum(tree):
    framework = make_framework(tree, publish=False)
    group = framework.groups.get(code="2")  # 15 + 10 of 25 already
    with pytest.raises(ValidationError) as error:
        services.criterion_add(actor=None, group=group, code="2.3", text_vi="C", max_points=1)
    assert "max_points" in error.value.message_dict
    assert not group.criteria.filter(code="2.3").exists()


def test_a_framework_in_use_is_never_edited_in_place(tree):
    framework = make_framework(tree)
    register(tree, framework)
    group = framework.groups.get(code="1")
    refusals = [
        lambda: services.framework_update(actor=None, framework=framework, name="Y"),
        lambda: services.group_add(
            actor=None, framework=framework, code="5", name_vi="N", max_points=1
        ),
        lambda: services.criterion_add(
            actor=None, group=group, code="1.2", text_vi="B", max_points=1
        ),
        lambda: services.band_add(
            actor=None, framework=framework, key="z", label_vi="Z", min_total=1
        ),
        lambda: services.framework_part_remove(actor=None, part=group),
    ]
    for refuse in refusals:
        with pytest.raises(ValidationError, match="never edited in place"):
            refuse()
    framework.refresh_from_db()
    assert framework.name == "Khung tiêu chí chi bộ 4 tốt"
    assert framework.groups.count() == 4


def test_a_new_version_copies_everything_and_leaves_the_one_in_use_alone(tree):
    framework = make_framework(tree)
    register(tree, framework)
    copy = services.framework_new_version(actor=None, framework=framework)
    assert (copy.code, copy.version, copy.previous, copy.is_published) == (
        "4tot",
        2,
        framework,
        False,
    )
    assert copy.groups.count() == 4
    assert Criterion.objects.filter(group__framework=copy).count() == 7
    assert copy.bands.count() == 4
    services.framework_update(actor=None, framework=copy, name="Khung 2025")
    assert Framework.objects.get(pk=framework.pk).name == "Khung tiêu chí chi bộ 4 tốt"


def test_registration_refusals_write_nothing(tree):
    framework = make_framework(tree)
    draft = make_framework(tree, code="draft", publish=False)
    register(tree, framework)
    cases = [
        ({"unit": tree.cell_a1, "year": 2024, "framework": framework}, "year"),
        ({"unit": tree.cell_a2, "year": 2024, "framework": draft}, "framework"),
        ({"unit": tree.province, "year": 2024, "framework": framework}, "framework"),
        ({"unit": tree.cell_a2, "year": 1999, "framework": framework}, "year"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as error:
            services.registration_create(actor=None, **kwargs)
        assert field in error.value.message_dict
    assert Registration.objects.count() == 1


def test_a_framework_of_another_province_is_refused(tree):
    framework = services.framework_create(
        actor=None, issuing_unit=tree.commune_b, code="b", name="B", unit_kinds=["cell"]
    )
    group = services.group_add(actor=None, framework=framework, code="1", name_vi="N", max_points=1)
    services.criterion_add(actor=None, group=group, code="1.1", text_vi="A", max_points=1)
    services.band_add(actor=None, framework=framework, key="a", label_vi="A", min_total=0)
    services.framework_publish(actor=None, framework=framework)
    with pytest.raises(ValidationError, match="another part of the tree"):
        services.registration_create(actor=None, unit=tree.cell_a1, year=2024, framework=framework)


def test_own_criteria_fit_in_the_room_the_group_leaves(tree):
    registration = register(tree, make_framework(tree))
    group = registration.framework.groups.get(code="1")
    own = services.own_criterion_add(
        actor=None,
        registration=registration,
        group=group,
        code="1.2",
        text_vi="Riêng",
        max_points=3,
    )
    assert own.registration == registration
    with pytest.raises(ValidationError) as error:
        services.own_criterion_add(
            actor=None,
            registration=registration,
            group=group,
            code="1.3",
            text_vi="Riêng 2",
            max_points=D("2.5"),
        )
    assert "2.00 points are left" in str(error.value)
    codes = [c.code for c in services.registration_criteria(registration)]
    assert codes == ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2"]
    # Another unit's registration does not see this unit's own criterion.
    other = register(tree, registration.framework, unit=tree.cell_a2)
    assert "1.2" not in [c.code for c in services.registration_criteria(other)]


def test_own_criteria_are_fixed_once_a_month_is_submitted(tree):
    from .helpers import fill

    registration = register(tree, make_framework(tree))
    group = registration.framework.groups.get(code="1")
    services.assessment_submit(actor=None, assessment=fill(registration, 1))
    with pytest.raises(ValidationError, match="can no longer change"):
        services.own_criterion_add(
            actor=None,
            registration=registration,
            group=group,
            code="1.2",
            text_vi="R",
            max_points=1,
        )
    assert not registration.own_criteria.exists()


def test_an_unknown_suggester_is_refused(tree):
    framework = make_framework(tree, publish=False)
    group = framework.groups.get(code="1")
    with pytest.raises(ValidationError) as error:
        services.criterion_add(
            actor=None, group=group, code="1.2", text_vi="A", max_points=1, suggester="nope"
        )
    assert "suggester" in error.value.message_dict
    services.criterion_add(
        actor=None,
        group=group,
        code="1.2",
        text_vi="A",
        max_points=5,
        suggester="recognitions_on_time",
    )


def test_a_registration_date_defaults_to_today(tree):
    registration = register(tree, make_framework(tree))
    assert registration.registered_on <= dt.date.today()


def test_a_draft_is_edited_part_by_part_with_the_editor_in_the_audit_log(tree, manager_a):
    framework = make_framework(tree, publish=False)
    group = framework.groups.get(code="2")
    criterion = group.criteria.get(code="2.1")
    band = framework.bands.get(key="fair")
    services.group_update(
        actor=manager_a, group=group, name_vi="Chất lượng sinh hoạt", min_points=10
    )
    services.criterion_update(actor=manager_a, criterion=criterion, text_vi="Họp đủ", max_points=12)
    services.band_update(actor=manager_a, band=band, label_en="Fair enough", min_total=55)
    group.refresh_from_db()
    criterion.refresh_from_db()
    band.refresh_from_db()
    assert (group.name_vi, group.min_points, group.max_points) == ("Chất lượng sinh hoạt", 10, 25)
    assert (criterion.text_vi, criterion.max_points, criterion.code) == ("Họp đủ", 12, "2.1")
    assert (band.label_en, band.min_total, band.label_vi) == ("Fair enough", 55, "Khá")
    for part in (group, criterion, band):
        assert (
            AuditEntry.objects.for_object(part).filter(action="update").first().actor == manager_a
        )


def test_an_edit_keeps_the_groups_room_and_unique_codes_and_writes_nothing_when_refused(tree):
    framework = make_framework(tree, publish=False)
    group = framework.groups.get(code="2")  # criteria 15 + 10 of 25
    criterion = group.criteria.get(code="2.1")
    band = framework.bands.get(key="fair")
    refusals = [
        (
            lambda: services.criterion_update(actor=None, criterion=criterion, max_points=16),
            "max_points",
        ),
        (lambda: services.criterion_update(actor=None, criterion=criterion, code="2.2"), "code"),
        (lambda: services.group_update(actor=None, group=group, max_points=20), "max_points"),
        (lambda: services.group_update(actor=None, group=group, code="1"), "code"),
        (lambda: services.group_update(actor=None, group=group, min_points=30), "min_points"),
        (lambda: services.band_update(actor=None, band=band, min_total=70), "min_total"),
        (lambda: services.band_update(actor=None, band=band, key="good"), "key"),
        (lambda: services.band_update(actor=None, band=band, framework=None), "framework"),
    ]
    for refuse, field in refusals:
        with pytest.raises(ValidationError) as error:
            refuse()
        assert field in error.value.message_dict
    # The criterion keeps its own points when it is changed: 15 → 15 stays within the group.
    services.criterion_update(actor=None, criterion=criterion, max_points=15, text_en="Meetings")
    criterion.refresh_from_db()
    group.refresh_from_db()
    band.refresh_from_db()
    assert (criterion.code, criterion.max_points, criterion.text_en) == ("2.1", 15, "Meetings")
    assert (group.code, group.max_points, group.min_points) == ("2", 25, D("12.5"))
    assert (band.key, band.min_total) == ("fair", 50)


@pytest.mark.parametrize(
    ("used", "reason"), [(False, "is published"), (True, "never edited in place")]
)
def test_a_published_version_and_a_version_in_use_refuse_every_edit(tree, used, reason):
    framework = make_framework(tree)
    if used:
        register(tree, framework)
    group = framework.groups.get(code="1")
    band = framework.bands.first()
    refusals = [
        lambda: services.framework_update(actor=None, framework=framework, name="Y"),
        lambda: services.group_update(actor=None, group=group, name_vi="Y"),
        lambda: services.criterion_update(actor=None, criterion=group.criteria.get(), text_vi="Y"),
        lambda: services.band_update(actor=None, band=band, label_vi="Y"),
        lambda: services.criterion_add(
            actor=None, group=group, code="1.2", text_vi="B", max_points=1
        ),
        lambda: services.framework_part_remove(actor=None, part=band),
    ]
    for refuse in refusals:
        with pytest.raises(ValidationError, match=reason):
            refuse()
    framework.refresh_from_db()
    assert framework.name == "Khung tiêu chí chi bộ 4 tốt"
    assert framework.bands.count() == 4
    assert framework.groups.get(code="1").criteria.get().text_vi == "Hoàn thành nhiệm vụ"


def test_a_units_own_criterion_is_not_changed_as_the_frameworks(tree):
    framework = make_framework(tree)
    registration = register(tree, framework)
    own = services.own_criterion_add(
        actor=None,
        registration=registration,
        group=framework.groups.get(code="1"),
        code="1.9",
        text_vi="Riêng",
        max_points=5,
    )
    with pytest.raises(ValidationError, match="own criterion"):
        services.criterion_update(actor=None, criterion=own, text_vi="Khác")
    own.refresh_from_db()
    assert own.text_vi == "Riêng"


def test_a_new_version_copies_the_group_minimums_and_the_bands_exactly(tree):
    framework = make_framework(tree)
    copy = services.framework_new_version(actor=None, framework=framework)

    def shape(f):
        groups = [
            (g.code, g.order, g.name_vi, g.name_en, g.max_points, g.min_points)
            for g in f.groups.order_by("order")
        ]
        criteria = sorted(
            (c.group.code, c.code, c.text_vi, c.max_points, c.scoring, c.scale_steps, c.suggester)
            for c in Criterion.objects.filter(group__framework=f)
        )
        bands = [
            (b.key, b.label_vi, b.label_en, b.min_total, b.requires_group_minimums)
            for b in f.bands.all()
        ]
        return groups, criteria, bands

    assert shape(copy) == shape(framework)
    assert copy.groups.get(code="1").min_points == D("12.5")


def test_a_new_version_is_refused_for_a_draft_and_while_another_draft_waits(tree):
    framework = make_framework(tree)
    draft = services.framework_new_version(actor=None, framework=framework)
    with pytest.raises(ValidationError, match="still a draft"):
        services.framework_new_version(actor=None, framework=draft)
    with pytest.raises(ValidationError, match="Version 2 is already being drafted"):
        services.framework_new_version(actor=None, framework=framework)
    assert Framework.objects.filter(code=framework.code).count() == 2
    assert services.framework_draft_after(framework) == draft
    services.framework_publish(actor=None, framework=draft)
    third = services.framework_new_version(actor=None, framework=framework)
    assert (third.version, third.previous) == (3, framework)
