from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassificationsConfig(AppConfig):
    """The year-end review and classification of collectives and members under versioned rule sets
    (Regulation 132, 124, 366) and the quota of "excellent"."""

    name = "grassroots.classifications"
    label = "classifications"
    verbose_name = _("Classifications")

    def ready(self) -> None:
        from . import runs, unit_page

        runs.register()  # the background run of a subtree (jobs' worker)
        unit_page.register()  # the unit page's link to its classifications
