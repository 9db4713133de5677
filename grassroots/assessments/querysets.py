from django.db.models import Q

from grassroots.core.access import Access, Action
from grassroots.core.querysets import ScopedQuerySet, path_q


def _ancestor_paths(paths: list[str]) -> list[str]:
    """Every path at or above the given ones ("/1/7/42/" → "/1/", "/1/7/", "/1/7/42/")."""
    found: set[str] = set()
    for path in paths:
        parts = [p for p in path.strip("/").split("/") if p]
        for i in range(1, len(parts) + 1):
            found.add("/" + "/".join(parts[:i]) + "/")
    return sorted(found)


class FrameworkQuerySet(ScopedQuerySet):
    """A framework is changed by whoever may change its issuing unit, and read also by every
    unit below it (the cells that register for it)."""

    scope_path_fields = ("issuing_unit__path",)

    def visible_to(self, user, action: str = Action.VIEW):
        if action != Action.VIEW:
            return super().visible_to(user, action)
        paths = Access.of(user).paths(Action.VIEW)
        if paths is None:
            return self
        if not paths:
            return self.none()
        return self.filter(
            path_q("issuing_unit__path", paths) | Q(issuing_unit__path__in=_ancestor_paths(paths))
        )


class RegistrationQuerySet(ScopedQuerySet):
    scope_path_fields = ("unit__path",)


class AssessmentQuerySet(ScopedQuerySet):
    scope_path_fields = ("registration__unit__path",)


class EvidenceQuerySet(ScopedQuerySet):
    scope_path_fields = ("assessment__registration__unit__path",)
