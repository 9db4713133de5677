from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """Long work run in the background by the task worker, with its progress for the page."""

    name = "grassroots.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")
