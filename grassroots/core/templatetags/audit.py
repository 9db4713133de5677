"""`{% readable_audit entries as rows %}`: a page of audit entries as people read them."""

from django import template

from grassroots.core.audit_display import readable_entries

register = template.Library()


@register.simple_tag
def readable_audit(entries):
    return readable_entries(entries)
