"""`{% may "change" unit as can_change %}`: the access object asked from a template."""

from django import template

from grassroots.core.access import Access

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, action: str, target) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None) if request is not None else context.get("user")
    return Access.of(user).may(action, target)
