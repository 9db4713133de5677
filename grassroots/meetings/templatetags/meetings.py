"""Small template helpers of the meeting pages."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..choices import OVERDUE

register = template.Library()

BADGE = {"open": "", "done": " ok", "dropped": " closed", OVERDUE: " warn"}


@register.simple_tag
def assignment_badge(assignment, today) -> str:
    """The assignment's status on `today` as a badge (overdue is an open one past its date)."""
    status = assignment.status_on(today)
    label = _("Overdue") if status == OVERDUE else assignment.get_status_display()
    return format_html('<span class="badge{}">{}</span>', BADGE[status], label)


@register.filter
def percent(value) -> str:
    """A rate as "91,3 %" (localized), "—" when there is none."""
    if value is None:
        return "—"
    from django.utils.formats import number_format

    return f"{number_format(value, 1)} %"
