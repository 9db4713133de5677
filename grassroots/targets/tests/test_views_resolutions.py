"""The resolution list and page, and the forms that record resolutions and their targets:
each persona sees and may do what its role allows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from grassroots.core.models import AuditEntry
from grassroots.targets.choices import ResolutionStatus
from grassroots.targets.models import Resolution, Target, TargetMilestone

from .page_helpers import approved, plan

LIST = reverse("targets:resolution_list")


@pytest.fixture
def commune_plan(tree):
    return plan(tree.commune_a)


def detail(p):
    return reverse("targets:resolution_detail", args=[p.resolution.pk])


# --- list ----------------------------------------------------------------------------------------


def test_the_resolution_list_sends_anonymous_visitors_to_login(tree, as_persona):
    response = as_persona("anonymous").get(LIST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("admin", True),
        ("manager_a", True),
        ("editor_a", True),
        ("viewer_a", True),
        ("outsider", False),
    ],
)
def test_the_list_shows_only_resolutions_of_the_users_subtrees(
    commune_plan, personas, as_persona, persona, sees
):
    html = as_persona(persona).get(LIST).content.decode()
    assert ("12-NQ/ĐU" in html) is sees


def test_the_list_of_a_unit_outside_the_users_subtree_is_not_found(
    commune_plan, personas, as_persona, tree
):
    assert as_persona("outsider").get(LIST, {"unit": tree.commune_a.pk}).status_code == 404
    assert as_persona("viewer_a").get(LIST, {"unit": "x"}).status_code == 404


def test_filters_find_a_resolution_by_words_without_diacritics_status_and_year(
    commune_plan, personas, as_persona, tree
):
    client = as_persona("viewer_a")

    def numbers(**params):
        return [
            r.number
            for r in client.get(LIST, {"unit": tree.commune_a.pk, **params}).context["resolutions"]
        ]

    assert numbers(q="nghi quyet dai hoi") == ["12-NQ/ĐU"]
    assert numbers(q="12-NQ") == ["12-NQ/ĐU"]
    assert numbers(q="khong co") == []
    assert numbers(status=ResolutionStatus.IN_FORCE, year=2023) == ["12-NQ/ĐU"]
    assert numbers(year=2019) == []
    assert numbers(status=ResolutionStatus.ENDED) == []


def test_an_htmx_filter_answers_with_the_results_only(commune_plan, personas, as_persona):
    response = as_persona("viewer_a").get(LIST, {"q": "12"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="resolution-results"' in html and "<html" not in html


def test_the_list_query_count_does_not_grow_with_resolutions(
    tree, personas, as_persona, django_assert_max_num_queries
):
    from grassroots.targets import services

    client = as_persona("manager_a")

    def add(i):
        services.resolution_create(
            actor=None,
            unit=tree.commune_a if i % 2 else tree.cell_a1,
            number=f"{i}-NQ/ĐU",
            issued_on=dt.date(2021, 1, 1),
            title=f"Nghị quyết chuyên đề số {i}",
            kind="thematic",
            start_year=2021,
            end_year=2025,
        )

    add(1)
    with django_assert_max_num_queries(12) as few:
        client.get(LIST, {"unit": tree.commune_a.pk})
    baseline = len(few.captured_queries)
    for i in range(2, 30):
        add(i)
    with django_assert_max_num_queries(baseline):
        response = client.get(LIST, {"unit": tree.commune_a.pk})
    assert len(response.context["resolutions"]) == 29


# --- the resolution page --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("viewer_a", 200), ("manager_a", 200), ("admin", 200), ("outsider", 404)],
)
def test_the_resolution_page_is_seen_within_the_subtree_only(
    commune_plan, personas, as_persona, persona, status
):
    assert as_persona(persona).get(detail(commune_plan)).status_code == status


def test_the_resolution_page_shows_each_target_with_its_figure_band_and_chart(
    commune_plan, manager_a, as_persona, tree
):
    approved(commune_plan.growth, tree.commune_a, "2022", Decimal("6.3"), manager_a)
    approved(commune_plan.growth, tree.commune_a, "2023", Decimal("7.7"), manager_a)
    response = as_persona("viewer_a").get(detail(commune_plan))
    html = response.content.decode()
    rows = {row["target"].indicator.code: row for row in response.context["rows"]}
    assert rows["ECO-GROWTH"]["band"] == "met" and rows["ECO-GROWTH"]["actual"] == "7.7"
    assert rows["SOC-POOR"]["band"] == "no_data" and rows["SOC-POOR"]["percent"] == "—"
    assert html.count('<svg class="chart"') == 4
    assert "<title" in html and "<desc" in html
    # The chart's figures as a table: baseline, milestones, reported years, target.
    assert [year for year, _p, _a in rows["ECO-GROWTH"]["series"]] == [2020, 2022, 2023, 2024, 2025]
    assert ("2023", "—", "7.7") == tuple(str(x) for x in rows["ECO-GROWTH"]["series"][2])


def test_the_resolution_page_query_count_does_not_grow_with_targets(
    commune_plan, tree, manager_a, as_persona, django_assert_max_num_queries
):
    from grassroots.targets import services

    def add(number: int) -> None:
        """A target on a new indicator with figures of two years, one of them for a cell."""
        indicator = services.indicator_create(
            actor=None,
            code=f"ECO-X{number}",
            name_vi=f"Chỉ tiêu {number}",
            group="economy",
            decimals=1,
            aggregation="sum",
        )
        services.target_create(
            actor=None,
            resolution=commune_plan.resolution,
            indicator=indicator,
            kind="cumulative" if number % 2 else "level",
            target_value=Decimal("100"),
            target_year=2025,
            baseline_value=Decimal("10"),
            baseline_year=2020,
            milestones={2023: Decimal("50")},
        )
        approved(indicator, tree.commune_a, "2022", Decimal(number), manager_a)
        approved(indicator, tree.cell_a1, "2023", Decimal(number + 1), manager_a)

    approved(commune_plan.growth, tree.commune_a, "2022", Decimal("6.3"), manager_a)
    approved(
        commune_plan.schools,
        tree.commune_a,
        "2023",
        Decimal("73.2"),
        manager_a,
        numerator=Decimal(30),
        denominator=Decimal(41),
    )
    add(1)
    client = as_persona("viewer_a")
    url = detail(commune_plan)
    client.get(url)
    with django_assert_max_num_queries(45) as few:
        response = client.get(url)
    assert len(response.context["rows"]) == 5
    for number in range(2, 12):
        add(number)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == 15
    assert response.content.decode().count('<svg class="chart"') == 15


def test_the_page_of_an_ended_resolution_shows_the_decision_that_ended_it(
    commune_plan, manager_a, as_persona
):
    from grassroots.targets import services

    services.resolution_end(
        actor=manager_a,
        resolution=commune_plan.resolution,
        status=ResolutionStatus.ENDED,
        ended_on=dt.date(2024, 3, 1),
        decision_number="05-QĐ/ĐU",
        decision_date=dt.date(2024, 2, 20),
        decision_issuer="Ban Thường vụ Đảng ủy xã",
    )
    html = as_persona("viewer_a").get(detail(commune_plan)).content.decode()
    assert "05-QĐ/ĐU" in html and "20/02/2024" in html and "Ban Thường vụ Đảng ủy xã" in html
    assert "01/03/2024" in html


# --- forms ---------------------------------------------------------------------------------------


RESOLUTION_POST = {
    "number": "03-NQ/ĐU",
    "issued_on": "05/01/2022",
    "title": "Nghị quyết về phát triển chè hữu cơ",
    "kind": "thematic",
    "start_year": "2022",
    "end_year": "2025",
}


@pytest.mark.parametrize(
    ("persona", "status"),
    [("editor_a", 302), ("manager_a", 302), ("viewer_a", 403), ("outsider", 404)],
)
def test_creating_a_resolution_needs_a_writing_role_on_the_unit(
    tree, personas, as_persona, persona, status
):
    url = f"{reverse('targets:resolution_create')}?unit={tree.commune_a.pk}"
    client = as_persona(persona)
    assert client.get(url).status_code == (200 if status == 302 else status)
    response = client.post(url, RESOLUTION_POST)
    assert response.status_code == status
    created = Resolution.objects.filter(number="03-NQ/ĐU").first()
    if status == 302:
        assert created.unit == tree.commune_a and created.issued_on == dt.date(2022, 1, 5)
        assert response["Location"] == reverse("targets:resolution_detail", args=[created.pk])
        assert (
            AuditEntry.objects.for_object(created).get(action="create").actor == personas[persona]
        )
    else:
        assert created is None


def test_creating_a_resolution_anonymously_sends_to_login(tree, as_persona):
    url = f"{reverse('targets:resolution_create')}?unit={tree.commune_a.pk}"
    response = as_persona("anonymous").post(url, RESOLUTION_POST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Resolution.objects.exists()


def test_a_refused_resolution_shows_the_service_message_next_to_the_field(
    tree, personas, as_persona
):
    url = f"{reverse('targets:resolution_create')}?unit={tree.commune_a.pk}"
    response = as_persona("manager_a").post(
        url, {**RESOLUTION_POST, "start_year": "2025", "end_year": "2022"}
    )
    assert response.status_code == 400
    assert (
        "The last year cannot come before the first." in response.context["form"].errors["end_year"]
    )
    assert not Resolution.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("editor_a", 302), ("viewer_a", 403), ("outsider", 404)]
)
def test_editing_a_resolution_changes_only_what_was_changed(
    commune_plan, personas, as_persona, persona, status
):
    url = reverse("targets:resolution_edit", args=[commune_plan.resolution.pk])
    data = {
        "number": "12-NQ/ĐU",
        "issued_on": "15/10/2020",
        "title": "Nghị quyết Đại hội (sửa)",
        "kind": "congress",
        "term": commune_plan.resolution.term_id,
        "start_year": "2020",
        "end_year": "2025",
    }
    response = as_persona(persona).post(url, data)
    assert response.status_code == status
    commune_plan.resolution.refresh_from_db()
    assert (commune_plan.resolution.title == "Nghị quyết Đại hội (sửa)") is (status == 302)
    if status == 302:
        entry = AuditEntry.objects.for_object(commune_plan.resolution).get(action="update")
        assert entry.actor == personas[persona] and [c[0] for c in entry.changed_fields()] == [
            "title"
        ]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("manager_a", 302), ("admin", 302), ("editor_a", 403), ("viewer_a", 403), ("outsider", 404)],
)
def test_ending_a_resolution_records_the_decision(
    commune_plan, personas, as_persona, persona, status
):
    url = reverse("targets:resolution_end", args=[commune_plan.resolution.pk])
    response = as_persona(persona).post(
        url,
        {
            "status": "ended",
            "ended_on": "01/03/2024",
            "decision_number": "05-QĐ/ĐU",
            "decision_date": "20/02/2024",
            "decision_issuer": "Ban Thường vụ",
        },
    )
    assert response.status_code == status
    resolution = Resolution.objects.get(pk=commune_plan.resolution.pk)
    if status == 302:
        assert (
            resolution.status == ResolutionStatus.ENDED
            and resolution.end_decision_number == "05-QĐ/ĐU"
        )
        assert (
            AuditEntry.objects.for_object(resolution).get(action="update").actor
            == personas[persona]
        )
    else:
        assert resolution.status == ResolutionStatus.IN_FORCE


@pytest.mark.parametrize("persona", ["admin", "manager_a", "editor_a", "viewer_a", "outsider"])
def test_ending_a_resolution_needs_the_same_role_on_the_page_and_in_the_api(
    commune_plan, personas, as_persona, persona
):
    from rest_framework.test import APIClient

    pk = commune_plan.resolution.pk
    page = as_persona(persona).get(reverse("targets:resolution_end", args=[pk])).status_code
    api = APIClient()
    api.force_authenticate(personas[persona])
    # An incomplete body: a caller allowed to end gets 400 (nothing ended), others 403 or 404.
    answer = api.post(f"/api/v1/resolutions/{pk}/end/", {}, format="json").status_code
    expected = {
        "admin": (200, 400),
        "manager_a": (200, 400),
        "editor_a": (403, 403),
        "viewer_a": (403, 403),
        "outsider": (404, 404),
    }
    assert (page, answer) == expected[persona]
    shown = as_persona(persona).get(detail(commune_plan)) if persona != "outsider" else None
    if shown is not None:
        offered = reverse("targets:resolution_end", args=[pk]) in shown.content.decode()
        assert offered is (persona in ("admin", "manager_a"))
    assert Resolution.objects.get(pk=pk).status == ResolutionStatus.IN_FORCE


def test_replacing_needs_the_resolution_that_replaces_it(commune_plan, personas, as_persona):
    url = reverse("targets:resolution_end", args=[commune_plan.resolution.pk])
    response = as_persona("manager_a").post(
        url,
        {
            "status": "replaced",
            "ended_on": "01/03/2024",
            "decision_number": "05-QĐ/ĐU",
            "decision_date": "20/02/2024",
            "decision_issuer": "Ban Thường vụ",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["replaced_by"]
    assert Resolution.objects.get(pk=commune_plan.resolution.pk).status == ResolutionStatus.IN_FORCE


@pytest.mark.parametrize(
    ("persona", "status"), [("editor_a", 302), ("viewer_a", 403), ("outsider", 404)]
)
def test_adding_a_target_with_milestones(commune_plan, personas, as_persona, persona, status):
    from grassroots.targets import services

    income = services.indicator_create(
        actor=None,
        code="ECO-INCOME",
        name_vi="Thu nhập bình quân đầu người",
        group="economy",
        measure_unit="triệu đồng/người/năm",
        decimals=1,
        aggregation="none",
    )
    url = reverse("targets:target_create", args=[commune_plan.resolution.pk])
    response = as_persona(persona).post(
        url,
        {
            "indicator": income.pk,
            "kind": "level",
            "baseline_value": "25,4",
            "baseline_year": "2020",
            "target_value": "40",
            "target_year": "2025",
            "milestone_2023": "32,5",
            "milestone_2024": "1.320,5",
        },
    )
    assert response.status_code == status
    target = Target.objects.filter(indicator=income).first()
    if status == 302:
        assert target.position == 5 and target.baseline_value == Decimal("25.4")
        assert dict(target.milestones.values_list("year", "value")) == {
            2023: Decimal("32.5"),
            2024: Decimal("1320.5"),
        }
        assert AuditEntry.objects.for_object(target).get(action="create").actor == personas[persona]
    else:
        assert (
            target is None and not TargetMilestone.objects.filter(target__indicator=income).exists()
        )


def test_editing_a_target_replaces_its_milestones(commune_plan, personas, as_persona):
    target = commune_plan.growth_target
    url = reverse("targets:target_edit", args=[target.pk])
    form = as_persona("editor_a").get(url).context["form"]
    assert form.initial["milestone_2022"] == Decimal("6")
    response = as_persona("editor_a").post(
        url,
        {
            "indicator": target.indicator_id,
            "kind": "level",
            "baseline_value": "5",
            "baseline_year": "2020",
            "target_value": "7,5",
            "target_year": "2025",
            "position": "1",
            "milestone_2023": "6.8",
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.target_value == Decimal("7.5")
    assert list(target.milestones.values_list("year", flat=True)) == [2023]
    assert AuditEntry.objects.for_object(target).get(action="update").actor.username == "editor_a"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("manager_a", 403),
        ("editor_a", 403),
        ("viewer_a", 403),
        ("outsider", 404),
    ],
)
def test_a_province_target_for_a_commune_is_edited_only_by_who_may_change_the_province_resolution(
    commune_plan,
    tree,
    personas,
    as_persona,
    persona,
    status,
):
    from grassroots.targets import services

    province_resolution = services.resolution_create(
        actor=None,
        unit=tree.province,
        number="05-NQ/TU",
        issued_on=dt.date(2020, 10, 1),
        title="Nghị quyết Đại hội Đảng bộ tỉnh",
        kind="congress",
        start_year=2020,
        end_year=2025,
    )
    target = services.target_create(
        actor=None,
        resolution=province_resolution,
        indicator=commune_plan.growth,
        unit=tree.commune_a,
        kind="level",
        target_value=Decimal("8"),
        target_year=2025,
    )
    url = reverse("targets:target_edit", args=[target.pk])
    assert as_persona(persona).get(url).status_code == status
    response = as_persona(persona).post(
        url,
        {
            "indicator": target.indicator_id,
            "kind": "level",
            "target_value": "1",
            "target_year": "2025",
            "position": "1",
        },
    )
    assert response.status_code == (302 if status == 200 else status)
    target.refresh_from_db()
    assert target.target_value == (Decimal(1) if status == 200 else Decimal(8))
    changed = AuditEntry.objects.for_object(target).filter(action="update")
    assert [e.actor for e in changed] == ([personas[persona]] if status == 200 else [])


def test_the_target_form_shows_and_takes_how_a_reduction_is_judged(commune_plan, as_persona):
    url = reverse("targets:target_edit", args=[commune_plan.poverty_target.pk])
    response = as_persona("editor_a").get(url)
    assert response.context["form"].initial["reduction_basis"] == "fall"
    assert 'name="reduction_basis"' in response.content.decode()
    data = {
        "indicator": commune_plan.poverty.pk,
        "kind": "level",
        "target_value": "20",
        "target_year": "2025",
        "position": "2",
        "reduction_basis": "fall",
        "baseline_value": "",
        "baseline_year": "",
    }
    response = as_persona("editor_a").post(url, data)
    assert response.status_code == 400
    assert "baseline" in response.context["form"].errors["baseline_value"][0]
    commune_plan.poverty_target.refresh_from_db()
    assert commune_plan.poverty_target.baseline_value == Decimal("36.1")
    response = as_persona("editor_a").post(url, {**data, "reduction_basis": "level"})
    assert response.status_code == 302
    commune_plan.poverty_target.refresh_from_db()
    assert (
        commune_plan.poverty_target.reduction_basis,
        commune_plan.poverty_target.baseline_value,
    ) == ("level", None)


def test_a_target_may_be_set_for_a_unit_under_the_resolutions_unit(commune_plan, tree, as_persona):
    from grassroots.targets import services

    income = services.indicator_create(
        actor=None,
        code="ECO-INCOME",
        name_vi="Thu nhập bình quân",
        group="economy",
        decimals=1,
        aggregation="none",
    )
    url = reverse("targets:target_create", args=[commune_plan.resolution.pk])
    data = {
        "indicator": income.pk,
        "kind": "annual_change",
        "change_basis": "rate",
        "target_value": "7",
        "target_year": "2025",
    }
    response = as_persona("editor_a").post(url, {**data, "unit_code": "XB"})
    assert response.status_code == 400 and response.context["form"].errors["unit_code"]
    response = as_persona("editor_a").post(url, {**data, "unit_code": "XA-1"})
    assert response.status_code == 302
    target = Target.objects.get(indicator=income)
    assert target.unit == tree.cell_a1 and target.change_basis == "rate"
