"""The holiday table: seeded for 2000–2035 by a migration (the test database holds it), edited
in the admin and by `manage.py holidays`, and counted by every "N working days" rule."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from grassroots.core.dates import add_working_days
from grassroots.core.models import AuditEntry, Holiday

DECISION = dt.date(2024, 1, 15)


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def run(*args) -> str:
    out = io.StringIO()
    call_command("holidays", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_working_days_are_monday_to_friday_less_the_holidays():
    # DOMAIN.md: a decision of 15/01/2024 with Tết off 08–14/02/2024 gives 30 working days
    # ending 04/03/2024, not 26/02.
    assert add_working_days(DECISION, 30) == dt.date(2024, 3, 4)
    assert add_working_days(dt.date(2024, 2, 7), 1) == dt.date(2024, 2, 15)
    assert add_working_days(dt.date(2024, 2, 2), 1) == dt.date(2024, 2, 5)  # a plain weekend


@pytest.mark.django_db
def test_the_seed_holds_the_governments_days_off_of_2024_and_2025():
    kinds = dict(Holiday.objects.values_list("date", "kind"))
    assert all(
        kinds.get(d) == Holiday.Kind.TET for d in days(dt.date(2024, 2, 8), dt.date(2024, 2, 14))
    )
    assert all(
        kinds.get(d) == Holiday.Kind.TET for d in days(dt.date(2025, 1, 25), dt.date(2025, 2, 2))
    )
    assert kinds[dt.date(2024, 4, 29)] == Holiday.Kind.COMPENSATORY  # swapped for Saturday 04/05
    assert kinds[dt.date(2025, 5, 2)] == Holiday.Kind.COMPENSATORY  # swapped for Saturday 26/04
    for day in (
        dt.date(2025, 4, 30),
        dt.date(2025, 5, 1),
        dt.date(2025, 9, 1),
        dt.date(2025, 9, 2),
        dt.date(2024, 9, 2),
        dt.date(2024, 9, 3),
        dt.date(2025, 4, 7),
    ):
        assert kinds[day] == Holiday.Kind.PUBLIC, day
    # The days the package lacks come from the government's decision, and say so.
    assert "Chính phủ" in Holiday.objects.get(date=dt.date(2025, 1, 25)).source
    assert (
        Holiday.objects.filter(date__year=2000).exists()
        and Holiday.objects.filter(date__year=2035).exists()
    )
    assert not Holiday.objects.filter(date__year=2036).exists()


@pytest.mark.django_db
def test_seeding_again_is_idempotent_and_leaves_an_edited_year_as_it_is():
    before = Holiday.objects.count()
    out = run("remove", "14/02/2024")
    assert "14/02/2024" in out
    assert "Added 0 days off" in run("seed", "--from", "2000", "--to", "2035")
    assert Holiday.objects.count() == before - 1
    assert not Holiday.objects.filter(date=dt.date(2024, 2, 14)).exists()  # the removal holds


@pytest.mark.django_db
def test_seeding_fills_a_year_without_days_off_once_and_logs_each_day():
    out = run("seed", "--from", "2035", "--to", "2036")
    added = Holiday.objects.filter(date__year=2036).count()
    assert added > 10 and f"Added {added} days off to 2036; kept as they are: 2035" in out
    assert Holiday.objects.get(date=dt.date(2036, 9, 2)).name == "Quốc khánh"
    assert (
        AuditEntry.objects.filter(action="create", content_type__model="holiday").count() == added
    )
    assert "Added 0 days off" in run("seed", "--from", "2036", "--to", "2036")
    assert Holiday.objects.filter(date__year=2036).count() == added


@pytest.mark.django_db
def test_the_command_adds_lists_and_removes_a_day_off_and_the_count_follows_at_once():
    assert add_working_days(DECISION, 30) == dt.date(2024, 3, 4)
    run(
        "add",
        "2024-02-20",
        "Ngày nghỉ theo quyết định",
        "--kind",
        "compensatory",
        "--source",
        "Thông báo thử",
    )
    holiday = Holiday.objects.get(date=dt.date(2024, 2, 20))
    assert (holiday.name, holiday.kind, holiday.source) == (
        "Ngày nghỉ theo quyết định",
        Holiday.Kind.COMPENSATORY,
        "Thông báo thử",
    )
    assert add_working_days(DECISION, 30) == dt.date(2024, 3, 5)
    listing = run("list", "--year", "2024")
    assert "20/02/2024" in listing and "Mùng hai Tết Nguyên Đán" in listing
    assert "2025" not in listing.split("days off in")[0]
    run("remove", "20/02/2024")
    assert add_working_days(DECISION, 30) == dt.date(2024, 3, 4)
    assert list(
        AuditEntry.objects.for_object(holiday).values_list("action", flat=True).order_by("id")
    ) == ["create", "delete"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "10/02/2024", "Tết"), "10/02/2024 is already a day off"),
        (("add", "21/02/2024", " "), "cannot be blank"),
        (("add", "31/02/2024", "Ngày nghỉ"), "is not a date"),
        (("remove", "21/02/2024"), "21/02/2024 is not a day off"),
        (("seed", "--from", "2030", "--to", "2020"), "The last year precedes the first"),
    ],
)
def test_the_command_refuses_a_wrong_request_and_writes_nothing(args, message):
    before = (Holiday.objects.count(), AuditEntry.objects.count())
    with pytest.raises(CommandError) as info:
        run(*args)
    assert message in str(info.value)
    assert (Holiday.objects.count(), AuditEntry.objects.count()) == before


def test_the_administrator_adds_and_deletes_a_day_off_in_the_admin_and_the_count_follows(
    as_persona, admin_user
):
    client = as_persona("admin")
    assert add_working_days(DECISION, 30) == dt.date(2024, 3, 4)
    response = client.post(
        "/admin/core/holiday/add/",
        {
            "date": "2024-02-20",
            "name": "Ngày nghỉ thêm",
            "kind": "public",
            "source": "Quyết định thử",
        },
    )
    assert response.status_code == 302
    holiday = Holiday.objects.get(date=dt.date(2024, 2, 20))
    assert AuditEntry.objects.for_object(holiday).get(action="create").actor == admin_user
    assert add_working_days(DECISION, 30) == dt.date(2024, 3, 5)
    assert (
        client.post(f"/admin/core/holiday/{holiday.pk}/delete/", {"post": "yes"}).status_code == 302
    )
    assert not Holiday.objects.filter(pk=holiday.pk).exists()
    assert add_working_days(DECISION, 30) == dt.date(2024, 3, 4)


def rows(response) -> str:
    html = response.content.decode()
    return html[html.index("<tbody") : html.index("</tbody>")]


def test_the_admin_lists_the_days_off_of_a_year_and_finds_them_by_name(as_persona, admin_user):
    client = as_persona("admin")
    year = rows(client.get("/admin/core/holiday/", {"year": "2024"}))
    assert "Mùng hai Tết Nguyên Đán" in year and "10/02/2024" in year and "/2025" not in year
    found = rows(client.get("/admin/core/holiday/", {"q": "Quốc khánh", "year": "2025"}))
    assert "02/09/2025" in found and "Tết Nguyên Đán" not in found
    duplicate = client.post(
        "/admin/core/holiday/add/", {"date": "2024-02-10", "name": "x", "kind": "tet"}
    )
    assert (
        duplicate.status_code == 200
        and Holiday.objects.filter(date=dt.date(2024, 2, 10)).count() == 1
    )
