from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Meetings of the units (regular, thematic, extraordinary, committee), their attendance,
    minutes and decisions, and the assignments those decisions create."""

    name = "grassroots.meetings"
    label = "meetings"
    verbose_name = _("Meetings")
