"""Spreadsheets in and out: the one reader of uploaded files (every import goes through it) and
the cell writers every XLSX and CSV export uses.

Reading. A workbook is a zip archive, and a few kilobytes can declare far more than they hold:
a sheet whose dimension says `A1:XFD1048576` makes openpyxl pad every declared row (minutes of
work), and a shared-strings part that deflates 1000 to 1 is loaded whole into memory. So before
anything is opened the file's size is capped (`GRASSROOTS_UPLOAD_MAX_BYTES`), and the archive's
table of contents is checked: the total unpacked size, each part's compression ratio, and the
unpacked size of every part openpyxl loads whole (everything but the worksheets, which are
streamed). Python's zipfile never inflates a part beyond the size its header declares (it fails
the CRC instead), so the declared sizes are a bound that holds. The sheet is then read in
read-only mode with its declared dimension ignored, and data after a long run of empty rows is
refused rather than padded to.

Writing. Text that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is taken for a
formula by spreadsheet programs (OWASP's "CSV injection"). `csv_writer` prefixes such text with a
single quote; `xlsx_cell` and `xlsx_append` store it as a string cell marked "quote prefix", so
it is never a formula, shows as typed and reads back unchanged. Numbers and dates stay what they
are: a negative number is a number.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any
from xml.etree import ElementTree

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


class FileError(Exception):
    """The file cannot be read at all (not a workbook, too big, no header row …); its message
    says why."""


# --- limits ------------------------------------------------------------------------------------

WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CONTENT_TYPES = "[Content_Types].xml"
MAX_PARTS = 10_000
# Small parts compress well (styles, themes) and cannot hurt: the ratio is checked above this.
RATIO_FLOOR_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What an upload may be. `max_bytes` None: any size (a file on the server, read by a
    command; the archive is still checked for bombs)."""

    max_bytes: int | None
    max_unpacked_bytes: int | None
    max_part_bytes: int
    max_ratio: int
    max_empty_rows: int

    @classmethod
    def uploads(cls) -> Limits:
        return cls(
            max_bytes=settings.GRASSROOTS_UPLOAD_MAX_BYTES,
            max_unpacked_bytes=settings.GRASSROOTS_UPLOAD_MAX_UNPACKED_BYTES,
            max_part_bytes=settings.GRASSROOTS_UPLOAD_MAX_PART_BYTES,
            max_ratio=settings.GRASSROOTS_UPLOAD_MAX_RATIO,
            max_empty_rows=settings.GRASSROOTS_UPLOAD_MAX_EMPTY_ROWS,
        )

    @classmethod
    def server_files(cls) -> Limits:
        return replace(cls.uploads(), max_bytes=None, max_unpacked_bytes=None)


def upload_limit_text(max_bytes: int | None = None) -> str:
    """The size cap as the pages say it ("20.0 MB")."""
    return str(filesizeformat(max_bytes or settings.GRASSROOTS_UPLOAD_MAX_BYTES))


def file_size(file) -> int:
    size = getattr(file, "size", None)
    if isinstance(size, int):
        return size
    position = file.tell()
    file.seek(0, os.SEEK_END)
    size = file.tell()
    file.seek(position)
    return size


def check_size(file, max_bytes: int | None) -> None:
    if max_bytes is not None and file_size(file) > max_bytes:
        raise FileError(
            _("The file is larger than %(limit)s, the most an upload may be: split it.")
            % {"limit": upload_limit_text(max_bytes)}
        )


def _worksheet_parts(archive: zipfile.ZipFile) -> set[str]:
    """The parts the archive declares as worksheets (streamed by the reader; every other part
    is loaded whole)."""
    try:
        info = archive.getinfo(CONTENT_TYPES)
    except KeyError:
        return set()
    if info.file_size > RATIO_FLOOR_BYTES:
        raise FileError(_("The file is not a readable XLSX workbook."))
    try:
        root = ElementTree.fromstring(archive.read(info))
    except (ElementTree.ParseError, zipfile.BadZipFile, ValueError) as exc:
        raise FileError(_("The file is not a readable XLSX workbook.")) from exc
    return {
        element.get("PartName", "").lstrip("/")
        for element in root
        if element.tag.endswith("Override") and element.get("ContentType") == WORKSHEET_TYPE
    }


def check_archive(file, limits: Limits) -> None:
    """Refuse a workbook whose parts would unpack to more than the limits allow, from the
    archive's table of contents alone (nothing is inflated but the small content-types part)."""
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileError(_("The file is not a readable XLSX workbook.")) from exc
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise FileError(_("The file is not a readable XLSX workbook."))
        total = sum(part.file_size for part in parts)
        if limits.max_unpacked_bytes is not None and total > limits.max_unpacked_bytes:
            raise FileError(
                _("The workbook unpacks to %(size)s, more than the %(limit)s allowed: split it.")
                % {
                    "size": filesizeformat(total),
                    "limit": filesizeformat(limits.max_unpacked_bytes),
                }
            )
        sheets = _worksheet_parts(archive)
        for part in parts:
            ratio = part.file_size / max(part.compress_size, 1)
            if part.file_size > RATIO_FLOOR_BYTES and ratio > limits.max_ratio:
                raise FileError(
                    _(
                        "The workbook's part “%(part)s” unpacks %(ratio)s times its packed size "
                        "(at most %(limit)s): it is not an ordinary spreadsheet."
                    )
                    % {"part": part.filename, "ratio": int(ratio), "limit": limits.max_ratio}
                )
            if part.filename not in sheets and part.file_size > limits.max_part_bytes:
                raise FileError(
                    _(
                        "The workbook's part “%(part)s” unpacks to %(size)s, more than the "
                        "%(limit)s allowed: save the file again without shared strings or split it."
                    )
                    % {
                        "part": part.filename,
                        "size": filesizeformat(part.file_size),
                        "limit": filesizeformat(limits.max_part_bytes),
                    }
                )


# --- reading -----------------------------------------------------------------------------------


def _blank(values: Iterable[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def read_xlsx_rows(file, limits: Limits | None = None) -> Iterator[tuple[int, list[Any]]]:
    """(row number from 1, cell values) of the first sheet, streamed: read-only mode, the
    declared dimension ignored (rows are as wide as their own cells), checked against `limits`
    (those of uploads by default) before the workbook is opened. Rows missing from the file
    come as empty lists. Once `max_empty_rows` empty rows follow each other, no row is given
    any more; a row with data after them refuses the file."""
    limits = limits or Limits.uploads()
    check_size(file, limits.max_bytes)
    if hasattr(file, "seek"):
        file.seek(0)
    check_archive(file, limits)
    file.seek(0)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is not a workbook
        raise FileError(_("The file is not a readable XLSX workbook.")) from exc
    try:
        if not workbook.worksheets:
            raise FileError(_("The file is not a readable XLSX workbook."))
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the declared dimension is the file's claim, not its content
        empty_run = 0
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if _blank(values):
                empty_run += 1
                continue
            if empty_run > limits.max_empty_rows:
                raise FileError(
                    _(
                        "Row %(row)s holds data after %(count)s empty rows: the rows of a file "
                        "must follow each other (at most %(limit)s empty rows in a row). Remove "
                        "the empty rows or what lies below them."
                    )
                    % {"row": number, "count": empty_run, "limit": limits.max_empty_rows}
                )
            for gap in range(number - empty_run, number):
                yield gap, []
            empty_run = 0
            yield number, list(values)
    except FileError:
        raise
    except Exception as exc:  # a part that breaks while streamed (a bad CRC, broken XML)
        raise FileError(_("The file is not a readable XLSX workbook.")) from exc
    finally:
        workbook.close()


def _decoded_lines(file) -> Iterator[str]:
    """The file's lines as text (UTF-8, a byte-order mark dropped). A binary file is read through
    a TextIOWrapper — the C decoder, several times faster than a line at a time in Python on
    big files — and left open for its owner."""
    if isinstance(file, io.TextIOBase):
        yield from file
        return
    try:
        text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    except (
        AttributeError,
        TypeError,
        ValueError,
    ):  # not a buffered binary file: decode line by line
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
        for line in file:
            yield line if isinstance(line, str) else decoder.decode(line)
        return
    try:
        yield from text
    finally:
        text.detach()  # the wrapper would close the file when collected


def read_csv_rows(file, limits: Limits | None = None) -> Iterator[tuple[int, list[str]]]:
    """(row number from 1, cell texts) of a UTF-8 CSV file, its delimiter guessed from the
    first line, streamed. Only the size is capped: a CSV file holds what it weighs."""
    limits = limits or Limits.uploads()
    if not isinstance(file, io.TextIOBase):
        check_size(file, limits.max_bytes)
    lines = _decoded_lines(file)
    try:
        first = next(lines, "")
        try:
            dialect = csv.Sniffer().sniff(first, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        yield from enumerate(csv.reader(itertools.chain((first,), lines), dialect), start=1)
    except UnicodeDecodeError as exc:
        raise FileError(_('The CSV file is not in UTF-8: save it as "CSV UTF-8".')) from exc


def read_rows(
    file, file_name: str, limits: Limits | None = None
) -> Iterator[tuple[int, list[Any]]]:
    """The rows of an uploaded XLSX or CSV file (by its name), through the readers above."""
    if hasattr(file, "seek"):
        file.seek(0)
    name = file_name.lower()
    if name.endswith(".csv"):
        return read_csv_rows(file, limits)
    if name.endswith(".xlsx"):
        return read_xlsx_rows(file, limits)
    raise FileError(_("Upload an .xlsx or a .csv file."))


def check_upload(file, file_name: str, max_bytes: int | None = None) -> None:
    """What a form checks before a file is kept or queued: its size (at most `max_bytes`, and
    never more than the setting) and, for a workbook, its archive. Raises FileError."""
    limits = Limits.uploads()
    if max_bytes is not None:
        limits = replace(limits, max_bytes=min(max_bytes, limits.max_bytes))
    check_size(file, limits.max_bytes)
    if file_name.lower().endswith(".xlsx"):
        file.seek(0)
        check_archive(file, limits)
        file.seek(0)


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")


def count_rows(file, file_name: str) -> int:
    """About how many rows the file holds, without reading its cells (for a job's progress): the
    row elements of the first sheet of a workbook, the lines of a CSV file (quoted line breaks
    count twice)."""
    file.seek(0)
    count = 0
    tail = b""
    if file_name.lower().endswith(".xlsx"):
        with zipfile.ZipFile(file) as archive:
            sheets = sorted(
                (
                    n
                    for n in archive.namelist()
                    if n.startswith("xl/worksheets/") and n.endswith(".xml")
                ),
                key=lambda n: (len(n), n),
            )
            if not sheets:
                return 0
            with archive.open(sheets[0]) as part:
                while chunk := part.read(1 << 20):
                    data = tail + chunk
                    count += len(_ROW_TAG.findall(data))
                    # a tag cut by the chunk's end is counted with the next chunk
                    cut = data.rfind(b"<")
                    tail = data[cut:] if 0 <= cut and cut >= len(data) - 16 else b""
                    if tail:
                        count -= len(_ROW_TAG.findall(tail))
        file.seek(0)
        return count
    last = b"\n"
    while chunk := file.read(1 << 20):
        count += chunk.count(b"\n")
        last = chunk[-1:]
    file.seek(0)
    return count + (last != b"\n")


# --- writing -----------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_text(value: object) -> object:
    """A CSV cell as written: text that a spreadsheet would take for a formula gets a leading
    single quote; anything else is left as it is."""
    return "'" + value if looks_like_formula(value) else value  # type: ignore[operator]


class _SafeWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row: Iterable[object]):
        return self._writer.writerow([csv_text(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream, *args, **kwargs) -> _SafeWriter:
    """`csv.writer` whose rows never carry a live formula."""
    return _SafeWriter(csv.writer(stream, *args, **kwargs))


def xlsx_cell(sheet, value: object):
    """A cell for `sheet` (a normal or a write-only one) holding `value`; text is always a
    string cell, never a formula."""
    from openpyxl.cell import Cell

    cell = Cell(sheet, row=1, column=1, value=value)  # placed by append
    if isinstance(value, str):
        cell.data_type = "s"
        if looks_like_formula(value):
            cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
    return cell


def xlsx_append(sheet, values: Iterable[object]) -> None:
    """`sheet.append(values)` with every text written as text."""
    sheet.append(
        [value if hasattr(value, "coordinate") else xlsx_cell(sheet, value) for value in values]
    )
