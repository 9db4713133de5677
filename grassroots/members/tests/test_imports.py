import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from grassroots.core.models import AuditEntry
from grassroots.members.choices import MemberStatus
from grassroots.members.imports import COLUMNS, members_import
from grassroots.members.models import Member, MemberEvent

from .page_helpers import years_ago

IMPORT = reverse("members:member_import")
TEMPLATE = reverse("members:import_template")
HEADERS = [str(c.label) for c in COLUMNS]


def row(unit_code="XA-1", name="Nguyễn Văn An", **over):
    decision = years_ago(2, days=40)
    values = {
        "unit_code": unit_code,
        "full_name": name,
        "gender": "Nam",
        "birth_date": "12/04/1990",
        "ethnicity": "Kinh",
        "religion": "",
        "general_education": "Upper secondary",
        "professional_education": "",
        "theory_level": "Sơ cấp",
        "occupation": "Nông dân",
        "party_card_number": "",
        "decision_date": decision.strftime("%d/%m/%Y"),
        "ceremony_date": (decision + dt.timedelta(days=3)).strftime("%d/%m/%Y"),
        "official_date": "",
        "decision_number": "7-QĐ/ĐU",
        "age_exception": "",
    }
    values.update(over)
    return [values[c.key] for c in COLUMNS]


def xlsx(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for r in rows:
        sheet.append(r)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, bom=True, delimiter=",") -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def run(actor, content: bytes, name="members.xlsx", dry_run=False):
    return members_import(actor=actor, file=io.BytesIO(content), file_name=name, dry_run=dry_run)


def test_a_good_file_saves_every_row_through_the_services(tree, manager_a):
    rows = [row(name="Nguyễn Văn An"), row("XA-2", "Lò Thị Bình", gender="Nữ", ethnicity="Thái")]
    result = run(manager_a, xlsx(rows))
    assert result.errors == [] and result.created == 2
    bình = Member.objects.get(full_name="Lò Thị Bình")
    assert (bình.unit, bình.gender, bình.ethnicity, bình.status) == (
        tree.cell_a2,
        "female",
        "thai",
        MemberStatus.PROBATIONARY,
    )
    assert MemberEvent.objects.filter(kind="admit").count() == 2
    assert AuditEntry.objects.for_object(bình).get(action="create").actor == manager_a


def test_a_recognition_date_recognizes_the_member_on_import(tree, manager_a):
    result = run(manager_a, xlsx([row(official_date=years_ago(0, days=10).strftime("%d/%m/%Y"))]))
    assert result.errors == []
    assert Member.objects.get().status == MemberStatus.OFFICIAL


def test_one_bad_row_saves_nothing_and_names_the_row_and_the_column(tree, manager_a):
    rows = [
        row(name="Một"),
        row(name="Hai"),
        row(name="Ba", birth_date="31/02/1990"),
        row(name="Bốn"),
    ]
    result = run(manager_a, xlsx(rows))
    assert result.created == 0 and not Member.objects.exists() and not MemberEvent.objects.exists()
    assert len(result.errors) == 1
    error = result.errors[0]
    assert (error.row, error.column) == (4, "Date of birth")
    assert str(error).startswith("Row 4, column 'Date of birth': ")


def test_a_rule_refused_by_the_service_is_reported_on_its_column(tree, manager_a):
    too_young = years_ago(16).strftime("%d/%m/%Y")
    result = run(manager_a, xlsx([row(), row(name="Trẻ", birth_date=too_young)]))
    assert [(e.row, e.column) for e in result.errors] == [(3, "Date of birth")]
    assert not Member.objects.exists()


def test_a_row_for_a_unit_the_user_cannot_change_is_an_error_on_the_unit_column(
    tree, manager_a, viewer_a
):
    result = run(manager_a, xlsx([row("XB-1")]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "Unit code")]
    result = run(viewer_a, xlsx([row("XA-1")]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "Unit code")]
    assert not Member.objects.exists()


def test_a_duplicate_party_card_within_the_file_is_refused(tree, manager_a):
    result = run(
        manager_a,
        xlsx([row(party_card_number="930001"), row(name="Khác", party_card_number="930001")]),
    )
    assert [(e.row, e.column) for e in result.errors] == [(3, "Party card number")]
    assert not Member.objects.exists()


def test_unknown_values_and_missing_required_values_are_named(tree, manager_a):
    result = run(manager_a, xlsx([row(gender="X", ethnicity="Không rõ", full_name="")]))
    assert {e.column for e in result.errors} == {"Gender", "Ethnicity", "Full name"}


def test_a_missing_column_is_reported_on_the_header_row(tree, manager_a):
    headers = [h for h in HEADERS if h != "Date of birth"]
    result = run(manager_a, xlsx([], headers=headers))
    assert [(e.row, e.column) for e in result.errors] == [(1, "Date of birth")]


def test_a_dry_run_validates_everything_and_saves_nothing(tree, manager_a):
    result = run(manager_a, xlsx([row(), row(name="Hai")]), dry_run=True)
    assert result.errors == [] and result.valid_rows == 2 and result.created == 0
    assert (
        not Member.objects.exists()
        and not MemberEvent.objects.exists()
        and not AuditEntry.objects.filter(content_type__model="member").exists()
    )


@pytest.mark.parametrize(("bom", "delimiter"), [(True, ","), (False, ","), (True, ";")])
def test_csv_in_utf8_with_or_without_bom_is_accepted(tree, manager_a, bom, delimiter):
    result = run(
        manager_a,
        csv_bytes([row(), row(name="Lò Văn Hai")], bom=bom, delimiter=delimiter),
        name="m.csv",
    )
    assert result.errors == [] and result.created == 2
    assert Member.objects.filter(full_name="Lò Văn Hai").exists()


def test_a_csv_not_in_utf8_is_refused_with_a_clear_message(tree, manager_a):
    content = csv_bytes([row(name="Lò Văn Hai")], bom=False).decode("utf-8").encode("utf-16")
    result = run(manager_a, content, name="m.csv")
    assert result.errors and "UTF-8" in result.errors[0].message
    assert not Member.objects.exists()


# --- pages ---------------------------------------------------------------------------------------


def upload(content: bytes, name="members.xlsx"):
    return SimpleUploadedFile(name, content)


def test_the_import_page_redirects_anonymous_visitors_to_login(tree, as_persona):
    response = as_persona("anonymous").get(IMPORT)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_viewer_may_not_import(tree, personas, as_persona):
    client = as_persona("viewer_a")
    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT, {"file": upload(xlsx([row()]))}).status_code == 403
    assert client.get(TEMPLATE).status_code == 403
    assert not Member.objects.exists()


def test_an_outsider_importing_into_commune_a_gets_an_error_on_the_unit_column(
    tree, personas, as_persona
):
    response = as_persona("outsider").post(IMPORT, {"file": upload(xlsx([row()]))})
    assert response.status_code == 400
    assert [(e.row, e.column) for e in response.context["result"].errors] == [(2, "Unit code")]
    assert not Member.objects.exists()


def test_a_manager_imports_a_file_through_the_page(tree, personas, as_persona):
    response = as_persona("manager_a").post(
        IMPORT, {"file": upload(xlsx([row(), row(name="Hai")]))}
    )
    assert response.status_code == 200 and response.context["result"].created == 2
    assert Member.objects.count() == 2


def test_the_page_dry_run_saves_nothing(tree, personas, as_persona):
    response = as_persona("editor_a").post(IMPORT, {"file": upload(xlsx([row()])), "dry_run": "on"})
    assert response.context["result"].valid_rows == 1
    assert not Member.objects.exists()


def test_the_page_lists_errors_by_row_and_column(tree, personas, as_persona):
    response = as_persona("manager_a").post(
        IMPORT, {"file": upload(xlsx([row(), row(birth_date="hôm qua")]))}
    )
    html = response.content.decode()
    assert (
        response.status_code == 400 and "Date of birth" in html and '<td class="num">3</td>' in html
    )
    assert not Member.objects.exists()


def test_the_template_downloads_with_a_guide_and_re_imports(tree, personas, as_persona, manager_a):
    response = as_persona("manager_a").get(TEMPLATE, {"unit": tree.cell_a2.pk})
    assert response.status_code == 200
    content = response.content
    workbook = load_workbook(io.BytesIO(content))
    members, guide = workbook.worksheets
    assert [c.value for c in members[1]] == HEADERS
    assert members["A2"].value == "XA-2"
    guide_text = " ".join(str(c.value) for r in guide.iter_rows() for c in r if c.value)
    assert "La Hủ" in guide_text and "dd/mm/yyyy" in guide_text
    # As downloaded, the example row passes every rule.
    assert run(manager_a, content, dry_run=True).errors == []
    # Filled in, it imports.
    members.append(row(name="Lò Văn Mới"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = run(manager_a, buffer.getvalue())
    assert result.errors == [] and result.created == 2
    assert Member.objects.get(full_name="Lò Văn Mới").unit == tree.cell_a1
