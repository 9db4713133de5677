"""Users and the roles they hold on units."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import AuditedModel
from grassroots.core.querysets import Action, ScopedQuerySet


class User(AbstractUser):
    """A person who signs in. A superuser is the system administrator and sees everything."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True, default="")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username


class RoleAssignmentQuerySet(ScopedQuerySet):
    scope_path_fields = ("unit__path",)


class RoleAssignment(AuditedModel):
    """A role held by a user on a unit; it reaches the unit's whole subtree."""

    class Role(models.TextChoices):
        VIEWER = "viewer", _("Viewer")
        EDITOR = "editor", _("Editor")
        MANAGER = "manager", _("Manager")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                name="role_unique_per_user_unit",
                violation_error_message=_("This user already holds this role on this unit."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"

    def audit_unit_path(self) -> str:
        return self.unit.path

    @classmethod
    def roles_for(cls, action: str) -> list[str]:
        if action == Action.VIEW:
            return [cls.Role.VIEWER, cls.Role.EDITOR, cls.Role.MANAGER]
        if action == Action.CHANGE:
            return [cls.Role.EDITOR, cls.Role.MANAGER]
        return [cls.Role.MANAGER]
