from grassroots.core.querysets import ScopedQuerySet


class PlanQuerySet(ScopedQuerySet):
    scope_path_fields = ("unit__path",)


class PlanItemQuerySet(ScopedQuerySet):
    scope_path_fields = ("plan__unit__path",)


class InspectionQuerySet(ScopedQuerySet):
    scope_path_fields = ("unit__path",)


class SubjectQuerySet(ScopedQuerySet):
    scope_path_fields = ("inspection__unit__path",)


class OrganizationDisciplineQuerySet(ScopedQuerySet):
    scope_path_fields = ("unit__path",)
