"""A framework's workbook: exported and imported back exactly; a bad file names its row and
column and saves nothing."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from grassroots.assessments import services
from grassroots.assessments.models import Criterion, Framework
from grassroots.assessments.spreadsheet import HEADER, framework_import, framework_workbook

from .helpers import make_framework


def _rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))


def _empty(tree, code="copy"):
    return services.framework_create(
        actor=None, issuing_unit=tree.province, code=code, name="Trống", unit_kinds=["cell"]
    )


def _shape(framework: Framework) -> dict:
    return {
        "heading": [getattr(framework, f) for f in services.FRAMEWORK_FIELDS],
        "groups": list(
            framework.groups.order_by("order").values_list(
                "order", "code", "name_vi", "name_en", "max_points", "min_points"
            )
        ),
        "criteria": list(
            Criterion.objects.filter(group__framework=framework)
            .order_by("group__order", "order")
            .values_list(
                "group__code",
                "order",
                "code",
                "text_vi",
                "text_en",
                "max_points",
                "scoring",
                "scale_steps",
                "suggester",
            )
        ),
        "bands": list(
            framework.bands.values_list(
                "key", "label_vi", "label_en", "min_total", "requires_group_minimums"
            )
        ),
    }


def test_the_round_trip_is_exact(tree):
    original = make_framework(tree)
    group = original.groups.get(code="1")
    # A criterion added after publishing would be refused: build a draft with a suggester.
    draft = services.framework_new_version(actor=None, framework=original)
    services.criterion_add(
        actor=None,
        group=draft.groups.get(code="1"),
        code="1.2",
        text_vi="=Công nhận đúng hạn",  # formula-like text stays text
        max_points=5,
        suggester="recognitions_on_time",
    )
    assert group.criteria.count() == 1
    content = framework_workbook(draft)
    target = _empty(tree)
    framework_import(actor=None, framework=target, file=io.BytesIO(content), file_name="f.xlsx")
    target.refresh_from_db()
    assert _shape(target) == _shape(draft)
    assert _rows(framework_workbook(target)) == _rows(content)


def _workbook(rows) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def test_a_bad_row_is_named_by_row_and_column_and_nothing_is_saved(tree):
    target = _empty(tree)
    services.group_add(actor=None, framework=target, code="9", name_vi="Cũ", max_points=10)
    content = _workbook(
        [
            ["framework", "name", None, "Khung mới"],
            ["group", "1", None, "Nhóm 1", "Group 1", 25, 10],
            ["criterion", "1.1", "1", "Tiêu chí", None, "nhiều", None, "points"],
            ["criterion", "1.2", "7", "Tiêu chí", None, 5, None, "points"],
            ["criterion", "1.3", "1", "Tiêu chí", None, 30, None, "points"],
            ["band", "good", None, "Tốt", None, 70, None, None, None, None, "maybe"],
        ]
    )
    with pytest.raises(ValidationError) as error:
        framework_import(actor=None, framework=target, file=content, file_name="f.xlsx")
    messages = error.value.message_dict["file"]
    assert any(m.startswith("Row 4, column F (points)") for m in messages)
    assert any(m.startswith("Row 7, column K (requires_group_minimums)") for m in messages)
    target.refresh_from_db()
    assert target.name == "Trống"
    assert list(target.groups.values_list("code", flat=True)) == ["9"]


def test_a_rule_the_services_refuse_is_named_by_row_and_column_and_nothing_is_saved(tree):
    target = _empty(tree)
    content = _workbook(
        [
            ["framework", "name", None, "Khung mới"],
            ["group", "1", None, "Nhóm 1", None, 25],
            ["criterion", "1.1", "1", "Tiêu chí", None, 20, None, "points"],
            ["criterion", "1.2", "7", "Tiêu chí", None, 5, None, "points"],
            ["criterion", "1.3", "1", "Tiêu chí", None, 10, None, "points"],
            ["band", "weak", None, "Yếu", None, 0],
        ]
    )
    with pytest.raises(ValidationError) as error:
        framework_import(actor=None, framework=target, file=content, file_name="f.xlsx")
    messages = error.value.message_dict["file"]
    assert any(m.startswith("Row 5, column C (group)") for m in messages)
    assert any(m.startswith("Row 6, column F (points)") for m in messages)
    target.refresh_from_db()
    assert target.name == "Trống" and not target.groups.exists() and not target.bands.exists()


def test_a_published_framework_is_not_imported_into(tree):
    framework = make_framework(tree)
    with pytest.raises(ValidationError):
        framework_import(
            actor=None,
            framework=framework,
            file=io.BytesIO(framework_workbook(framework)),
            file_name="f.xlsx",
        )


def test_the_import_page_reports_the_rows_and_the_export_is_a_workbook(tree, as_persona):
    framework = make_framework(tree)
    target = _empty(tree)
    admin = as_persona("admin")
    export = admin.get(reverse("assessments:framework_export", args=[framework.pk]))
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    upload = io.BytesIO(export.content)
    upload.name = "khung.xlsx"
    response = admin.post(
        reverse("assessments:framework_import", args=[target.pk]), {"file": upload}
    )
    assert response.status_code == 302
    assert target.groups.count() == 4
    bad = _workbook([["group", "1", None, "", None, 25]])
    bad.name = "bad.xlsx"
    other = _empty(tree, "other")
    response = admin.post(reverse("assessments:framework_import", args=[other.pk]), {"file": bad})
    assert response.status_code == 400
    assert "Row 2, column D (text_vi)" in response.content.decode()
