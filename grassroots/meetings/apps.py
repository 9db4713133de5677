from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Meetings of the units (regular, thematic, extraordinary, committee), their attendance,
    minutes and decisions, and the assignments those decisions create."""

    name = "grassroots.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from grassroots.core.home import register_due_items

        from . import home, member_page, unit_page

        unit_page.register()  # the Meetings tab, the reminder and the work link (organizations)
        member_page.register()  # the member's assignments on their record (members)
        register_due_items("meetings", home.due_items)  # assignments due, minutes unsigned
        if apps.is_installed("grassroots.rollups"):
            from grassroots.rollups.services import register_rebuild

            from .tallies import tally_rebuild

            register_rebuild("meeting_tallies", tally_rebuild)  # manage.py rebuild_rollups
        if apps.is_installed("grassroots.assessments"):
            from . import suggestions

            suggestions.register()
