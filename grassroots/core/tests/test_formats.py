import datetime as dt
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation


def render(source: str, **context) -> str:
    return Template("{% load humanize %}" + source).render(Context(context))


def test_vietnamese_figures_group_with_dots_and_decimals_with_a_comma():
    with translation.override("vi"):
        assert render("{{ n|intcomma }}", n=1320) == "1.320"
        assert render('{{ x|floatformat:"1g" }}', x=Decimal("1320.5")) == "1.320,5"
        assert render("{{ d|date:'SHORT_DATE_FORMAT' }}", d=dt.date(2026, 11, 22)) == "22/11/2026"


def test_ids_in_links_are_never_grouped():
    with translation.override("vi"):
        assert render("?unit={{ pk }}", pk=12345) == "?unit=12345"
