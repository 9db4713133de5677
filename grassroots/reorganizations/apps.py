from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReorganizationsConfig(AppConfig):
    """Merging, splitting, renaming, moving and dissolving units: plan, preview, apply. The rows
    it writes (Reorganization, Lineage, placements) are the tree's history and belong to
    organizations; this app has no models of its own."""

    name = "grassroots.reorganizations"
    label = "reorganizations"
    verbose_name = _("Reorganizations")

    def ready(self) -> None:
        from . import unit_page

        unit_page.register()  # the Actions of the unit pages (organizations.hooks)
