"""Querysets of the targets app: every read starts from `visible_to(user, action)`."""

from __future__ import annotations

from django.db import models

from grassroots.core.querysets import Action, ScopedQuerySet


class ResolutionQuerySet(ScopedQuerySet):
    scope_path_fields = ("unit__path",)

    def in_force(self):
        from .choices import ResolutionStatus

        return self.filter(status=ResolutionStatus.IN_FORCE)

    def in_subtree(self, unit):
        return self.filter(unit__path__startswith=unit.path)


class IndicatorQuerySet(models.QuerySet):
    """The indicator catalogue is shared: everyone signed in reads it; only the system
    administrator changes it."""

    def visible_to(self, user, action: str = Action.VIEW):
        if user is None or not user.is_authenticated:
            return self.none()
        if action == Action.VIEW or user.is_superuser:
            return self
        return self.none()


class TargetQuerySet(ScopedQuerySet):
    scope_path_fields = ("unit__path",)


class TargetMilestoneQuerySet(ScopedQuerySet):
    scope_path_fields = ("target__unit__path",)


class DataValueQuerySet(ScopedQuerySet):
    scope_path_fields = ("unit__path",)

    def approved(self):
        from .choices import ValueState

        return self.filter(state=ValueState.APPROVED)

    def in_subtree(self, unit):
        return self.filter(unit__path__startswith=unit.path)


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
