"""Background jobs: who may see a job's page, its progress while it runs, its outcome."""

import io

import pytest
from django.urls import reverse

from grassroots.jobs import services
from grassroots.jobs.models import Job


def finished_runner(job) -> dict:
    services.job_progress(job, rows=3, valid=3, errors=0)
    return {"rows": 3, "valid_rows": 3, "created": 3, "errors": []}


def failing_runner(job) -> dict:
    raise RuntimeError("disk full")


@pytest.fixture
def runners(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setitem(services.RUNNERS, "ok", f"{__name__}.finished_runner")
    monkeypatch.setitem(services.RUNNERS, "boom", f"{__name__}.failing_runner")


@pytest.mark.django_db
def test_a_job_runs_and_keeps_its_result_and_progress(manager_a, runners):
    job = Job.objects.create(kind="ok", created_by=manager_a)
    services.job_run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result["created"] == 3 and job.finished_at
    assert services.job_read_progress(job)["rows"] == 3


@pytest.mark.django_db
def test_a_failing_job_is_recorded_as_failed(manager_a, runners):
    job = Job.objects.create(kind="boom", created_by=manager_a)
    with pytest.raises(RuntimeError):
        services.job_run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.result == {"error": "disk full"}


@pytest.mark.django_db
def test_creating_a_job_queues_it_for_the_worker(
    manager_a, runners, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_create(actor=manager_a, kind="ok")
    job.refresh_from_db()
    assert job.status == Job.Status.DONE  # the test settings run tasks at once


@pytest.mark.django_db
def test_only_the_person_who_asked_sees_the_job_page(tree, personas, as_persona, runners):
    job = Job.objects.create(kind="ok", created_by=personas["manager_a"], file_name="members.csv")
    url = reverse("jobs:job_detail", args=[job.pk])
    response = as_persona("anonymous").get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert as_persona("outsider").get(url).status_code == 404
    assert as_persona("viewer_a").get(url).status_code == 404
    page = as_persona("manager_a").get(url)
    assert page.status_code == 200 and "members.csv" in page.content.decode()
    services.job_progress(job, rows=1200, valid=1190, errors=10)
    partial = as_persona("manager_a").get(url, HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert "1,200" in html or "1.200" in html
    assert 'hx-trigger="every 2s"' in html and "<html" not in html
    assert as_persona("admin").get(url).status_code == 200


@pytest.mark.django_db
def test_a_job_is_visible_to_the_person_who_asked_and_the_administrator_only(personas):
    from django.contrib.auth.models import AnonymousUser

    job = Job.objects.create(kind="ok", created_by=personas["manager_a"])
    Job.objects.create(kind="ok", created_by=personas["editor_a"])
    assert list(Job.objects.visible_to(personas["manager_a"])) == [job]
    assert Job.objects.visible_to(personas["admin"]).count() == 2
    for name in ("viewer_a", "outsider"):
        assert not Job.objects.visible_to(personas[name]).exists()
    assert not Job.objects.visible_to(AnonymousUser()).exists()


@pytest.mark.django_db
def test_the_job_page_and_its_progress_partial_are_kept_apart_by_caches(
    tree, personas, as_persona, runners
):
    job = Job.objects.create(kind="ok", created_by=personas["manager_a"])
    url = reverse("jobs:job_detail", args=[job.pk])
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = as_persona("manager_a").get(url, **headers)
        assert response.status_code == 200
        assert "HX-Request" in response["Vary"]


# --- uploaded files ---------------------------------------------------------------------------


def job_with_file(actor, kind: str) -> Job:
    from django.core.files.uploadedfile import SimpleUploadedFile

    job = Job.objects.create(kind=kind, created_by=actor, file_name="dang-vien.csv")
    job.file.save(
        "dang-vien.csv",
        SimpleUploadedFile("dang-vien.csv", b"full_name\nNguyen Van Mau\n"),
        save=True,
    )
    return job


def stored_files(root) -> list:
    return [p for p in root.rglob("*.csv") if p.is_file()]


@pytest.mark.django_db
def test_an_uploaded_file_is_deleted_when_its_job_ends_well(manager_a, runners, tmp_path):
    job = job_with_file(manager_a, "ok")
    assert len(stored_files(tmp_path)) == 1
    services.job_run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and not job.file and job.file_name == "dang-vien.csv"
    assert stored_files(tmp_path) == []


@pytest.mark.django_db
def test_an_uploaded_file_is_deleted_when_its_job_fails(manager_a, runners, tmp_path):
    job = job_with_file(manager_a, "boom")
    with pytest.raises(RuntimeError):
        services.job_run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and not job.file
    assert stored_files(tmp_path) == []


@pytest.mark.django_db
def test_with_keep_days_a_file_stays_that_long_then_the_purge_deletes_it(
    manager_a, runners, tmp_path, settings
):
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    settings.GRASSROOTS_UPLOAD_KEEP_DAYS = 7
    old, recent = job_with_file(manager_a, "ok"), job_with_file(manager_a, "ok")
    services.job_run(old.pk)
    services.job_run(recent.pk)
    assert len(stored_files(tmp_path)) == 2
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - dt.timedelta(days=8))
    call_command("purge_job_files", stdout=io.StringIO())
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old.file and recent.file and stored_files(tmp_path) == [tmp_path / recent.file.name]
    # The next job to end purges as well.
    Job.objects.filter(pk=recent.pk).update(finished_at=timezone.now() - dt.timedelta(days=8))
    services.job_run(Job.objects.create(kind="ok", created_by=manager_a).pk)
    recent.refresh_from_db()
    assert not recent.file and stored_files(tmp_path) == []


@pytest.mark.django_db
def test_a_running_job_keeps_its_file_whatever_its_age(manager_a, runners, tmp_path):
    import datetime as dt

    from django.utils import timezone

    job = job_with_file(manager_a, "ok")
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    assert services.job_files_purge() == 0
    assert len(stored_files(tmp_path)) == 1
