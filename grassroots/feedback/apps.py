from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """Citizens' opinions and complaints: intake (staff and a public form), routing, deadlines in
    working days, answers, escalation."""

    name = "grassroots.feedback"
    label = "feedback"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        from . import home_page

        home_page.register()  # due items on the home, links on the unit pages
