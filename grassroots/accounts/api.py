"""REST API of accounts: the caller's own roles."""

from rest_framework import serializers, viewsets

from grassroots.core.api import AuditActorMixin

from .models import RoleAssignment


class RoleAssignmentSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = ["id", "unit", "unit_code", "unit_name", "role", "granted_at"]


class MyRoleViewSet(AuditActorMixin, viewsets.ReadOnlyModelViewSet):
    """The roles the caller holds; each reaches the whole subtree of its unit."""

    serializer_class = RoleAssignmentSerializer
    queryset = RoleAssignment.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RoleAssignment.objects.none()
        return (
            RoleAssignment.objects.filter(user=self.request.user)
            .select_related("unit")
            .order_by("unit__path", "role")
        )


def register(router) -> None:
    router.register("me/roles", MyRoleViewSet, basename="my-role")
