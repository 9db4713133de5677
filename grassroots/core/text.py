"""Vietnamese text helpers: the search form of a name, and a sort key that knows the alphabet."""

import functools
import unicodedata

_VI_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_VI_RANK = {ch: i for i, ch in enumerate(_VI_ALPHABET)}


def fold(text: str | None) -> str:
    """Lower-case, strip diacritics and map đ→d, collapse spaces: "Mường Hum" → "muong hum"."""
    if not text:
        return ""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def vi_sort_key(text: str) -> tuple:
    """Sort key in Vietnamese alphabetical order (a < ă < â < b …; tones after base letters)."""
    return tuple(map(_letter_key, unicodedata.normalize("NFC", text.lower())))


_LETTER_FORMING = {"\u0306", "\u0302", "\u031b"}


@functools.cache
def _letter_key(ch: str) -> tuple[int, str]:
    """(rank of the letter, its tone marks) of one character, worked out once per character: a
    comparison of a province's 4,456 organizations sorts 100,000 characters."""
    base = unicodedata.normalize("NFD", ch)
    letter = base[0]
    marks = base[1:]
    # ă, â, ê, ô, ơ, ư keep their letter-forming mark; tone marks only break ties.
    kept = "".join(m for m in marks if m in _LETTER_FORMING)
    tone = "".join(m for m in marks if m not in _LETTER_FORMING)
    composed = unicodedata.normalize("NFC", letter + kept)
    return (_VI_RANK.get(composed, 100 + ord(composed[0])), tone)
