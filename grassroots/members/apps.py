from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "grassroots.members"
    label = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        from . import counters, home, unit_page

        home.register()
        counters.register()  # the roll-ups read the members through it
        unit_page.register()  # the unit pages' figures and work (organizations.hooks)
