"""Big member imports: streamed, checked with the admission rules, written in bulk, all or
nothing — from the command line, and with the roll-up counters kept exact."""

import datetime as dt
import os
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bench.importfile import write_import_csv
from grassroots.core.models import AuditEntry
from grassroots.demo.country import generate_country
from grassroots.members.imports import members_import
from grassroots.members.models import Member, MemberEvent
from grassroots.members.selectors import unit_stats
from grassroots.organizations.choices import CELL_KINDS
from grassroots.organizations.models import Unit


@pytest.fixture
def country(db):
    generate_country(scale=0.0003, seed=11, progress=lambda message: None)
    return Unit.objects.get(code="VN")


def cells(within: Unit | None = None):
    units = Unit.objects.filter(kind__in=CELL_KINDS, valid_to__isnull=True)
    if within is not None:
        units = units.filter(path__startswith=within.path)
    return list(units.order_by("pk").values_list("code", "valid_from")[:200])


def import_file(path, actor, **kwargs):
    with open(path, "rb") as handle:
        return members_import(actor=actor, file=handle, file_name=path.name, **kwargs)


def test_a_bad_row_far_down_a_big_file_saves_nothing(country, admin_user, tmp_path):
    before = (Member.objects.count(), MemberEvent.objects.count(), AuditEntry.objects.count())
    path = write_import_csv(tmp_path / "members.csv", rows=10_000, cells=cells(), bad_row=9_000)
    seen = []
    result = import_file(path, admin_user, progress=lambda **values: seen.append(values))
    assert result.created == 0 and result.rows == 10_000 and result.valid_rows == 9_999
    assert [(e.row, e.column) for e in result.errors] == [(9_001, "ceremony_date")]
    assert result.errors[0].message == "The ceremony cannot precede the admission decision."
    assert (
        Member.objects.count(),
        MemberEvent.objects.count(),
        AuditEntry.objects.count(),
    ) == before
    assert seen[0] == {"rows": 10_000, "valid": 9_999, "errors": 1}
    assert seen[-1]["finished"] and seen[-1]["rows"] == 10_000


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("GRASSROOTS_BIG_IMPORT"),
    reason="a million rows take minutes: run with GRASSROOTS_BIG_IMPORT=1",
)
def test_a_bad_row_at_900_000_of_a_million_saves_nothing(country, admin_user, tmp_path):
    path = write_import_csv(
        tmp_path / "members.csv", rows=1_000_000, cells=cells(), bad_row=900_000
    )
    members = Member.objects.count()
    result = import_file(path, admin_user)
    assert result.created == 0 and [(e.row, e.column) for e in result.errors] == [
        (900_001, "ceremony_date")
    ]
    assert Member.objects.count() == members


def test_a_good_file_writes_the_rows_of_the_services_and_keeps_the_counters_exact(
    country, admin_user, tmp_path
):
    members = Member.objects.count()
    path = write_import_csv(tmp_path / "members.csv", rows=2_000, cells=cells(), seed=4)
    result = import_file(path, admin_user)
    assert result.errors == [] and result.created == 2_000
    assert Member.objects.count() == members + 2_000
    imported = Member.objects.filter(party_card_number__startswith="8")
    official = imported.filter(status="official").first()
    assert list(official.events.values_list("kind", flat=True)) == ["admit", "recognize"]
    assert list(official.intervals.order_by("start").values_list("status", "end")) == [
        ("probationary", official.official_date),
        ("official", None),
    ]
    assert AuditEntry.objects.for_object(official).get(action="create").actor == admin_user
    for unit in (country, Unit.objects.filter(kind="province").first()):
        assert unit_stats(unit=unit) == unit_stats(unit=unit, use_rollups=False)
        # The past-day counters too: a year's end, and a day inside a month.
        for day in (dt.date(2019, 12, 31), dt.date(2023, 6, 14)):
            fast = unit_stats(unit=unit, as_of=day)
            assert fast == unit_stats(unit=unit, as_of=day, use_rollups=False), (unit, day)


def test_the_command_imports_a_file_checks_it_dry_and_keeps_to_a_unit(
    country, admin_user, tmp_path
):
    province, other = Unit.objects.filter(kind="province").order_by("code")[:2]
    path = write_import_csv(tmp_path / "members.csv", rows=300, cells=cells(province), seed=5)
    out = StringIO()
    call_command("import_members", str(path), "--dry-run", stdout=out)
    assert "300 members would be admitted" in out.getvalue()
    assert not Member.objects.filter(party_card_number__startswith="8").exists()
    with pytest.raises(CommandError, match="Nothing was saved"):
        call_command(
            "import_members", str(path), "--unit", other.code, stdout=StringIO(), stderr=StringIO()
        )
    call_command("import_members", str(path), "--unit", province.code, stdout=StringIO())
    assert Member.objects.filter(party_card_number__startswith="8").count() == 300


def test_a_big_file_sent_from_the_page_is_imported_in_the_background_with_its_progress(
    tree,
    personas,
    as_persona,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from grassroots.jobs.models import Job

    settings.MEMBER_IMPORT_BACKGROUND_BYTES = 100
    settings.MEDIA_ROOT = tmp_path
    path = write_import_csv(
        tmp_path / "big.csv", rows=50, cells=[(tree.cell_a1.code, tree.cell_a1.valid_from)]
    )
    client = as_persona("manager_a")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members:member_import"),
            {
                "file": SimpleUploadedFile("big.csv", path.read_bytes(), content_type="text/csv"),
                "dry_run": "",
            },
        )
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "jobs:job_detail", args=[job.pk]
    )
    assert job.status == Job.Status.DONE and job.result["created"] == 50
    assert Member.objects.filter(unit=tree.cell_a1).count() == 50
    page = client.get(response["Location"]).content.decode()
    assert "big.csv" in page and "50" in page
    assert as_persona("outsider").get(response["Location"]).status_code == 404
