"""API of resolutions, targets, indicators, achievements and reviews: the persona matrix,
the database and audit after each write, filters and query counts."""

import datetime as dt
from decimal import Decimal

import pytest

from grassroots.core.models import AuditEntry
from grassroots.targets.choices import ResolutionStatus
from grassroots.targets.models import Indicator, Resolution, Target

from .core_helpers import approved, counts, indicator, percent_indicator, resolution, target


@pytest.fixture
def plan(tree, admin_user):
    labour = percent_indicator(
        "SOC-LABOUR", name_vi="Tỷ lệ lao động qua đào tạo", name_en="Trained labour"
    )
    res_a = resolution(tree.commune_a, title="Nghị quyết Đại hội Đảng bộ xã Mường Hum")
    res_b = resolution(tree.commune_b, title="Nghị quyết Đại hội Đảng bộ xã Bình An")
    t = target(
        res_a,
        labour,
        target_value="50",
        baseline_value="40",
        baseline_year=2020,
        milestones={2023: "45"},
    )
    target(res_b, labour, target_value="60")
    approved(labour, tree.commune_a, "2023", "59", actor=admin_user)
    return {"a": res_a, "b": res_b, "target": t, "labour": labour}


RESOLUTION = {
    "number": "15-NQ/ĐU",
    "issued_on": "2021-03-01",
    "title": "Nghị quyết chuyên đề về chuyển đổi số",
    "kind": "thematic",
    "start_year": 2021,
    "end_year": 2025,
}


# --- reads ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", {"a", "b"}),
        ("manager_a", {"a"}),
        ("editor_a", {"a"}),
        ("viewer_a", {"a"}),
        ("outsider", {"b"}),
    ],
)
def test_the_list_holds_only_the_callers_subtree_with_nested_targets(api, plan, persona, expected):
    response = api(persona).get("/api/v1/resolutions/")
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {plan[k].pk for k in expected}
    row = response.json()["results"][0]
    assert row["targets"][0]["indicator"] == "SOC-LABOUR"
    assert row["term"] == "2020–2025"


def test_anonymous_callers_are_refused(api, plan, tree):
    client = api("anonymous")
    for url in (
        "/api/v1/resolutions/",
        f"/api/v1/resolutions/{plan['a'].pk}/review/",
        "/api/v1/indicators/",
        "/api/v1/targets/",
        f"/api/v1/targets/{plan['target'].pk}/achievement/",
    ):
        assert client.get(url).status_code in (401, 403)
    before = counts()
    assert client.post(
        "/api/v1/resolutions/", {**RESOLUTION, "unit": tree.commune_a.pk}, format="json"
    ).status_code in (401, 403)
    assert counts() == before


def test_an_outsider_gets_404_for_everything_of_another_subtree(api, plan, tree):
    client = api("outsider")
    res, t = plan["a"], plan["target"]
    for url in (
        f"/api/v1/resolutions/{res.pk}/",
        f"/api/v1/resolutions/{res.pk}/review/",
        f"/api/v1/targets/{t.pk}/",
        f"/api/v1/targets/{t.pk}/achievement/",
    ):
        assert client.get(url).status_code == 404
    before = counts()
    assert (
        client.patch(f"/api/v1/resolutions/{res.pk}/", {"title": "x"}, format="json").status_code
        == 404
    )
    assert (
        client.patch(f"/api/v1/targets/{t.pk}/", {"target_value": "1"}, format="json").status_code
        == 404
    )
    # A unit outside the caller's subtrees reads as one that does not exist.
    response = client.post(
        "/api/v1/resolutions/", {**RESOLUTION, "unit": tree.commune_a.pk}, format="json"
    )
    assert response.status_code == 400 and "unit" in response.json()
    assert counts() == before


def test_the_list_filters_like_the_page(api, plan, tree):
    client = api("admin")
    rows = client.get(f"/api/v1/resolutions/?unit={tree.commune_a.pk}").json()["results"]
    assert [r["id"] for r in rows] == [plan["a"].pk]
    rows = client.get("/api/v1/resolutions/?q=binh an").json()["results"]
    assert [r["id"] for r in rows] == [plan["b"].pk]
    rows = client.get(f"/api/v1/targets/?resolution={plan['a'].pk}").json()["results"]
    assert [r["id"] for r in rows] == [plan["target"].pk]


def test_list_query_counts_do_not_grow_with_rows(api, plan, tree, django_assert_max_num_queries):
    client = api("manager_a")
    with django_assert_max_num_queries(10) as small:
        client.get("/api/v1/resolutions/")
    with django_assert_max_num_queries(10) as small_targets:
        client.get("/api/v1/targets/")
    for i in range(6):
        res = resolution(tree.commune_a, number=f"{i}-NQ/ĐU")
        for j in range(3):
            target(res, indicator(f"ECO-{i}-{j}"), milestones={2022: "1", 2023: "2"})
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/api/v1/resolutions/")
    assert response.json()["count"] == 7
    with django_assert_max_num_queries(len(small_targets.captured_queries)):
        assert client.get("/api/v1/targets/").json()["count"] == 19


# --- writes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["manager_a", "editor_a"])
def test_an_editor_or_manager_records_a_resolution_and_the_audit_names_them(
    api, personas, plan, tree, persona
):
    response = api(persona).post(
        "/api/v1/resolutions/", {**RESOLUTION, "unit": tree.commune_a.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    res = Resolution.objects.get(pk=response.json()["id"])
    assert (res.number, res.unit, res.term) == ("15-NQ/ĐU", tree.commune_a, None)
    assert AuditEntry.objects.for_object(res).get().actor == personas[persona]


def test_a_viewer_writing_gets_403_and_nothing_changes(api, plan, tree):
    client = api("viewer_a")
    before = counts()
    assert (
        client.post(
            "/api/v1/resolutions/", {**RESOLUTION, "unit": tree.commune_a.pk}, format="json"
        ).status_code
        == 403
    )
    assert (
        client.patch(
            f"/api/v1/resolutions/{plan['a'].pk}/", {"title": "x"}, format="json"
        ).status_code
        == 403
    )
    body = {
        "resolution": plan["a"].pk,
        "indicator": "SOC-LABOUR",
        "kind": "level",
        "target_value": "1",
        "target_year": 2025,
    }
    assert client.post("/api/v1/targets/", body, format="json").status_code == 403
    assert (
        client.patch(
            f"/api/v1/targets/{plan['target'].pk}/", {"target_value": "1"}, format="json"
        ).status_code
        == 403
    )
    assert counts() == before


def test_a_refused_resolution_names_the_field(api, tree):
    response = api("manager_a").post(
        "/api/v1/resolutions/",
        {**RESOLUTION, "unit": tree.commune_a.pk, "end_year": 2019},
        format="json",
    )
    assert response.status_code == 400 and "end_year" in response.json()


def test_a_correction_goes_through_the_service(api, plan, editor_a):
    response = api("editor_a").patch(
        f"/api/v1/resolutions/{plan['a'].pk}/", {"title": "Nghị quyết sửa"}, format="json"
    )
    assert response.status_code == 200 and response.json()["title"] == "Nghị quyết sửa"
    assert AuditEntry.objects.for_object(plan["a"]).filter(action="update", actor=editor_a).exists()


def test_ending_a_resolution_needs_a_manager(api, plan, manager_a):
    body = {
        "status": "ended",
        "ended_on": "2024-05-01",
        "decision_number": "150-QĐ/ĐU",
        "decision_date": "2024-04-25",
        "decision_issuer": "Ban Thường vụ Đảng ủy",
    }
    before = counts()
    assert (
        api("editor_a")
        .post(f"/api/v1/resolutions/{plan['a'].pk}/end/", body, format="json")
        .status_code
        == 403
    )
    assert counts() == before
    response = api("manager_a").post(
        f"/api/v1/resolutions/{plan['a'].pk}/end/", body, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == ResolutionStatus.ENDED
    plan["a"].refresh_from_db()
    assert plan["a"].end_decision_number == "150-QĐ/ĐU"
    assert (
        AuditEntry.objects.for_object(plan["a"]).filter(action="update", actor=manager_a).exists()
    )


def test_an_editor_adds_and_corrects_a_target(api, plan, editor_a):
    body = {
        "resolution": plan["a"].pk,
        "indicator": "soc-labour",
        "kind": "level",
        "target_value": "55",
        "target_year": 2025,
        "baseline_value": "40",
        "baseline_year": 2020,
        "milestones": {"2023": "50"},
    }
    response = api("editor_a").post("/api/v1/targets/", body, format="json")
    assert response.status_code == 201, response.json()
    created = Target.objects.get(pk=response.json()["id"])
    assert (created.position, created.target_value, created.unit) == (
        2,
        Decimal(55),
        plan["a"].unit,
    )
    assert response.json()["milestones"] == [{"year": 2023, "value": "50.0000"}]
    assert AuditEntry.objects.for_object(created).get().actor == editor_a
    response = api("editor_a").patch(
        f"/api/v1/targets/{created.pk}/", {"target_value": "56"}, format="json"
    )
    assert response.status_code == 200
    created.refresh_from_db()
    assert created.target_value == Decimal(56)
    response = api("editor_a").post(
        "/api/v1/targets/", {**body, "target_year": 2031}, format="json"
    )
    assert response.status_code == 400 and "target_year" in response.json()
    response = api("editor_a").post("/api/v1/targets/", {"resolution": plan["a"].pk}, format="json")
    assert response.status_code == 400 and "indicator" in response.json()


def test_the_api_shows_and_takes_how_a_reduction_is_judged(api, plan, editor_a):
    indicator("SOC-POOR", direction="lower")
    body = {
        "resolution": plan["a"].pk,
        "indicator": "SOC-POOR",
        "kind": "level",
        "target_value": "20",
        "target_year": 2025,
    }
    before = counts()
    response = api("editor_a").post("/api/v1/targets/", body, format="json")
    assert response.status_code == 400 and "reduction_basis" in response.json()
    response = api("editor_a").post(
        "/api/v1/targets/", {**body, "reduction_basis": "fall"}, format="json"
    )
    assert response.status_code == 400 and "baseline" in response.json()["baseline_value"][0]
    assert counts() == before
    response = api("editor_a").post(
        "/api/v1/targets/",
        {**body, "reduction_basis": "fall", "baseline_value": "36.1", "baseline_year": 2020},
        format="json",
    )
    assert response.status_code == 201 and response.json()["reduction_basis"] == "fall"
    created = Target.objects.get(pk=response.json()["id"])
    assert created.reduction_basis == "fall"
    response = api("editor_a").patch(
        f"/api/v1/targets/{created.pk}/", {"reduction_basis": "level"}, format="json"
    )
    assert response.status_code == 200 and response.json()["reduction_basis"] == "level"
    assert AuditEntry.objects.for_object(created).filter(action="update", actor=editor_a).exists()


# --- indicators -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["admin", "manager_a", "viewer_a", "outsider"])
def test_everyone_signed_in_reads_the_catalogue(api, plan, persona):
    rows = api(persona).get("/api/v1/indicators/?q=lao dong").json()["results"]
    assert [r["code"] for r in rows] == ["SOC-LABOUR"]


def test_only_the_administrator_changes_the_catalogue(api, plan, admin_user):
    body = {
        "code": "ENV-FOREST",
        "name_vi": "Tỷ lệ che phủ rừng",
        "group": "environment",
        "measure_unit": "%",
    }
    before = counts()
    assert api("manager_a").post("/api/v1/indicators/", body, format="json").status_code == 403
    assert (
        api("manager_a")
        .patch(f"/api/v1/indicators/{plan['labour'].pk}/", {"name_en": "x"}, format="json")
        .status_code
        == 403
    )
    assert counts() == before
    response = api("admin").post("/api/v1/indicators/", body, format="json")
    assert response.status_code == 201
    created = Indicator.objects.get(code="ENV-FOREST")
    assert AuditEntry.objects.for_object(created).get().actor == admin_user
    response = api("admin").patch(
        f"/api/v1/indicators/{created.pk}/", {"decimals": 2}, format="json"
    )
    assert response.status_code == 200 and response.json()["decimals"] == 2
    response = api("admin").post(
        "/api/v1/indicators/", {**body, "formula": "{NOPE}"}, format="json"
    )
    assert response.status_code == 400 and "code" in response.json()


# --- achievement and review --------------------------------------------------------------------


def test_the_achievement_of_a_target_on_a_day(api, plan):
    response = api("viewer_a").get(
        f"/api/v1/targets/{plan['target'].pk}/achievement/?as_of=2024-04-30"
    )
    assert response.status_code == 200
    data = response.json()
    assert (
        data["actual"],
        data["percent"],
        data["progress"],
        data["band"],
        data["actual_period"],
    ) == ("59.0000", "118.00", "190.00", "met", "2023")
    data = (
        api("viewer_a")
        .get(f"/api/v1/targets/{plan['target'].pk}/achievement/?as_of=2023-06-01")
        .json()
    )
    assert (data["has_data"], data["band"]) == (False, "no_data")
    assert (
        api("viewer_a")
        .get(f"/api/v1/targets/{plan['target'].pk}/achievement/?as_of=soon")
        .status_code
        == 400
    )


def test_the_review_of_a_resolution_with_bands_and_sentences(api, plan, tree, admin_user):
    forest = percent_indicator("ENV-FOREST", group="environment")
    target(plan["a"], forest, target_value="60")
    approved(forest, tree.commune_a, "2023", "45", actor=admin_user)
    response = api("viewer_a").get(f"/api/v1/resolutions/{plan['a'].pk}/review/?as_of=2024-04-30")
    assert response.status_code == 200
    data = response.json()
    assert data["summary"] == {"met": 1, "near": 1, "below": 0, "no_data": 0, "total": 2}
    assert data["sentences"]["vi"] == [
        "Đạt và vượt 1/2 chỉ tiêu (≥ 100%); 1/2 chỉ tiêu đạt từ 70% trở lên"
    ]
    assert data["sentences"]["en"][0].startswith("1 of 2 targets achieved or exceeded")
    assert [row["band"] for row in data["rows"]] == ["met", "near"]
    assert data["rows"][1]["achievement"]["percent"] == "75.00"
    assert data["by_group"]["environment"]["near"] == 1
    strict = (
        api("viewer_a")
        .get(f"/api/v1/resolutions/{plan['a'].pk}/review/?as_of=2024-04-30&met=120&near=80")
        .json()
    )
    assert strict["summary"]["below"] == 1 and strict["bands"] == {"met": "120.00", "near": "80.00"}
    bad = api("viewer_a").get(f"/api/v1/resolutions/{plan['a'].pk}/review/?met=50&near=80")
    assert bad.status_code == 400 and "near" in bad.json()
    assert dt.date.fromisoformat(
        api("viewer_a").get(f"/api/v1/resolutions/{plan['a'].pk}/review/").json()["as_of"]
    )


def test_the_catalogue_query_count_does_not_grow_with_rows(
    api, plan, django_assert_max_num_queries
):
    client = api("viewer_a")
    with django_assert_max_num_queries(6) as small:
        client.get("/api/v1/indicators/")
    households = indicator("SOC-HH")
    for i in range(12):
        indicator(
            f"SOC-R{i}",
            measure_unit="%",
            aggregation="ratio",
            numerator=households,
            denominator=households,
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/api/v1/indicators/").json()["count"] == 14


# --- a target follows its resolution ------------------------------------------------------------


@pytest.fixture
def province_target(tree, plan):
    """A target of a province resolution set for commune A."""
    res = resolution(tree.province, number="05-NQ/TU", title="Nghị quyết Đại hội Đảng bộ tỉnh")
    return target(res, plan["labour"], unit=tree.commune_a, target_value="70")


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
def test_a_province_target_for_a_commune_is_changed_only_by_who_may_change_the_province_resolution(
    api,
    province_target,
    persona,
    status,
):
    before = counts()
    response = api(persona).patch(
        f"/api/v1/targets/{province_target.pk}/", {"target_value": "10"}, format="json"
    )
    assert response.status_code == status
    province_target.refresh_from_db()
    if status == 200:
        assert province_target.target_value == Decimal(10)
        assert AuditEntry.objects.for_object(province_target).filter(action="update").exists()
    else:
        assert province_target.target_value == Decimal(70)
        assert counts() == before


def test_a_commune_editor_cannot_add_a_target_to_the_province_resolution(
    api, province_target, tree
):
    before = counts()
    body = {
        "resolution": province_target.resolution_id,
        "indicator": "SOC-LABOUR",
        "kind": "level",
        "target_value": "60",
        "target_year": 2025,
        "unit": tree.commune_a.pk,
    }
    response = api("editor_a").post("/api/v1/targets/", body, format="json")
    assert response.status_code == 400 and "resolution" in response.json()
    assert counts() == before


def test_the_service_refuses_a_target_change_by_who_may_not_change_its_resolution(
    province_target, editor_a, tree
):
    from django.core.exceptions import PermissionDenied

    from grassroots.targets import services

    before = counts()
    with pytest.raises(PermissionDenied):
        services.target_update(actor=editor_a, target=province_target, target_value="10")
    with pytest.raises(PermissionDenied):
        services.target_create(
            actor=editor_a,
            resolution=province_target.resolution,
            indicator=province_target.indicator,
            unit=tree.commune_a,
            kind="level",
            target_value="60",
            target_year=2025,
        )
    assert counts() == before


# --- adopted reviews ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 201),
        ("manager_a", 201),
        ("editor_a", 403),
        ("viewer_a", 403),
        ("outsider", 404),
    ],
)
def test_a_manager_files_an_adopted_review_through_the_api(api, plan, personas, persona, status):
    from grassroots.targets.models import AdoptedReview

    body = {"kind": "mid_term", "as_of": "2024-04-30", "met": 100, "near": 70}
    response = api(persona).post(
        f"/api/v1/resolutions/{plan['a'].pk}/adopt-review/", body, format="json"
    )
    assert response.status_code == status
    if status != 201:
        assert not AdoptedReview.objects.exists()
        return
    data = response.json()
    assert (data["kind"], data["as_of"], data["summary"]["total"], data["summary"]["met"]) == (
        "mid_term",
        "2024-04-30",
        1,
        1,
    )
    assert data["rows"][0]["actual"] == "59.0000" and data["rows"][0]["band"] == "met"
    adopted = AdoptedReview.objects.get()
    assert AuditEntry.objects.for_object(adopted).get(action="create").actor == personas[persona]
    again = api(persona).post(
        f"/api/v1/resolutions/{plan['a'].pk}/adopt-review/", body, format="json"
    )
    assert again.status_code == 400 and "kind" in again.json()


def test_adopted_reviews_are_read_within_the_callers_subtree(api, plan):
    from grassroots.targets import services

    adopted = services.review_adopt(
        actor=None, resolution=plan["a"], kind="final", as_of=dt.date(2024, 12, 31)
    )
    response = api("viewer_a").get("/api/v1/adopted-reviews/", {"resolution": plan["a"].pk})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [adopted.pk]
    assert (
        api("viewer_a").get(f"/api/v1/adopted-reviews/{adopted.pk}/").json()["sentences"]["vi"]
        == adopted.sentences_vi
    )
    assert api("outsider").get(f"/api/v1/adopted-reviews/{adopted.pk}/").status_code == 404
    assert api("outsider").get("/api/v1/adopted-reviews/").json()["results"] == []
