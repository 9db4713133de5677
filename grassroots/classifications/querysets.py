"""Scoping of the classification rows (see core.querysets.ScopedQuerySet)."""

from grassroots.core.querysets import ScopedQuerySet


class ReviewQuerySet(ScopedQuerySet):
    scope_path_fields = ("unit__path",)


class ClassificationQuerySet(ScopedQuerySet):
    scope_path_fields = ("unit__path",)

    def members(self):
        return self.filter(subject="member")

    def collectives(self):
        return self.filter(subject="collective")


class StepQuerySet(ScopedQuerySet):
    scope_path_fields = ("classification__unit__path",)


class CircumstanceQuerySet(ScopedQuerySet):
    scope_path_fields = ("unit__path",)


class RunQuerySet(ScopedQuerySet):
    scope_path_fields = ("unit__path",)
