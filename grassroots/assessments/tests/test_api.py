"""The API over the same services: a month saved, submitted and accepted; refusals by persona;
the twelve months of a registration; list endpoints with a fixed query count."""

from decimal import Decimal as D

import pytest

from grassroots.assessments import services
from grassroots.assessments.models import Evidence, Framework, MonthlyAssessment
from grassroots.core.models import AuditEntry

from .helpers import fill, make_framework, register


@pytest.fixture
def registration(tree):
    return register(tree, make_framework(tree))


def _scores(registration, **by_code):
    return [
        {"criterion": c.pk, "score": str(by_code.get(c.code, c.max_points)), "note": ""}
        for c in services.registration_criteria(registration)
    ]


def test_a_month_is_saved_submitted_and_accepted_through_the_api(
    registration, api, editor_a, manager_a
):
    client = api("editor_a")
    response = client.post(
        "/api/v1/monthly-assessments/",
        {"registration": registration.pk, "month": 11, "scores": _scores(registration)},
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["total"] == "95.00"
    response = client.patch(
        f"/api/v1/monthly-assessments/{pk}/",
        {"scores": _scores(registration, **{"1.1": 10}), "note": "Bão số 3"},
        format="json",
    )
    assert response.json()["total"] == "85.00"
    assert client.post(f"/api/v1/monthly-assessments/{pk}/submit/").status_code == 200
    response = api("manager_a").post(f"/api/v1/monthly-assessments/{pk}/accept/")
    assert response.status_code == 200
    assert [s["kind"] for s in response.json()["steps"]] == ["submit", "accept"]
    month = MonthlyAssessment.objects.get(pk=pk)
    assert (month.status, month.total, month.note) == ("accepted", D(85), "Bão số 3")
    assert AuditEntry.objects.for_object(month).first().actor == manager_a


def test_the_viewer_cannot_write_and_the_outsider_does_not_see(registration, api):
    month = fill(registration, 1)
    services.assessment_submit(actor=None, assessment=month)
    url = f"/api/v1/monthly-assessments/{month.pk}/"
    assert api("viewer_a").post(url + "accept/").status_code == 403
    assert api("viewer_a").patch(url, {"note": "x"}, format="json").status_code == 403
    assert api("outsider").get(url).status_code == 404
    assert api("outsider").post(url + "accept/").status_code == 404
    month.refresh_from_db()
    assert month.status == "submitted"


def test_return_and_reopen_need_a_reason(registration, api):
    month = fill(registration, 1)
    services.assessment_submit(actor=None, assessment=month)
    client = api("manager_a")
    url = f"/api/v1/monthly-assessments/{month.pk}/"
    assert client.post(url + "return/", {"reason": ""}, format="json").status_code == 400
    response = client.post(url + "return/", {"reason": "Thiếu minh chứng"}, format="json")
    assert response.json()["status"] == "returned"
    response = client.post(url + "submit/")
    assert response.status_code == 200
    client.post(url + "accept/")
    # Locked: the unit's edit is refused with the reason, nothing changes.
    response = api("editor_a").patch(url, {"note": "sửa"}, format="json")
    assert response.status_code == 400 and "locked" in str(response.json())
    response = client.post(url + "reopen/", {"reason": "Sai điểm 2.1"}, format="json")
    assert (response.status_code, response.json()["status"]) == (200, "returned")


def test_the_twelve_months_of_a_registration(registration, api):
    services.assessment_submit(actor=None, assessment=fill(registration, 1))
    response = api("viewer_a").get(f"/api/v1/assessment-registrations/{registration.pk}/months/")
    months = response.json()
    assert len(months) == 12
    assert (months[0]["status"], months[0]["total"], months[0]["band"]) == (
        "submitted",
        "95.00",
        "excellent",
    )
    assert months[1]["status"] == "missing"


def test_a_registration_and_a_framework_version_through_the_api(tree, registration, api):
    response = api("manager_a").post(
        "/api/v1/assessment-registrations/",
        {"unit": tree.cell_a2.pk, "year": 2024, "framework": registration.framework.pk},
        format="json",
    )
    assert response.status_code == 201
    framework = registration.framework
    # The framework is the province's: commune A's manager reads it but cannot version it.
    assert api("manager_a").get(f"/api/v1/assessment-frameworks/{framework.pk}/").status_code == 200
    url = f"/api/v1/assessment-frameworks/{framework.pk}/new-version/"
    assert api("manager_a").post(url).status_code == 403
    response = api("admin").post(url)
    assert (response.status_code, response.json()["version"]) == (201, 2)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/monthly-assessments/",
        "/api/v1/assessment-registrations/",
        "/api/v1/assessment-frameworks/",
        "/api/v1/assessment-framework-groups/",
        "/api/v1/assessment-framework-criteria/",
        "/api/v1/assessment-framework-bands/",
    ],
)
def test_list_endpoints_keep_their_query_count(
    url, tree, registration, api, django_assert_max_num_queries
):
    client = api("manager_a")
    fill(registration, 1)
    with django_assert_max_num_queries(15) as before:
        client.get(url)
    other = register(tree, make_framework(tree, code="second"), unit=tree.cell_a2)
    fill(other, 1)
    fill(registration, 2)
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert client.get(url).json()["count"] >= 2


def test_a_new_version_is_edited_part_by_part_and_published_through_the_api(tree, api, personas):
    framework = make_framework(tree)  # the province's: the system administrator acts for it
    register(tree, framework)
    client = api("admin")
    base = "/api/v1/assessment-framework"
    refused = client.patch(f"{base}s/{framework.pk}/", {"name": "Sửa"}, format="json")
    assert refused.status_code == 400 and "never edited in place" in str(refused.json())
    draft_id = client.post(f"{base}s/{framework.pk}/new-version/").json()["id"]
    response = client.patch(f"{base}s/{draft_id}/", {"name": "Khung 2025"}, format="json")
    assert (response.status_code, response.json()["name"]) == (200, "Khung 2025")
    group = client.get(f"{base}-groups/?framework={draft_id}").json()["results"][1]
    criterion = group["criteria"][0]
    response = client.patch(
        f"{base}-criteria/{criterion['id']}/", {"max_points": "20"}, format="json"
    )
    assert response.status_code == 400 and "max_points" in response.json()
    response = client.patch(
        f"{base}-criteria/{criterion['id']}/", {"text_vi": "Họp chi bộ đủ"}, format="json"
    )
    assert (response.status_code, response.json()["text_vi"]) == (200, "Họp chi bộ đủ")
    response = client.post(
        f"{base}-criteria/",
        {"group": group["id"], "code": "2.3", "text_vi": "Mới", "max_points": "1"},
        format="json",
    )
    assert response.status_code == 400  # the group is full: 15 + 10 of 25
    response = client.patch(f"{base}-groups/{group['id']}/", {"min_points": "20"}, format="json")
    assert (response.status_code, response.json()["min_points"]) == (200, "20.00")
    fair = next(b for b in client.get(f"{base}s/{draft_id}/").json()["bands"] if b["key"] == "fair")
    assert client.delete(f"{base}-bands/{fair['id']}/").status_code == 204
    response = client.post(
        f"{base}-bands/",
        {"framework": draft_id, "key": "fair", "label_vi": "Khá", "min_total": "60"},
        format="json",
    )
    assert response.status_code == 201
    assert client.post(f"{base}s/{draft_id}/publish/").status_code == 200
    draft = Framework.objects.get(pk=draft_id)
    assert draft.is_published and draft.bands.get(key="fair").min_total == 60
    assert draft.groups.get(code="2").min_points == 20
    assert framework.groups.get(code="2").min_points == D("12.5")  # the version in use: as it was
    assert (
        AuditEntry.objects.for_object(draft).filter(action="update").first().actor
        == (personas["admin"])
    )


def test_a_frameworks_parts_are_read_below_and_changed_only_by_its_issuer(tree, api):
    framework = make_framework(tree, publish=False)
    group = framework.groups.get(code="1")
    url = f"/api/v1/assessment-framework-groups/{group.pk}/"
    assert api("viewer_a").get(url).status_code == 200  # commune A reads the province's
    assert api("manager_a").patch(url, {"name_vi": "X"}, format="json").status_code == 403
    assert api("manager_a").delete(url).status_code == 403
    response = api("manager_a").post(
        "/api/v1/assessment-framework-bands/",
        {"framework": framework.pk, "key": "x", "label_vi": "X", "min_total": "10"},
        format="json",
    )
    assert response.status_code == 403
    group.refresh_from_db()
    assert group.name_vi == "Nhóm 1" and framework.bands.count() == 4


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_evidence_is_attached_listed_served_and_removed_through_the_api(
    registration, api, media, editor_a
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    month = fill(registration, 1)
    client = api("editor_a")
    response = client.post(
        "/api/v1/assessment-evidence/",
        {
            "assessment": month.pk,
            "file": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 minutes", "application/pdf"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    evidence = Evidence.objects.get()
    assert (evidence.file_name, evidence.size, evidence.content_type) == (
        "bien-ban.pdf",
        16,
        "application/pdf",
    )
    assert str(media) in evidence.file.path and "bien-ban" not in evidence.file.name
    assert AuditEntry.objects.for_object(evidence).first().actor == editor_a
    listed = api("viewer_a").get(f"/api/v1/assessment-evidence/?assessment={month.pk}").json()
    assert [e["file_name"] for e in listed["results"]] == ["bien-ban.pdf"]
    download = api("viewer_a").get(listed["results"][0]["download"])
    assert (download.status_code, download.content) == (200, b"%PDF-1.4 minutes")
    assert 'filename="bien-ban.pdf"' in download["Content-Disposition"]
    url = f"/api/v1/assessment-evidence/{evidence.pk}/"
    assert api("outsider").get(url + "download/").status_code == 404
    assert api("outsider").get("/api/v1/assessment-evidence/").json()["results"] == []
    assert api("viewer_a").delete(url).status_code == 403
    assert client.delete(url).status_code == 204
    assert not Evidence.objects.exists()
    assert not any(media.rglob("*.pdf"))


@pytest.mark.parametrize(
    ("name", "content", "persona", "status", "says"),
    [
        ("virus.exe", b"MZ", "editor_a", 400, "Attach a PDF"),
        ("fake.pdf", b"MZ not a pdf", "editor_a", 400, "does not match"),
        ("big.pdf", b"%PDF" + b"0" * 64, "editor_a", 400, "larger than"),
        ("ok.pdf", b"%PDF-1.4", "viewer_a", 403, ""),
        ("ok.pdf", b"%PDF-1.4", "outsider", 400, "does not exist"),
    ],
)
def test_an_upload_refused_by_the_pages_checks_is_refused_here_and_saves_nothing(
    registration, api, media, settings, name, content, persona, status, says
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.ASSESSMENT_EVIDENCE_MAX_BYTES = 32
    month = fill(registration, 1)
    response = api(persona).post(
        "/api/v1/assessment-evidence/",
        {"assessment": month.pk, "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )
    assert response.status_code == status
    assert says in response.content.decode()
    assert not Evidence.objects.exists() and not any(media.rglob("*.*"))


def test_evidence_of_a_submitted_month_cannot_be_added_or_removed(registration, api, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    month = fill(registration, 1)
    evidence = services.evidence_add(
        actor=None, assessment=month, file=SimpleUploadedFile("a.pdf", b"%PDF-1.4")
    )
    services.assessment_submit(actor=None, assessment=month)
    client = api("editor_a")
    response = client.delete(f"/api/v1/assessment-evidence/{evidence.pk}/")
    assert response.status_code == 400 and "submitted" in str(response.json())
    response = client.post(
        "/api/v1/assessment-evidence/",
        {"assessment": month.pk, "file": SimpleUploadedFile("b.pdf", b"%PDF-1.4")},
        format="multipart",
    )
    assert response.status_code == 400
    assert list(Evidence.objects.values_list("file_name", flat=True)) == ["a.pdf"]
