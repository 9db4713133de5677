from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    """Committees and congress terms of the units (cấp ủy, nhiệm kỳ): above the tree and the
    member ledger, since a seat is held by a member."""

    name = "grassroots.committees"
    label = "committees"
    verbose_name = _("Committees")

    def ready(self) -> None:
        from . import ledger, unit_page

        unit_page.register()  # the Committee tab and reminder (organizations.hooks)
        ledger.register()  # seats end with the member ledger's events (members.hooks)
