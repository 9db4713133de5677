from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollupsConfig(AppConfig):
    """Subtree counters that keep the figures of the top of the tree fast (see services)."""

    name = "grassroots.rollups"
    label = "rollups"
    verbose_name = _("Roll-up counters")

    def ready(self) -> None:
        from grassroots.organizations import hooks

        # The unit services call it explicitly (no signal: signals only write the audit log).
        # Reorganizations call the roll-ups themselves (`rollup_after_reorganization`).
        hooks.on_unit_changed(_unit_changed)


def _unit_changed(unit) -> None:
    """A unit created or corrected: the figures under the top units above it (its cells, its
    name) may have changed — move their figures version in the same transaction."""
    from .services import rollup_touch_path

    rollup_touch_path(unit.path or "")
