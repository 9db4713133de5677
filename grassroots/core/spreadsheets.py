"""Reading uploaded spreadsheets, shared by every import (members, figures)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _


class FileError(Exception):
    """The file cannot be read at all (not a workbook, no header row …); its message says why."""


def read_xlsx_rows(file) -> Iterator[tuple[int, list[Any]]]:
    """(row number from 1, cell values) of the first sheet, streamed (read-only mode keeps
    memory flat on big files)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is not a workbook
        raise FileError(_("The file is not a readable XLSX workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(values)
    finally:
        workbook.close()
