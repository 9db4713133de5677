"""The Vietnamese catalog is complete and compiled, and the pages speak Vietnamese by default."""

from __future__ import annotations

import ast
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation

from config.settings import base as base_settings
from grassroots.members.services import member_admit

VI_PO = Path(django_settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"

# %(name)s, %(n)d, %s, %d — blocktrans variables reach the catalog as %(name)s too.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")


@dataclass
class Entry:
    """One message of a .po file: its id, plural id, translations and flags."""

    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def parse_po(path: Path) -> tuple[Entry, list[Entry]]:
    """A small .po reader (no third-party library): the header entry and the other entries.

    Obsolete entries (#~) are skipped; strings are joined across continuation lines.
    """
    entries: list[Entry] = []
    current: Entry | None = None
    flags: set[str] = set()
    target: tuple[str, int | None] | None = None

    def finish() -> None:
        nonlocal current
        if current is not None:
            entries.append(current)
        current = None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            flags = set()
            continue
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _space, rest = line.partition(" ")
        if line.startswith('"'):
            text = ast.literal_eval(line)
        else:
            text = ast.literal_eval(rest)
            if keyword in {"msgctxt", "msgid"} and current is not None and current.msgid:
                finish()
            if current is None:
                current = Entry(flags=flags, line=number)
                flags = set()
            if keyword.startswith("msgstr["):
                target = ("msgstr", int(keyword[7:-1]))
            elif keyword == "msgstr":
                target = ("msgstr", 0)
            else:
                target = (keyword, None)
        assert current is not None and target is not None, f"{path}:{number}: text outside an entry"
        name, index = target
        if name == "msgstr":
            current.msgstr[index] = current.msgstr.get(index, "") + text
        else:
            setattr(current, name, (getattr(current, name) or "") + text)
    finish()
    header = next(entry for entry in entries if entry.msgid == "" and entry.msgctxt is None)
    return header, [entry for entry in entries if entry is not header]


@pytest.fixture(scope="module")
def catalog() -> tuple[Entry, list[Entry]]:
    return parse_po(VI_PO)


def test_the_vietnamese_header_declares_one_plural_form_and_utf8(catalog):
    header, entries = catalog
    text = header.msgstr[0]
    assert "Language: vi\n" in text
    assert "Plural-Forms: nplurals=1; plural=0;" in text
    assert "charset=UTF-8" in text
    assert "fuzzy" not in header.flags
    assert len(entries) > 500


def test_every_message_has_a_vietnamese_translation_and_none_is_fuzzy(catalog):
    _header, entries = catalog
    untranslated = [
        entry.msgid for entry in entries if not all(text.strip() for text in entry.msgstr.values())
    ]
    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
    assert untranslated == []
    assert fuzzy == []


def test_plural_messages_fill_the_single_vietnamese_form(catalog):
    _header, entries = catalog
    plurals = [entry for entry in entries if entry.msgid_plural is not None]
    assert plurals
    assert all(set(entry.msgstr) == {0} for entry in plurals)


def test_every_translation_keeps_the_placeholders_of_its_message(catalog):
    _header, entries = catalog
    broken = []
    for entry in entries:
        expected = Counter(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural is not None:
            # A plural translation may use the placeholders of either English form.
            allowed = [expected, Counter(PLACEHOLDER.findall(entry.msgid_plural))]
        else:
            allowed = [expected]
        for text in entry.msgstr.values():
            if Counter(PLACEHOLDER.findall(text)) not in allowed:
                broken.append((entry.line, entry.msgid, text))
    assert broken == []


def test_the_compiled_catalog_holds_every_translation_of_the_po_file(catalog):
    _header, entries = catalog
    stale = []
    with translation.override("vi"):
        for entry in entries:
            if entry.msgid_plural is not None:
                got = translation.ngettext(entry.msgid, entry.msgid_plural, 1)
            elif entry.msgctxt is not None:
                got = translation.pgettext(entry.msgctxt, entry.msgid)
            else:
                got = translation.gettext(entry.msgid)
            if got != entry.msgstr[0]:
                stale.append(entry.msgid)
    assert stale == [], "run `make messages` to compile locale/"


def test_official_party_terms_are_used(catalog):
    _header, entries = catalog
    vi = {entry.msgid: entry.msgstr[0] for entry in entries if entry.msgid_plural is None}
    assert vi["Probationary member"] == "Đảng viên dự bị"
    assert vi["Official member"] == "Đảng viên chính thức"
    assert vi["Grassroots party organization"] == "Đảng bộ cơ sở"
    assert vi["Recognized as official member"] == "Công nhận đảng viên chính thức"
    assert vi["Expulsion"] == "Khai trừ"
    assert vi["Party age"] == "Tuổi đảng"


# --- pages ---------------------------------------------------------------------------------


@pytest.fixture
def vietnamese_default(settings):
    """The production default (base settings) rather than the English of the test settings."""
    assert base_settings.LANGUAGE_CODE == "vi"
    settings.LANGUAGE_CODE = base_settings.LANGUAGE_CODE
    return settings


@pytest.fixture
def member_in_cell_a1(tree, admin_user):
    return member_admit(
        actor=admin_user,
        unit=tree.cell_a1,
        full_name="Lò Thị Mai",
        gender="female",
        birth_date=dt.date(1995, 3, 2),
        ethnicity="thai",
        decision_date=dt.date(2025, 6, 2),
        ceremony_date=dt.date(2025, 6, 20),
    )


def test_the_tree_and_the_member_list_are_in_vietnamese_by_default_and_in_english_after_switching(
    vietnamese_default, as_persona, tree, member_in_cell_a1
):
    client = as_persona("manager_a")
    tree_url = reverse("organizations:tree")
    members_url = reverse("members:member_list") + f"?unit={tree.cell_a1.pk}"

    page = client.get(tree_url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in page
    assert "Cây tổ chức" in page and "Đơn vị" in page and "Đảng viên" in page
    assert "Tree of units" not in page
    page = client.get(members_url).content.decode()
    assert f"Danh sách đảng viên {tree.cell_a1.name}" in page
    assert "Đảng viên dự bị" in page and "Lò Thị Mai" in page
    assert "Admit a member" not in page

    response = client.post(reverse("set_language"), {"language": "en", "next": tree_url})
    assert response.status_code == 302

    page = client.get(tree_url).content.decode()
    assert '<html lang="en">' in page
    assert "Tree of units" in page and "Cây tổ chức" not in page
    page = client.get(members_url).content.decode()
    assert f"Members of {tree.cell_a1.name}" in page
    assert "Probationary member" in page and "Đảng viên dự bị" not in page
