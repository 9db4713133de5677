"""The classification pages by persona: the cell's members with the quota shown, decisions
taken together, the exception path, the steps, the printable forms, the export and the run,
with the saved rows and the audit actor asserted."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.classifications.choices import StepKind
from grassroots.classifications.models import (
    Circumstance,
    Classification,
    ClassificationRun,
    ClassificationStep,
    QuotaException,
    Review,
    RuleSet,
)
from grassroots.classifications.services import circumstance_record
from grassroots.core.models import AuditEntry

from .helpers import computed_review, members_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(tree):
    members_of(tree.cell_a1, 6)
    members_of(tree.cell_a2, 1, prefix="B ")
    return computed_review(tree.commune_a, 2024)


def _cell_url(review, cell):
    return reverse("classifications:review_cell", args=[review.pk, cell.pk])


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("viewer_a", 200), ("manager_a", 200), ("outsider", 404)],
)
def test_the_cell_page_is_scoped_to_the_subtree(tree, review, as_persona, persona, status):
    response = as_persona(persona).get(_cell_url(review, tree.cell_a1))
    assert response.status_code == status


def test_the_cell_page_shows_the_quota_places_used_and_left(tree, review, as_persona):
    rows = Classification.objects.filter(review=review, subject="member")
    rows.update(decided_level="well")
    first = rows.filter(unit=tree.cell_a1).order_by("id").first()
    Classification.objects.filter(pk=first.pk).update(decided_level="excellent")
    page = as_persona("viewer_a").get(_cell_url(review, tree.cell_a1)).content.decode()
    # 6 "well" in the grassroots organization give one place (20%), one is used, none left.
    assert "places (20% of 6 rated “well”)" in page
    assert '<span class="stat-value">1</span> <span class="stat-label">used</span>' in page
    assert '<span class="stat-value">0</span> <span class="stat-label">left</span>' in page
    assert "Decide the members" not in page  # a viewer is not offered the decision


def test_the_cell_page_reads_in_a_fixed_number_of_queries(tree, review, as_persona):
    client = as_persona("manager_a")
    client.get(_cell_url(review, tree.cell_a1))
    with CaptureQueriesContext(connection) as few:
        client.get(_cell_url(review, tree.cell_a1))
    members_of(tree.cell_a1, 4, prefix="C ")
    computed_review(tree.commune_a, 2024)
    with CaptureQueriesContext(connection) as more:
        client.get(_cell_url(review, tree.cell_a1))
    assert len(more) == len(few)


def test_the_committee_decides_a_cell_s_members_together(tree, review, as_persona, manager_a):
    rows = list(
        Classification.objects.filter(review=review, unit=tree.cell_a1).filter(subject="member")
    )
    data = {f"level_{c.pk}": "well" for c in rows}
    data[f"level_{rows[0].pk}"] = "excellent"
    url = reverse("classifications:cell_decide", args=[review.pk, tree.cell_a1.pk])
    response = as_persona("manager_a").post(url, data)
    assert response.status_code == 302
    decided = Classification.objects.get(pk=rows[0].pk)
    assert decided.decided_level == "excellent"
    step = decided.steps.get(kind=StepKind.DECISION)
    assert step.actor == manager_a
    assert AuditEntry.objects.for_object(decided).latest("id").actor == manager_a


def test_beyond_the_quota_the_form_asks_for_the_exception_and_saves_nothing(
    tree, review, as_persona
):
    rows = list(Classification.objects.filter(review=review, unit=tree.cell_a1, subject="member"))
    data = {f"level_{c.pk}": "excellent" for c in rows[:2]}
    data.update({f"level_{c.pk}": "well" for c in rows[2:]})
    url = reverse("classifications:cell_decide", args=[review.pk, tree.cell_a1.pk])
    response = as_persona("manager_a").post(url, data)
    assert response.status_code == 400
    assert "ask the committee above for an exception" in response.content.decode()
    assert not ClassificationStep.objects.filter(kind=StepKind.DECISION).exists()
    data["exception_reason"] = "Cứu hộ trong bão số 3"
    assert as_persona("manager_a").post(url, data).status_code == 400  # not the committee above
    assert as_persona("admin").post(url, data).status_code == 302
    # One exception for each place beyond the quota, with its reason.
    assert (
        list(QuotaException.objects.values_list("reason", flat=True))
        == ["Cứu hộ trong bão số 3"] * 2
    )


def test_a_viewer_cannot_decide(tree, review, as_persona):
    url = reverse("classifications:cell_decide", args=[review.pk, tree.cell_a1.pk])
    c = Classification.objects.filter(review=review, unit=tree.cell_a1, subject="member").first()
    assert as_persona("viewer_a").post(url, {f"level_{c.pk}": "well"}).status_code == 403
    assert as_persona("outsider").post(url, {f"level_{c.pk}": "well"}).status_code == 404
    assert not ClassificationStep.objects.filter(kind=StepKind.DECISION).exists()


def test_the_cell_records_a_proposal_with_its_task_results(tree, review, as_persona, editor_a):
    c = Classification.objects.filter(review=review, unit=tree.cell_a1, subject="member").first()
    url = reverse("classifications:classification_step", args=[c.pk])
    response = as_persona("editor_a").post(
        url,
        {"kind": "proposal", "level": "excellent", "on_time": "on", "exceeded_pct": "40"},
    )
    assert response.status_code == 400  # 124: "excellent" needs at least 50% exceeded
    assert "at least 50" in response.content.decode()
    response = as_persona("editor_a").post(
        url, {"kind": "proposal", "level": "well", "on_time": "on", "form_code": "2C"}
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.proposed_level == "well"
    assert c.steps.get(kind=StepKind.PROPOSAL).actor == editor_a


def test_the_printable_forms_are_filled_from_the_records(tree, review, as_persona):
    member = Classification.objects.filter(review=review, subject="member").first()
    cell = Classification.objects.get(review=review, unit=tree.cell_a1, subject="collective")
    page = as_persona("viewer_a").get(
        reverse("classifications:classification_form", args=[member.pk])
    )
    assert member.member.full_name in page.content.decode()
    assert "Form 2C" in page.content.decode()
    page = as_persona("viewer_a").get(
        reverse("classifications:classification_form", args=[cell.pk])
    )
    text = page.content.decode()
    assert "Form 01" in text and "Results of its members" in text
    assert 'class="button no-print print-button"' in text


def test_the_review_exports_to_xlsx_with_every_classification(tree, review, as_persona):
    from openpyxl import load_workbook

    response = as_persona("viewer_a").get(reverse("classifications:review_xlsx", args=[review.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Subject"
    assert len(rows) == 1 + review.classifications.count()


def test_a_formula_in_a_name_stays_text_in_the_export(tree, as_persona):
    from openpyxl import load_workbook

    from grassroots.members.tests.ledger_helpers import admit_on

    admit_on(tree.cell_a1, "=HYPERLINK(1)")
    review = computed_review(tree.commune_a, 2024)
    response = as_persona("viewer_a").get(reverse("classifications:review_xlsx", args=[review.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s"


def test_the_run_computes_a_subtree_in_the_background(
    tree, as_persona, manager_a, django_capture_on_commit_callbacks
):
    members_of(tree.cell_a1, 2)
    url = reverse("classifications:run_create", args=[tree.commune_a.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = as_persona("manager_a").post(url, {"year": "2024"})
    run = ClassificationRun.objects.get()
    assert response["Location"] == reverse("classifications:run_detail", args=[run.pk])
    assert run.status == "done"
    # The two cells' rows; the two members are counted, listed when the review is opened.
    assert run.result["created"] == 2 and run.result["deferred"] == 2
    page = as_persona("viewer_a").get(response["Location"]).content.decode()
    assert "Decisions taken earlier were not changed" in page
    review = Review.objects.get(unit=tree.commune_a, year=2024)
    as_persona("viewer_a").get(reverse("classifications:review_detail", args=[review.pk]))
    # Again: nothing new, nothing lost.
    with django_capture_on_commit_callbacks(execute=True):
        as_persona("manager_a").post(url, {"year": "2024"})
    assert ClassificationRun.objects.latest("id").result["unchanged"] == 4


def test_the_rule_set_page_marks_the_values_to_confirm(as_persona, tree):
    rule_set = RuleSet.objects.get(code="366")
    page = as_persona("viewer_a").get(reverse("classifications:ruleset_detail", args=[rule_set.pk]))
    assert page.content.decode().count("to confirm") >= len(rule_set.to_confirm)


def test_only_the_administrator_corrects_a_rule_set(as_persona, tree, admin_user):
    rule_set = RuleSet.objects.get(code="366")
    url = reverse("classifications:ruleset_edit", args=[rule_set.pk])
    assert as_persona("manager_a").post(url, {"quota_rate_pct": "25"}).status_code == 403
    data = {k: v for k, v in rule_set.snapshot().items() if v is not None}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    data["quota_rate_pct"] = "25"
    assert as_persona("admin").post(url, data).status_code == 302
    rule_set.refresh_from_db()
    assert str(rule_set.quota_rate_pct) == "25.00"


def test_the_results_page_shows_the_share_of_cells_good_or_better(tree, review, as_persona):
    Classification.objects.filter(review=review, subject="collective", unit=tree.cell_a1).update(
        decided_level="well"
    )
    Classification.objects.filter(review=review, subject="collective", unit=tree.cell_a2).update(
        decided_level="completed"
    )
    url = reverse("classifications:index") + f"?unit={tree.province.pk}&year=2024"
    page = as_persona("admin").get(url).content.decode()
    assert "50.0%" in page
    assert as_persona("outsider").get(url).status_code == 404


def test_an_organization_s_discipline_is_recorded_and_read_by_the_next_run(
    tree, review, as_persona
):
    url = reverse("classifications:circumstance_create", args=[review.pk])
    response = as_persona("editor_a").post(
        url,
        {
            "kind": "org_disciplined",
            "unit": tree.cell_a1.pk,
            "start": "02/05/2024",
            "decision": "12-QĐ/UBKT",
        },
    )
    assert response.status_code == 302
    as_persona("editor_a").post(reverse("classifications:review_compute", args=[review.pk]))
    cell = Classification.objects.get(review=review, unit=tree.cell_a1, subject="collective")
    assert cell.cap_level == "not_completed"
    assert "discipline_in_period_fails" in [f["rule"] for f in cell.findings]


def test_the_unit_page_links_to_its_classification(tree, as_persona):
    page = as_persona("viewer_a").get(
        reverse("organizations:unit_detail", args=[tree.commune_a.pk])
    )
    assert f"/classifications/?unit={tree.commune_a.pk}" in page.content.decode()


def test_the_results_of_every_review_under_a_unit_export_to_xlsx(tree, review, as_persona):
    from openpyxl import load_workbook

    Classification.objects.filter(review=review, subject="member").update(decided_level="well")
    url = reverse("classifications:results_xlsx") + f"?unit={tree.province.pk}&year=2024"
    response = as_persona("admin").get(url)
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][:3] == ("XA", "Xã Mường Hum", 2024)
    assert rows[1][4] == 7  # members rated "well"
    assert as_persona("outsider").get(url).status_code == 404


def _recorded(review, kind: str, start: dt.date, end: dt.date, **extra) -> Circumstance:
    """A circumstance of the first member the review classifies."""
    member = Classification.objects.filter(review=review, subject="member").first().member
    return circumstance_record(actor=None, kind=kind, member=member, start=start, end=end, **extra)


def test_a_circumstance_the_review_reads_is_listed_and_removed_by_the_committee(
    tree, review, as_persona, manager_a
):
    circumstance = _recorded(
        review, "sick_leave", dt.date(2024, 2, 1), dt.date(2024, 6, 30), decision="05/QĐ-CB"
    )
    detail = reverse("classifications:review_detail", args=[review.pk])
    url = reverse("classifications:circumstance_remove", args=[review.pk, circumstance.pk])
    page = as_persona("viewer_a").get(detail).content.decode()
    assert "05/QĐ-CB" in page and url not in page  # read, but no remove for a viewer
    assert url in as_persona("manager_a").get(detail).content.decode()
    assert as_persona("viewer_a").post(url).status_code == 403
    assert as_persona("outsider").post(url).status_code == 404
    assert Circumstance.objects.filter(pk=circumstance.pk).exists()
    response = as_persona("manager_a").post(url)
    assert response.status_code == 302 and response["Location"] == detail
    assert not Circumstance.objects.exists()
    assert AuditEntry.objects.filter(action="delete", actor=manager_a).exists()


def test_a_circumstance_outside_the_review_is_not_removed_through_it(tree, review, as_persona):
    other_year = _recorded(review, "exempted", dt.date(2022, 1, 1), dt.date(2022, 3, 1))
    url = reverse("classifications:circumstance_remove", args=[review.pk, other_year.pk])
    assert as_persona("manager_a").post(url).status_code == 404
    assert Circumstance.objects.filter(pk=other_year.pk).exists()
