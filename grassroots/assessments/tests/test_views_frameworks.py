"""The framework builder's pages for organization-board staff, the version made once units use
a framework, and evidence files uploaded to a month and served only to those who see it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grassroots.assessments.models import Evidence, Framework

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
