"""The framework builder's pages for organization-board staff, the version made once units use
a framework, and evidence files uploaded to a month and served only to those who see it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grassroots.assessments.models import Evidence, Framework
from grassroots.core.models import AuditEntry

from .helpers import fill, make_framework, register


def test_a_framework_is_built_and_published_through_its_pages(tree, as_persona):
    client = as_persona("manager_a")
    response = client.post(
        reverse("assessments:framework_create", args=[tree.commune_a.pk]),
        {
            "code": "xa-4tot",
            "name": "Khung tiêu chí của xã",
            "guideline_date": "19/05/2024",
            "unit_kinds": ["cell"],
            "missing_months": "zero",
            "year_end_rule": "average",
        },
    )
    assert response.status_code == 302
    framework = Framework.objects.get(code="xa-4tot")
    client.post(
        reverse("assessments:group_add", args=[framework.pk]),
        {"code": "1", "name_vi": "Nhóm 1", "max_points": "100"},
    )
    group = framework.groups.get()
    client.post(
        reverse("assessments:criterion_add", args=[group.pk]),
        {"code": "1.1", "text_vi": "Tiêu chí", "max_points": "100", "scoring": "points"},
    )
    client.post(
        reverse("assessments:band_add", args=[framework.pk]),
        {"key": "all", "label_vi": "Tất cả", "min_total": "0"},
    )
    page = client.get(reverse("assessments:framework_detail", args=[framework.pk]))
    assert "Before publishing" not in page.content.decode()
    client.post(reverse("assessments:framework_publish", args=[framework.pk]))
    framework.refresh_from_db()
    assert framework.is_published and framework.guideline_date.isoformat() == "2024-05-19"


def test_the_viewer_reads_a_framework_but_cannot_build_it(tree, as_persona):
    framework = make_framework(tree, publish=False)
    viewer = as_persona("viewer_a")
    assert (
        viewer.get(reverse("assessments:framework_detail", args=[framework.pk])).status_code == 200
    )
    response = viewer.post(
        reverse("assessments:group_add", args=[framework.pk]),
        {"code": "9", "name_vi": "N", "max_points": "1"},
    )
    assert response.status_code == 403
    assert framework.groups.count() == 4


def test_a_framework_in_use_offers_a_new_version_not_the_builder(tree, as_persona):
    framework = make_framework(tree)
    register(tree, framework)
    client = as_persona("admin")
    html = client.get(reverse("assessments:framework_detail", args=[framework.pk])).content.decode()
    assert "never edited in place" in html
    assert reverse("assessments:group_add", args=[framework.pk]) not in html
    response = client.post(reverse("assessments:framework_new_version", args=[framework.pk]))
    copy = Framework.objects.get(code=framework.code, version=2)
    assert response["Location"] == reverse("assessments:framework_detail", args=[copy.pk])


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_evidence_is_uploaded_and_served_only_to_who_sees_the_month(tree, as_persona, media):
    month = fill(register(tree, make_framework(tree)), 1)
    client = as_persona("editor_a")
    response = client.post(
        reverse("assessments:evidence_add", args=[month.pk]),
        {"file": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 minutes", "application/pdf")},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    url = reverse("assessments:evidence_download", args=[evidence.pk])
    download = as_persona("viewer_a").get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 minutes"
    assert 'filename="bien-ban.pdf"' in download["Content-Disposition"]
    assert as_persona("outsider").get(url).status_code == 404
    bad = client.post(
        reverse("assessments:evidence_add", args=[month.pk]),
        {"file": SimpleUploadedFile("virus.exe", b"MZ")},
    )
    assert bad.status_code == 400 and Evidence.objects.count() == 1


def test_a_draft_is_edited_on_the_builder_page_by_the_issuing_units_staff(
    tree, as_persona, personas
):
    framework = make_framework(tree, publish=False)  # issued by the province: admin builds it
    group = framework.groups.get(code="2")
    criterion = group.criteria.get(code="2.2")
    band = framework.bands.get(key="weak")
    client = as_persona("admin")
    html = client.get(reverse("assessments:framework_detail", args=[framework.pk])).content
    for name, part in (("group_edit", group), ("criterion_edit", criterion), ("band_edit", band)):
        assert reverse(f"assessments:{name}", args=[part.pk]).encode() in html
    form = client.get(reverse("assessments:criterion_edit", args=[criterion.pk]))
    assert form.status_code == 200 and "2.2" in form.content.decode()
    response = client.post(
        reverse("assessments:criterion_edit", args=[criterion.pk]),
        {"code": "2.2", "text_vi": "Kỷ luật tốt", "max_points": "10", "scoring": "yes_no"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("assessments:group_edit", args=[group.pk]),
        {"code": "2", "name_vi": "Sinh hoạt", "max_points": "25", "min_points": "15"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("assessments:band_edit", args=[band.pk]),
        {"key": "weak", "label_vi": "Không đạt", "min_total": "0"},
    )
    assert response.status_code == 302
    criterion.refresh_from_db()
    group.refresh_from_db()
    band.refresh_from_db()
    assert (criterion.text_vi, criterion.scoring) == ("Kỷ luật tốt", "yes_no")
    assert (group.name_vi, group.min_points) == ("Sinh hoạt", 15)
    assert band.label_vi == "Không đạt"
    audit = AuditEntry.objects.for_object(criterion).filter(action="update").first()
    assert audit.actor == personas["admin"]


def test_an_edit_beyond_the_groups_room_is_refused_on_its_field(tree, as_persona):
    framework = make_framework(tree, publish=False)
    criterion = framework.groups.get(code="2").criteria.get(code="2.1")
    response = as_persona("admin").post(
        reverse("assessments:criterion_edit", args=[criterion.pk]),
        {"code": "2.1", "text_vi": "Tiêu chí", "max_points": "20", "scoring": "points"},
    )
    assert response.status_code == 400
    assert "points are left" in response.content.decode()
    criterion.refresh_from_db()
    assert criterion.max_points == 15


def test_the_editing_of_a_published_version_is_refused_and_a_new_version_offered(tree, as_persona):
    framework = make_framework(tree)
    group = framework.groups.get(code="1")
    client = as_persona("admin")
    html = client.get(reverse("assessments:framework_detail", args=[framework.pk])).content.decode()
    assert reverse("assessments:group_edit", args=[group.pk]) not in html
    assert "New version" in html
    response = client.post(
        reverse("assessments:group_edit", args=[group.pk]),
        {"code": "1", "name_vi": "Đổi tên", "max_points": "25"},
    )
    assert response.status_code == 400 and "make a new version" in response.content.decode()
    group.refresh_from_db()
    assert group.name_vi == "Nhóm 1"
    client.post(reverse("assessments:framework_new_version", args=[framework.pk]))
    draft = Framework.objects.get(code=framework.code, version=2)
    html = client.get(reverse("assessments:framework_detail", args=[framework.pk])).content.decode()
    assert reverse("assessments:framework_detail", args=[draft.pk]) in html
    assert "Edit the draft of version 2" in html


def test_the_viewer_and_the_outsider_cannot_edit_a_draft(tree, as_persona):
    framework = make_framework(tree, publish=False)
    framework.issuing_unit = tree.commune_a
    framework.save()
    band = framework.bands.get(key="weak")
    url = reverse("assessments:band_edit", args=[band.pk])
    data = {"key": "weak", "label_vi": "Đổi", "min_total": "0"}
    assert as_persona("viewer_a").post(url, data).status_code == 403
    assert as_persona("outsider").post(url, data).status_code == 404
    band.refresh_from_db()
    assert band.label_vi == "Yếu"
