from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollupsConfig(AppConfig):
    """Subtree counters that keep the figures of the top of the tree fast (see services)."""

    name = "grassroots.rollups"
    label = "rollups"
    verbose_name = _("Roll-up counters")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from grassroots.organizations.models import Unit

        # Units are closed, never deleted (the admin refuses it): saving is the only change.
        post_save.connect(_unit_changed, sender=Unit, dispatch_uid="rollups-unit-saved")


def _unit_changed(sender, instance, **kwargs) -> None:
    """A unit created or edited: the figures under the top units above it (its cells, its
    name) may have changed — move their figures version in the same transaction."""
    if kwargs.get("raw"):
        return  # fixtures loading
    from .services import rollup_touch_path

    rollup_touch_path(instance.path or "")
