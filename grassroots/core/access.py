"""One access object per user and request: which subtrees a user may see, change or manage.

Every "may this user do X on unit U" in views, templates, API views and services asks this object;
querysets keep `visible_to` (which reads the same paths). Nothing else compares paths by hand.

A user's roles are read once per action and kept on the user object, which lives for one request
(`request.user`), so a page that asks twenty times runs one query per action.
"""

from __future__ import annotations

from typing import Protocol

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _


class Action:
    """What a role allows: see a subtree, change its records, manage its structure and roles."""

    VIEW = "view"
    CHANGE = "change"
    MANAGE = "manage"


class HasPath(Protocol):
    path: str


def path_of(target) -> str:
    return target if isinstance(target, str) else target.path


def under(path: str, prefixes) -> bool:
    """Whether `path` lies in one of the subtrees `prefixes` (a unit's path is its own subtree)."""
    return any(path.startswith(p) for p in prefixes)


class Access:
    """What one user may do where. Build it with `Access.of(user)` (or `request.access`)."""

    def __init__(self, user) -> None:
        self.user = user
        self._paths: dict[str, list[str] | None] = {}

    @classmethod
    def of(cls, user) -> Access:
        """The access object of `user`, built once and kept on the user for the request."""
        if user is None:
            return cls(None)
        access = getattr(user, "_grassroots_access", None)
        if access is None:
            access = cls(user)
            try:
                user._grassroots_access = access
            except AttributeError:  # an AnonymousUser instance shared by Django
                pass
        return access

    # --- the subtrees -------------------------------------------------------------------------

    @property
    def is_everywhere(self) -> bool:
        """A system administrator: every action everywhere."""
        return bool(self.user is not None and self.user.is_authenticated and self.user.is_superuser)

    def paths(self, action: str = Action.VIEW) -> list[str] | None:
        """Paths of the subtrees the user may act on; None means everywhere (administrator)."""
        user = self.user
        if user is None or not user.is_authenticated:
            return []
        if user.is_superuser:
            return None
        if action not in self._paths:
            role_model = apps.get_model("accounts", "RoleAssignment")
            roles = role_model.roles_for(action)
            found = sorted(
                set(
                    role_model.objects.filter(user=user, role__in=roles).values_list(
                        "unit__path", flat=True
                    )
                )
            )
            # Keep only the top of nested grants: a subtree inside another adds nothing.
            top: list[str] = []
            for p in found:
                if not under(p, top):
                    top.append(p)
            self._paths[action] = top
        return self._paths[action]

    def may(self, action: str, target: HasPath | str | None) -> bool:
        """Whether the user may do `action` on the unit (or the path) `target`."""
        if target is None:
            return False
        paths = self.paths(action)
        return paths is None or under(path_of(target), paths)

    def require(self, action: str, target: HasPath | str | None) -> None:
        """Refuse unless the user may do `action` on `target`: 404 when they may not even see it
        (its existence does not leak), 403 when they see it but their role is read-only."""
        if self.may(action, target):
            return
        if action != Action.VIEW and self.may(Action.VIEW, target):
            raise PermissionDenied(_("Your role on this unit is read-only."))
        raise Http404

    @property
    def has_any_change_role(self) -> bool:
        """Whether the user may change anything at all (offers "new", "import" links)."""
        paths = self.paths(Action.CHANGE)
        return paths is None or bool(paths)

    @property
    def has_any_manage_role(self) -> bool:
        paths = self.paths(Action.MANAGE)
        return paths is None or bool(paths)

    # --- what a page shows --------------------------------------------------------------------

    def crumbs(self, unit, *, include_self: bool = False, ancestors=None) -> list:
        """The units above `unit` (and `unit` itself with `include_self`) that the user may see,
        from the top down: the breadcrumbs. Units above the user's roles stay unnamed.

        `ancestors` may pass the chain already read (e.g. from a cache); otherwise it is read in
        one query from the unit's path."""
        if unit is None:
            return []
        if ancestors is None:
            ids = [i for i in unit.ancestor_ids() if i != unit.pk]
            found = {u.pk: u for u in type(unit)._default_manager.filter(pk__in=ids)} if ids else {}
            ancestors = [found[i] for i in ids if i in found]
        chain = list(ancestors) + ([unit] if include_self else [])
        paths = self.paths(Action.VIEW)
        if paths is None:
            return chain
        return [u for u in chain if under(u.path, paths)]


def access_of(user) -> Access:
    return Access.of(user)
