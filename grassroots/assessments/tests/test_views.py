"""The pages by persona: the monthly form saves and submits, the level above accepts from its
queue or returns with a reason, the board shows every month's number and band, and lists keep
their query count whatever the number of rows."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from grassroots.assessments import services
from grassroots.assessments.models import MonthlyAssessment, Registration
from grassroots.core.models import AuditEntry

from .helpers import fill, make_framework, register


@pytest.fixture
def registration(tree):
    return register(tree, make_framework(tree))


def _form_data(registration, **by_code):
    data = {"note": "Sinh hoạt chuyên đề về khắc phục hậu quả bão số 3"}
    for c in services.registration_criteria(registration):
        data[f"score_{c.pk}"] = str(by_code.get(c.code, c.max_points))
        data[f"note_{c.pk}"] = ""
    return data


def test_the_monthly_form_shows_one_fieldset_per_group_and_the_suggestion(registration, as_persona):
    response = as_persona("editor_a").get(
        reverse("assessments:month_form", args=[registration.pk, 11])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="group-step"') == 4
    assert 'id="month-total-value"' in html
    assert "month_form.js" in html


def test_a_secretary_saves_a_draft_then_submits(registration, editor_a, as_persona):
    client = as_persona("editor_a")
    url = reverse("assessments:month_form", args=[registration.pk, 11])
    response = client.post(url, _form_data(registration, **{"1.1": "15"}) | {"save": "1"})
    assert response.status_code == 302
    month = MonthlyAssessment.objects.get(registration=registration, month=11)
    assert (month.status, month.total) == ("draft", D(90))
    assert month.note.startswith("Sinh hoạt chuyên đề")
    response = client.post(url, _form_data(registration) | {"submit": "1"})
    assert response.status_code == 302
    month.refresh_from_db()
    assert (month.status, month.total) == ("submitted", D(95))
    assert AuditEntry.objects.for_object(month).first().actor == editor_a


def test_a_score_over_the_maximum_is_shown_on_its_field_and_nothing_is_saved(
    registration, as_persona
):
    url = reverse("assessments:month_form", args=[registration.pk, 11])
    response = as_persona("editor_a").post(url, _form_data(registration, **{"1.1": "21"}))
    assert response.status_code == 400
    assert "has-error" in response.content.decode()
    assert not MonthlyAssessment.objects.exists()


def test_a_submitted_month_form_sends_the_secretary_to_the_month(registration, as_persona):
    month = fill(registration, 1)
    services.assessment_submit(actor=None, assessment=month)
    response = as_persona("editor_a").get(
        reverse("assessments:month_form", args=[registration.pk, 1])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:month_detail", args=[month.pk])


def test_the_viewer_cannot_save_a_month_and_the_outsider_does_not_see_it(registration, as_persona):
    url = reverse("assessments:month_form", args=[registration.pk, 11])
    assert as_persona("viewer_a").post(url, _form_data(registration)).status_code == 403
    assert as_persona("outsider").get(url).status_code == 404
    assert not MonthlyAssessment.objects.exists()


def test_the_level_above_accepts_from_its_queue(tree, registration, manager_a, as_persona):
    month = fill(registration, 1)
    services.assessment_submit(actor=None, assessment=month)
    client = as_persona("manager_a")
    page = client.get(reverse("assessments:review_queue"))
    assert month.registration.unit.name in page.content.decode()
    response = client.post(
        reverse("assessments:month_accept", args=[month.pk]), {"next_queue": "1"}
    )
    assert response["Location"] == reverse("assessments:review_queue")
    month.refresh_from_db()
    assert (month.status, month.reviewed_by) == ("accepted", manager_a)


def test_returning_needs_a_reason_on_the_form(registration, as_persona):
    month = fill(registration, 1)
    services.assessment_submit(actor=None, assessment=month)
    url = reverse("assessments:month_return", args=[month.pk])
    client = as_persona("manager_a")
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Thiếu biên bản"}).status_code == 302
    month.refresh_from_db()
    assert (month.status, month.reason) == ("returned", "Thiếu biên bản")


def test_a_cell_secretary_does_not_review_the_cells_own_months(registration, as_persona, tree):
    from grassroots.accounts.models import RoleAssignment, User

    user = User.objects.create_user(username="bi_thu", password="pass-12345-word")
    RoleAssignment.objects.create(user=user, unit=tree.cell_a1, role=RoleAssignment.Role.MANAGER)
    month = fill(registration, 1)
    services.assessment_submit(actor=None, assessment=month)
    from django.test import Client

    client = Client()
    client.force_login(user)
    assert client.post(reverse("assessments:month_accept", args=[month.pk])).status_code == 403
    queue = client.get(reverse("assessments:review_queue")).content.decode()
    assert reverse("assessments:month_accept", args=[month.pk]) not in queue
    assert "Nothing waits for your review." in queue


def test_the_board_shows_each_months_number_and_band_and_who_is_late(
    tree, registration, as_persona
):
    jan = fill(registration, 1)
    services.assessment_submit(actor=None, assessment=jan)
    services.assessment_accept(actor=None, assessment=jan)
    response = as_persona("viewer_a").get(
        reverse("assessments:unit_board", args=[tree.commune_a.pk]), {"year": 2024}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "95.00" in html and "Excellent" in html
    assert "Not submitted past the deadline" in html


def test_the_board_downloads_as_a_workbook(tree, registration, as_persona):
    import io

    from openpyxl import load_workbook

    services.assessment_submit(actor=None, assessment=fill(registration, 1))
    response = as_persona("viewer_a").get(
        reverse("assessments:board_export", args=[tree.commune_a.pk]), {"year": 2024}
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][:5] == ("XA-1", "Chi bộ thôn Mường Hum", 95, "Excellent", "submitted (late)")
    assert rows[1][7] == "missing (late)"


def test_the_boards_query_count_does_not_grow_with_units(
    tree, registration, as_persona, django_assert_max_num_queries
):
    register(tree, registration.framework, unit=tree.cell_a2)
    for month in (1, 2):
        fill(registration, month)
    client = as_persona("viewer_a")
    url = reverse("assessments:unit_board", args=[tree.commune_a.pk])
    client.get(url, {"year": 2024})
    with django_assert_max_num_queries(30) as first:
        client.get(url, {"year": 2024})
    fill(Registration.objects.get(unit=tree.cell_a2), 1)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url, {"year": 2024})


def test_the_boards_table_is_paged_and_keeps_the_whole_subtree_elsewhere(
    tree, registration, as_persona, monkeypatch
):
    from grassroots.assessments import views

    register(tree, registration.framework, unit=tree.cell_a2)
    monkeypatch.setattr(views, "BOARD_PAGE_SIZE", 1)
    url = reverse("assessments:unit_board", args=[tree.commune_a.pk])
    client = as_persona("viewer_a")
    first = client.get(url, {"year": 2024})
    second = client.get(url, {"year": 2024, "page": 2})
    detail = [
        reverse("assessments:registration_detail", args=[r.pk])
        for r in Registration.objects.filter(year=2024).order_by("unit__path")
    ]
    assert [r.unit.pk for r in first.context["page_obj"]] == [tree.cell_a1.pk]
    assert [r.unit.pk for r in second.context["page_obj"]] == [tree.cell_a2.pk]
    html = second.content.decode()
    assert detail[1] in html and detail[0] not in html
    assert "year=2024&amp;page=1" in html and "Page 2 of 2" in html
    # Who has not submitted lists both cells on every page.
    late = html.split("Not submitted past the deadline", 1)[1]
    assert tree.cell_a1.name in late and tree.cell_a2.name in late


@pytest.mark.parametrize("name", ["assessments:registration_list", "assessments:review_queue"])
def test_list_pages_keep_their_query_count(
    name, tree, registration, as_persona, django_assert_max_num_queries
):
    client = as_persona("manager_a")
    services.assessment_submit(actor=None, assessment=fill(registration, 1))
    client.get(reverse(name))
    with django_assert_max_num_queries(20) as before:
        client.get(reverse(name))
    other = register(tree, registration.framework, unit=tree.cell_a2)
    services.assessment_submit(actor=None, assessment=fill(other, 1))
    services.assessment_submit(actor=None, assessment=fill(registration, 2))
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(reverse(name))


def test_registration_offers_only_published_frameworks_for_the_units_kind(
    tree, registration, as_persona
):
    make_framework(tree, code="draft", publish=False)
    client = as_persona("manager_a")
    url = reverse("assessments:registration_create", args=[tree.cell_a2.pk])
    form = client.get(url).context["form"]
    assert list(form.fields["framework"].queryset) == [registration.framework]
    response = client.post(url, {"year": 2024, "framework": registration.framework.pk})
    assert response.status_code == 302
    assert Registration.objects.filter(unit=tree.cell_a2, year=2024).exists()


def test_the_home_shows_the_secretary_the_months_due_and_the_commune_the_reviews(
    tree, registration, manager_a
):
    from grassroots.accounts.models import RoleAssignment, User
    from grassroots.assessments import unit_page
    from grassroots.core.access import Access
    from grassroots.core.home import HomeRequest

    secretary = User.objects.create_user(username="bi_thu_a1", password="pass-12345-word")
    RoleAssignment.objects.create(
        user=secretary, unit=tree.cell_a1, role=RoleAssignment.Role.EDITOR
    )
    services.assessment_submit(actor=None, assessment=fill(registration, 1))
    today = dt.date(2024, 3, 15)

    def items(user):
        return unit_page.month_due_items(
            HomeRequest(user=user, access=Access.of(user), today=today)
        )

    mine = items(secretary)
    # February is overdue (its deadline was 10/03); January was submitted.
    assert [(i.label.split(" for ")[1], i.severity, i.date) for i in mine] == [
        ("02/2024", "overdue", dt.date(2024, 3, 10))
    ]
    commune = items(manager_a)
    # The commune's manager is not reminded of each cell's months, but of the reviews.
    assert [i.kind for i in commune] == ["assessment_review"]
    assert commune[0].label == "1 monthly self-assessment waits for your review"


def test_submitting_with_a_criterion_unscored_keeps_the_draft_and_names_the_criterion(
    registration, as_persona
):
    data = _form_data(registration)
    criterion = services.registration_criteria(registration)[-1]
    data[f"score_{criterion.pk}"] = ""
    url = reverse("assessments:month_form", args=[registration.pk, 11])
    response = as_persona("editor_a").post(url, data | {"submit": "1"})
    assert response.status_code == 400
    assert criterion.code in response.content.decode()
    month = MonthlyAssessment.objects.get(registration=registration, month=11)
    # What was typed is kept as a draft; only the submission was refused.
    assert month.status == "draft" and not month.steps.exists()
