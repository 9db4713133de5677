from grassroots.core.querysets import ScopedQuerySet, path_q, role_paths


class FeedbackQuerySet(ScopedQuerySet):
    """Feedback is seen in the subtree of the unit handling it and, once escalated, still in the
    subtree of the unit that first received it (which follows what became of it)."""

    scope_path_fields = ("unit__path", "origin_unit__path")

    def visible_to(self, user, action: str = "view"):
        # Both paths are foreign keys to one row each: no row repeats, so no DISTINCT (which
        # would get in the way of the board's aggregates).
        paths = role_paths(user, action)
        if paths is None:
            return self
        if not paths:
            return self.none()
        return self.filter(path_q("unit__path", paths) | path_q("origin_unit__path", paths))

    def open(self):
        from .choices import OPEN_STATUSES

        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today):
        return self.open().filter(due_date__lt=today)


class FeedbackEventQuerySet(ScopedQuerySet):
    scope_path_fields = ("feedback__unit__path", "feedback__origin_unit__path")

    def visible_to(self, user, action: str = "view"):
        paths = role_paths(user, action)
        if paths is None:
            return self
        if not paths:
            return self.none()
        return self.filter(
            path_q("feedback__unit__path", paths) | path_q("feedback__origin_unit__path", paths)
        )
