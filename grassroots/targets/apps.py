from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "grassroots.targets"
    label = "targets"
    verbose_name = _("Resolutions and targets")

    def ready(self) -> None:
        from . import unit_page

        unit_page.register()  # the Targets tab of the unit pages (organizations.hooks)
