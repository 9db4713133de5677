from django.db import models

from grassroots.core.querysets import Action


class JobQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = Action.VIEW):
        """A job shows its file and its errors to the person who asked for it and to the system
        administrator, to nobody else whatever their roles: an import's file and errors may name
        members of units outside a reader's subtrees. Whoever sees a job may only read it."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(created_by=user)
