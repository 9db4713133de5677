from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """ "4 good" frameworks, registrations and the monthly self-assessment of cells and grassroots
    committees, reviewed by the level above."""

    name = "grassroots.assessments"
    label = "assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from . import suggestions, unit_page

        suggestions.register()  # the member ledger's suggestion (recognitions on time)
        unit_page.register()  # the unit page's "4 good" tab and the home's due months
        from grassroots.rollups.services import register_rebuild, register_subtrees_moved

        from .tallies import subtrees_moved, tally_rebuild

        register_rebuild("board_tallies", tally_rebuild)  # manage.py rebuild_rollups
        register_subtrees_moved("board_tallies", subtrees_moved)  # reorganizations
