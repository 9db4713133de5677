"""Access scoping: the one place where roles on subtrees become a filter."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from .access import Access, Action, path_of

__all__ = ["Action", "ScopedQuerySet", "in_subtree", "path_q", "role_paths"]


def role_paths(user, action: str = Action.VIEW) -> list[str] | None:
    """Paths of the subtrees `user` may act on; None means everything (system administrator)."""
    return Access.of(user).paths(action)


def in_subtree(field: str, unit_or_path) -> Q:
    """The rows whose path field `field` lies in the subtree of a unit (or a path)."""
    return Q(**{f"{field}__startswith": path_of(unit_or_path)})


def path_q(field: str, paths: list[str]) -> Q:
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{field}__startswith": p})
    return q


class ScopedQuerySet(models.QuerySet):
    """A queryset whose rows belong to a unit's subtree through `scope_path_fields`.

    A row is visible when any of its scope paths lies under a subtree the user holds a role on.
    """

    scope_path_fields: tuple[str, ...] = ("path",)

    def visible_to(self, user, action: str = Action.VIEW):
        paths = role_paths(user, action)
        if paths is None:
            return self
        if not paths:
            return self.none()
        q = Q(pk__in=[])
        for field in self.scope_path_fields:
            q |= path_q(field, paths)
        return self.filter(q).distinct() if len(self.scope_path_fields) > 1 else self.filter(q)


class AuditEntryQuerySet(ScopedQuerySet):
    scope_path_fields = ("unit_path",)

    def for_object(self, obj):
        from django.contrib.contenttypes.models import ContentType

        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=str(obj.pk),
        )
