from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo dataset: the units of the source articles with synthetic members. No models."""

    name = "grassroots.demo"
    label = "demo"
    verbose_name = _("Demo data")
