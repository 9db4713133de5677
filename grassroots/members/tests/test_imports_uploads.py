"""Uploads of the member import page: the size cap is said on the page and enforced, a workbook
bomb is refused before anything is queued or read, and a big file's job knows how many rows it
holds and deletes the file when it ends."""

import io
import time
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl.utils import get_column_letter

from bench.importfile import write_import_csv
from grassroots.core.tests.test_spreadsheets import handmade_xlsx, inline
from grassroots.jobs.models import Job
from grassroots.jobs.services import job_read_progress
from grassroots.members.models import Member

from .test_imports import HEADERS, row, xlsx

IMPORT = reverse("members:member_import")


def test_the_import_page_says_the_size_cap(tree, personas, as_persona, settings):
    settings.GRASSROOTS_UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    page = as_persona("manager_a").get(IMPORT).content.decode()
    assert "At most 2.0\xa0MB." in page


def test_a_file_over_the_size_cap_is_refused_with_the_cap_and_nothing_is_queued(
    tree, personas, as_persona, settings
):
    content = xlsx([row(), row(name="Hai")])
    assert len(content) > 4 * 1024
    settings.GRASSROOTS_UPLOAD_MAX_BYTES = 4 * 1024
    settings.MEMBER_IMPORT_BACKGROUND_BYTES = 100
    response = as_persona("manager_a").post(IMPORT, {"file": SimpleUploadedFile("m.xlsx", content)})
    errors = response.context["form"].errors["file"]
    assert errors == ["The file is larger than 4.0\xa0KB, the most an upload may be: split it."]
    assert not Member.objects.exists() and not Job.objects.exists()


def test_a_workbook_bomb_is_refused_by_the_page_before_it_is_queued(
    tree, personas, as_persona, settings
):
    settings.MEMBER_IMPORT_BACKGROUND_BYTES = 100
    strings = b"<si><t>" + b"A" * 1000 + b"</t></si>"
    shared = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + strings * 10_000
        + b"</sst>"
    )
    content = handmade_xlsx('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', shared_strings=shared)
    started = time.monotonic()
    response = as_persona("manager_a").post(IMPORT, {"file": SimpleUploadedFile("m.xlsx", content)})
    assert time.monotonic() - started < 5
    assert "it is not an ordinary spreadsheet" in response.context["form"].errors["file"][0]
    assert not Member.objects.exists() and not Job.objects.exists()


def test_a_sheet_declaring_every_cell_is_refused_by_the_import_within_seconds(
    tree, personas, as_persona
):
    header = "".join(
        inline(f"{get_column_letter(n)}1", title) for n, title in enumerate(HEADERS, start=1)
    )
    content = handmade_xlsx(
        f'<row r="1">{header}</row><row r="1048576">{inline("XFD1048576", "x")}</row>',
        dimension="A1:XFD1048576",
    )
    started = time.monotonic()
    response = as_persona("manager_a").post(IMPORT, {"file": SimpleUploadedFile("m.xlsx", content)})
    assert time.monotonic() - started < 5
    assert response.status_code == 400
    assert "Row 1048576 holds data after" in response.content.decode()
    assert not Member.objects.exists()


def test_a_big_import_job_knows_its_row_count_and_deletes_the_uploaded_file(
    tree,
    personas,
    as_persona,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    settings.MEMBER_IMPORT_BACKGROUND_BYTES = 100
    settings.MEDIA_ROOT = tmp_path / "media"
    path = write_import_csv(
        tmp_path / "big.csv", rows=30, cells=[(tree.cell_a1.code, tree.cell_a1.valid_from)]
    )
    client = as_persona("manager_a")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            IMPORT, {"file": SimpleUploadedFile("big.csv", path.read_bytes()), "dry_run": ""}
        )
    job = Job.objects.get()
    assert job.status == Job.Status.DONE and job.result["created"] == 30
    assert job_read_progress(job)["total"] == 30
    assert job.file.name == "" and job.file_name == "big.csv"
    assert not [p for p in (tmp_path / "media").rglob("*") if p.is_file() and p.suffix == ".csv"]
    page = client.get(response["Location"]).content.decode()
    assert "Rows in the file" in page and "big.csv" in page


def test_an_xlsx_import_job_counts_the_rows_of_the_sheet(tree, manager_a, settings, tmp_path):
    from grassroots.jobs.services import job_create, job_run

    settings.MEDIA_ROOT = tmp_path
    content = xlsx([row(), row(name="Hai"), row(name="Ba")])
    assert zipfile.is_zipfile(io.BytesIO(content))
    job = job_create(
        actor=manager_a,
        kind="members_import",
        upload=SimpleUploadedFile("m.xlsx", content),
        params={"dry_run": True},
    )
    job_run(job.pk)
    job.refresh_from_db()
    assert job.result["valid_rows"] == 3 and job_read_progress(job)["total"] == 3
    assert not job.file
