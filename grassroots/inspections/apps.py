from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    """Yearly inspection and supervision plans, the inspections carried out, their conclusions and
    the discipline they lead to."""

    name = "grassroots.inspections"
    label = "inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from . import home, unit_page

        unit_page.register()  # links and the discipline notice on the unit pages
        home.register()  # inspections to conclude and discipline to record, on the home page
