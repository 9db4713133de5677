from grassroots.core.querysets import ScopedQuerySet


class MeetingQuerySet(ScopedQuerySet):
    scope_path_fields = ("unit__path",)


class MeetingPartQuerySet(ScopedQuerySet):
    """Rows that belong to a meeting (attendance, decisions, corrections, documents)."""

    scope_path_fields = ("meeting__unit__path",)


class AssignmentQuerySet(ScopedQuerySet):
    scope_path_fields = ("unit__path",)

    def overdue(self, day):
        from .choices import AssignmentStatus

        return self.filter(status=AssignmentStatus.OPEN, due_date__lt=day)


class LiaisonQuerySet(ScopedQuerySet):
    scope_path_fields = ("unit__path",)
