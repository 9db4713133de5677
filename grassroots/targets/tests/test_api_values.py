"""API of figures: entry, correction, the approval flow by persona, and the bulk write of many
figures in one request (dry run, import summary, all or nothing)."""

from decimal import Decimal

import pytest

from grassroots.core.models import AuditEntry
from grassroots.targets.choices import ValueState
from grassroots.targets.models import DataValue

from .core_helpers import approved, counts, draft, percent_indicator


@pytest.fixture
def share(db):
    return percent_indicator("SOC-HI", name_vi="Tỷ lệ bao phủ bảo hiểm y tế")


@pytest.fixture
def values(tree, share):
    return {
        "a": draft(share, tree.commune_a, "2023", "95"),
        "a1": draft(share, tree.cell_a1, "2023", "96"),
        "b": draft(share, tree.commune_b, "2023", "90"),
    }


def submitted(value):
    from grassroots.targets import services

    return services.data_value_submit(actor=None, value=value)


# --- reads ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", {"a", "a1", "b"}),
        ("manager_a", {"a", "a1"}),
        ("viewer_a", {"a", "a1"}),
        ("outsider", {"b"}),
    ],
)
def test_the_list_holds_only_the_callers_subtree(api, values, persona, expected):
    rows = api(persona).get("/api/v1/data-values/").json()["results"]
    assert {r["id"] for r in rows} == {values[k].pk for k in expected}


def test_the_list_filters_by_indicator_unit_period_and_state(api, values, tree):
    client = api("manager_a")
    rows = client.get(
        f"/api/v1/data-values/?indicator=SOC-HI&unit={tree.cell_a1.pk}&period=2023"
    ).json()["results"]
    assert [r["id"] for r in rows] == [values["a1"].pk]
    submitted(values["a"])
    rows = client.get("/api/v1/data-values/?state=submitted").json()["results"]
    assert [(r["id"], r["unit_code"], r["value"]) for r in rows] == [
        (values["a"].pk, "XA", "95.0000")
    ]


def test_the_list_query_count_does_not_grow_with_rows(
    api, values, tree, share, django_assert_max_num_queries
):
    client = api("manager_a")
    with django_assert_max_num_queries(8) as small:
        client.get("/api/v1/data-values/")
    for year in range(2015, 2023):
        draft(share, tree.cell_a2, str(year), "50")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/api/v1/data-values/").json()["count"] == 10


def test_one_figure_shows_its_history(api, values):
    submitted(values["a"])
    data = api("viewer_a").get(f"/api/v1/data-values/{values['a'].pk}/").json()
    assert [(t["from_state"], t["to_state"]) for t in data["transitions"]] == [
        ("", "draft"),
        ("draft", "submitted"),
    ]


def test_anonymous_and_outsiders(api, values, tree):
    assert api("anonymous").get("/api/v1/data-values/").status_code in (401, 403)
    before = counts()
    assert api("anonymous").post(
        "/api/v1/data-value-sets/", {"data_values": [{}]}, format="json"
    ).status_code in (401, 403)
    client = api("outsider")
    pk = values["a"].pk
    assert client.get(f"/api/v1/data-values/{pk}/").status_code == 404
    for verb in ("submit", "approve", "return", "reopen"):
        assert (
            client.post(
                f"/api/v1/data-values/{pk}/{verb}/", {"reason": "x"}, format="json"
            ).status_code
            == 404
        )
    assert (
        client.patch(f"/api/v1/data-values/{pk}/", {"value": "1"}, format="json").status_code == 404
    )
    response = client.post(
        "/api/v1/data-values/",
        {"indicator": "SOC-HI", "unit": tree.commune_a.pk, "period": "2022", "value": "1"},
        format="json",
    )
    assert response.status_code == 400 and "unit" in response.json()
    assert counts() == before


# --- writes -----------------------------------------------------------------------------------


def test_an_editor_enters_corrects_and_submits_a_figure(api, tree, share, editor_a):
    client = api("editor_a")
    response = client.post(
        "/api/v1/data-values/",
        {
            "indicator": "soc-hi",
            "unit": tree.cell_a1.pk,
            "period": "2023",
            "value": 97.4,
            "source": "BHXH",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    value = DataValue.objects.get(pk=response.json()["id"])
    assert (value.value, value.state, value.entered_by) == (
        Decimal("97.4"),
        ValueState.DRAFT,
        editor_a,
    )
    assert AuditEntry.objects.for_object(value).get().actor == editor_a
    response = client.post(
        "/api/v1/data-values/",
        {"indicator": "SOC-HI", "unit": tree.cell_a1.pk, "period": "2023", "value": "97.5"},
        format="json",
    )
    assert response.status_code == 200
    response = client.patch(
        f"/api/v1/data-values/{value.pk}/", {"numerator": "30", "denominator": "41"}, format="json"
    )
    assert response.status_code == 200 and response.json()["value"] == "73.2000"
    response = client.post(f"/api/v1/data-values/{value.pk}/submit/")
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    value.refresh_from_db()
    assert value.state == ValueState.SUBMITTED
    assert AuditEntry.objects.for_object(value).filter(action="update", actor=editor_a).count() == 3
    response = client.patch(f"/api/v1/data-values/{value.pk}/", {"value": "1"}, format="json")
    assert response.status_code == 400 and "value" in response.json()


def test_a_patch_without_the_source_keeps_it_and_an_empty_source_clears_it(
    api, tree, share, editor_a
):
    value = draft(share, tree.cell_a1, "2023", "95", source="BHXH", comment="Cuối năm")
    client = api("editor_a")
    response = client.patch(f"/api/v1/data-values/{value.pk}/", {"value": "96"}, format="json")
    assert response.status_code == 200 and (
        response.json()["source"],
        response.json()["comment"],
    ) == ("BHXH", "Cuối năm")
    response = client.patch(f"/api/v1/data-values/{value.pk}/", {"source": ""}, format="json")
    assert response.status_code == 200 and (
        response.json()["source"],
        response.json()["comment"],
    ) == ("", "Cuối năm")
    value.refresh_from_db()
    assert (value.value, value.source, value.comment) == (Decimal("96"), "", "Cuối năm")
    assert (
        AuditEntry.objects.for_object(value).filter(action="update").latest("pk").actor == editor_a
    )
    # Entering the same figure again without the texts keeps them too; a set row clears with "".
    response = client.post(
        "/api/v1/data-values/",
        {"indicator": "SOC-HI", "unit": tree.cell_a1.pk, "period": "2023", "value": "96"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["comment"] == "Cuối năm"
    response = client.post(
        "/api/v1/data-value-sets/",
        {
            "data_values": [
                {
                    "indicator": "SOC-HI",
                    "unit": "XA-1",
                    "period": "2023",
                    "value": "96",
                    "comment": "",
                },
            ]
        },
        format="json",
    )
    assert response.status_code == 200 and response.json()["updated"] == 1
    value.refresh_from_db()
    assert value.comment == ""


def test_a_wrong_figure_is_refused_naming_the_field(api, tree, share):
    response = api("editor_a").post(
        "/api/v1/data-values/",
        {"indicator": "SOC-HI", "unit": tree.cell_a1.pk, "period": "2023", "value": "120"},
        format="json",
    )
    assert response.status_code == 400 and "value" in response.json()
    response = api("editor_a").post(
        "/api/v1/data-values/",
        {"indicator": "NOPE", "unit": tree.cell_a1.pk, "period": "2023", "value": "1"},
        format="json",
    )
    assert response.status_code == 400 and "indicator" in response.json()
    assert not DataValue.objects.exists()


@pytest.mark.parametrize("figure", ["97,4", "1.320,5", "1,320.5", "1.320.000", "1 320"])
def test_a_grouped_or_comma_figure_is_refused_naming_the_field(api, tree, share, figure):
    client = api("editor_a")
    response = client.post(
        "/api/v1/data-values/",
        {
            "indicator": "SOC-HI",
            "unit": tree.cell_a1.pk,
            "period": "2023",
            "numerator": figure,
            "denominator": "2000",
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["numerator"] and "1320.5" in response.json()["numerator"][0]
    response = client.post(
        "/api/v1/data-value-sets/",
        {
            "data_values": [
                {"indicator": "SOC-HI", "unit": "XA", "period": "2023", "value": figure},
            ]
        },
        format="json",
    )
    assert response.status_code == 400
    assert [(e["row"], e["field"]) for e in response.json()["errors"]] == [(1, "value")]
    assert not DataValue.objects.exists()


def test_figures_are_json_numbers_or_text_with_a_point(api, tree, share):
    client = api("editor_a")
    response = client.post(
        "/api/v1/data-values/",
        {
            "indicator": "SOC-HI",
            "unit": tree.cell_a1.pk,
            "period": "2023",
            "numerator": 1320,
            "denominator": "1650.0",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["numerator"], response.json()["value"]) == ("1320.0000", "80.0000")
    value = DataValue.objects.get()
    response = client.patch(f"/api/v1/data-values/{value.pk}/", {"value": "1.320"}, format="json")
    assert response.status_code == 400 and list(response.json()) == [
        "value"
    ]  # 1.32 does not match the counts
    response = client.patch(f"/api/v1/data-values/{value.pk}/", {"value": "80,0"}, format="json")
    assert response.status_code == 400 and "80,0" in response.json()["value"][0]


def test_a_viewer_writing_gets_403_and_nothing_changes(api, values, tree):
    client = api("viewer_a")
    before = counts()
    pk = values["a"].pk
    assert (
        client.post(
            "/api/v1/data-values/",
            {"indicator": "SOC-HI", "unit": tree.commune_a.pk, "period": "2022", "value": "1"},
            format="json",
        ).status_code
        == 403
    )
    assert (
        client.patch(f"/api/v1/data-values/{pk}/", {"value": "1"}, format="json").status_code == 403
    )
    for verb in ("submit", "approve", "return", "reopen"):
        assert (
            client.post(
                f"/api/v1/data-values/{pk}/{verb}/", {"reason": "x"}, format="json"
            ).status_code
            == 403
        )
    body = {"data_values": [{"indicator": "SOC-HI", "unit": "XA", "period": "2022", "value": "1"}]}
    assert client.post("/api/v1/data-value-sets/", body, format="json").status_code == 403
    assert counts() == before


def test_an_editor_cannot_approve_and_a_manager_can(api, values, tree, manager_a):
    value = submitted(values["a1"])
    before = counts()
    assert api("editor_a").post(f"/api/v1/data-values/{value.pk}/approve/").status_code == 403
    assert counts() == before
    response = api("manager_a").post(f"/api/v1/data-values/{value.pk}/approve/")
    assert response.status_code == 200
    value.refresh_from_db()
    assert (value.state, value.approved_level, value.approved_by) == (
        ValueState.APPROVED,
        tree.commune_a,
        manager_a,
    )
    assert response.json()["approved_level"] == tree.commune_a.pk
    assert AuditEntry.objects.for_object(value).filter(action="update", actor=manager_a).exists()
    response = api("editor_a").post(
        "/api/v1/data-values/",
        {"indicator": "SOC-HI", "unit": tree.cell_a1.pk, "period": "2023", "value": "99"},
        format="json",
    )
    assert response.status_code == 400 and "locked" in response.json()["value"][0]


def test_a_manager_returns_with_a_reason_and_reopens_an_approval(api, values, manager_a):
    value = submitted(values["a"])
    assert (
        api("manager_a")
        .post(f"/api/v1/data-values/{value.pk}/return/", {}, format="json")
        .status_code
        == 400
    )
    response = api("manager_a").post(
        f"/api/v1/data-values/{value.pk}/return/", {"reason": "Thiếu nguồn"}, format="json"
    )
    assert response.status_code == 200 and response.json()["returned_reason"] == "Thiếu nguồn"
    submitted(value)
    api("manager_a").post(f"/api/v1/data-values/{value.pk}/approve/")
    response = api("manager_a").post(
        f"/api/v1/data-values/{value.pk}/reopen/", {"reason": "Điều chỉnh"}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == "draft"
    assert value.transitions.get(from_state="approved").actor == manager_a


def test_only_the_level_that_approved_reopens(api, values, admin_user, tree):
    value = approved(values["a"].indicator, tree.cell_a2, "2023", "90", actor=admin_user)
    assert value.approved_level == tree.commune_a
    assert (
        api("manager_a")
        .post(f"/api/v1/data-values/{value.pk}/reopen/", {"reason": "x"}, format="json")
        .status_code
        == 200
    )
    high = approved(values["a"].indicator, tree.commune_a, "2022", "90", actor=admin_user)
    assert high.approved_level == tree.province
    before = counts()
    assert (
        api("manager_a")
        .post(f"/api/v1/data-values/{high.pk}/reopen/", {"reason": "x"}, format="json")
        .status_code
        == 403
    )
    assert counts() == before


# --- data value sets ------------------------------------------------------------------------------


SET = {
    "data_values": [
        {"indicator": "SOC-HI", "unit": "XA", "period": "2023", "value": "95.2"},
        {"indicator": "SOC-HI", "unit": "XA-1", "period": "2023", "value": 96},
        {
            "indicator": "SOC-HI",
            "unit": "XA-2",
            "period": "202403",
            "numerator": "30",
            "denominator": "41",
        },
    ]
}


def test_a_dry_run_returns_the_summary_and_writes_nothing(api, share):
    before = counts()
    response = api("editor_a").post(
        "/api/v1/data-value-sets/", {**SET, "dry_run": True}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {
        "dry_run": True,
        "saved": False,
        "created": 3,
        "updated": 0,
        "ignored": 0,
        "errors": [],
    }
    assert counts() == before


def test_a_set_is_written_and_counted(api, share, editor_a, tree):
    draft(share, tree.commune_a, "2023", "90")
    draft(share, tree.cell_a1, "2023", "96")
    response = api("editor_a").post(
        "/api/v1/data-value-sets/", {**SET, "submit": True}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["created"], response.json()["updated"], response.json()["ignored"]) == (
        1,
        1,
        1,
    )
    school = DataValue.objects.get(unit=tree.cell_a2)
    assert (school.value, school.state) == (Decimal("73.2"), ValueState.SUBMITTED)
    assert AuditEntry.objects.for_object(school).get(action="create").actor == editor_a


def test_one_bad_row_saves_none_and_the_errors_name_row_and_field(api, share):
    rows = [
        *SET["data_values"],
        {"indicator": "SOC-HI", "unit": "XB", "period": "2023", "value": "1"},
        {"indicator": "SOC-HI", "unit": "XA", "period": "2023Q7", "value": "1"},
    ]
    before = counts()
    response = api("editor_a").post(
        "/api/v1/data-value-sets/", {"data_values": rows}, format="json"
    )
    assert response.status_code == 400
    data = response.json()
    assert data["saved"] is False
    assert [(e["row"], e["field"]) for e in data["errors"]] == [(4, "unit"), (5, "period")]
    assert counts() == before


def test_a_malformed_request_is_refused(api, share):
    assert (
        api("editor_a")
        .post("/api/v1/data-value-sets/", {"data_values": []}, format="json")
        .status_code
        == 400
    )
    assert (
        api("editor_a")
        .post("/api/v1/data-value-sets/", {"data_values": "x"}, format="json")
        .status_code
        == 400
    )
