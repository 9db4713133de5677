"""The print stylesheet and the shared "Print" button."""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

CSS = Path(settings.BASE_DIR) / "grassroots" / "static" / "css" / "grassroots.css"


def print_rules() -> str:
    css = CSS.read_text()
    start = css.index("@media print")
    return css[start:]


def test_printing_hides_navigation_filters_buttons_and_the_footer():
    rules = print_rules()
    for selector in [
        ".no-print",
        ".site-header",
        ".site-footer",
        "nav",
        ".button",
        "form[method=get]",
    ]:
        assert selector in rules.split("{ display: none")[0], selector


def test_a_printed_page_is_a4_and_its_tables_repeat_their_header_without_split_rows():
    css = CSS.read_text()
    assert "@page { size: A4;" in css
    rules = print_rules()
    assert "thead { display: table-header-group; }" in rules
    assert "break-inside: avoid" in rules


def test_the_print_button_prints_and_is_not_printed():
    html = render_to_string("includes/print_button.html")
    assert 'onclick="window.print()"' in html and "no-print" in html and "Print" in html
