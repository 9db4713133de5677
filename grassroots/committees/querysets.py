from grassroots.core.querysets import ScopedQuerySet


class CommitteeQuerySet(ScopedQuerySet):
    scope_path_fields = ("unit__path",)


class CommitteeSeatQuerySet(ScopedQuerySet):
    scope_path_fields = ("committee__unit__path",)
