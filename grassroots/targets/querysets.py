"""Querysets of the targets app: every read starts from `visible_to(user, action)`."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from grassroots.core.access import Access
from grassroots.core.querysets import Action, ScopedQuerySet, in_subtree, path_q


class ResolutionQuerySet(ScopedQuerySet):
    scope_path_fields = ("unit__path",)

    def in_force(self):
        from .choices import ResolutionStatus

        return self.filter(status=ResolutionStatus.IN_FORCE)

    def in_subtree(self, unit):
        return self.filter(in_subtree("unit__path", unit))


class AdoptedReviewQuerySet(ScopedQuerySet):
    scope_path_fields = ("resolution__unit__path",)


class IndicatorQuerySet(models.QuerySet):
    """The indicator catalogue is shared: everyone signed in reads it; only the system
    administrator changes it."""

    def visible_to(self, user, action: str = Action.VIEW):
        if user is None or not user.is_authenticated:
            return self.none()
        if action == Action.VIEW or user.is_superuser:
            return self
        return self.none()


class _FollowsResolution(ScopedQuerySet):
    """Read where the target's unit lies (a commune sees what a province's resolution asks of
    it); changed only by those who may change the resolution and the target's unit."""

    resolution_path_field = ""

    def visible_to(self, user, action: str = Action.VIEW):
        if action == Action.VIEW:
            return super().visible_to(user, action)
        paths = Access.of(user).paths(action)
        if paths is None:
            return self
        if not paths:
            return self.none()
        unit_q = Q(pk__in=[])
        for field in self.scope_path_fields:
            unit_q |= path_q(field, paths)
        return self.filter(path_q(self.resolution_path_field, paths) & unit_q)


class TargetQuerySet(_FollowsResolution):
    scope_path_fields = ("unit__path",)
    resolution_path_field = "resolution__unit__path"


class TargetMilestoneQuerySet(_FollowsResolution):
    scope_path_fields = ("target__unit__path",)
    resolution_path_field = "target__resolution__unit__path"


class DataValueQuerySet(ScopedQuerySet):
    scope_path_fields = ("unit__path",)

    def approved(self):
        from .choices import ValueState

        return self.filter(state=ValueState.APPROVED)

    def in_subtree(self, unit):
        return self.filter(in_subtree("unit__path", unit))


class DataValueTransitionQuerySet(ScopedQuerySet):
    scope_path_fields = ("value__unit__path",)

    # History is data: transitions are only ever added.
    def update(self, **kwargs):
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError(_("The history of a value cannot be changed."))

    def delete(self):
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError(_("The history of a value cannot be changed."))
