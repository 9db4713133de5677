from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "grassroots.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import audit

        audit.connect_signals()

        from django.db.models.signals import post_delete, post_save

        from . import dates, rules
        from .models import Holiday, RuleSetting

        post_save.connect(rules.clear_cache, sender=RuleSetting, dispatch_uid="rules-clear-save")
        post_delete.connect(
            rules.clear_cache, sender=RuleSetting, dispatch_uid="rules-clear-delete"
        )
        # Working days are counted from the holiday table: a change counts at once.
        post_save.connect(
            dates.clear_holiday_cache, sender=Holiday, dispatch_uid="holidays-clear-save"
        )
        post_delete.connect(
            dates.clear_holiday_cache, sender=Holiday, dispatch_uid="holidays-clear-delete"
        )
