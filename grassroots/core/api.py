"""Shared pieces of the REST API: error format, actor for the audit log, scoped viewsets."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .audit import _actor
from .querysets import Action


def validation_error_detail(error: DjangoValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in msgs] for field, msgs in error.message_dict.items()}
    return {"non_field_errors": [str(m) for m in error.messages]}


def exception_handler(exc, context):
    """Turns a service's ValidationError into a 400 naming the fields."""
    if isinstance(exc, DjangoValidationError):
        return Response(validation_error_detail(exc), status=400)
    if isinstance(exc, DjangoPermissionDenied):
        return Response({"detail": str(exc) or "Permission denied."}, status=403)
    return drf_exception_handler(exc, context)


class AuditActorMixin:
    """Token-authenticated requests are authenticated inside DRF, after the middleware ran."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.user and request.user.is_authenticated:
            _actor.set(request.user)


class ScopedPermission(permissions.IsAuthenticated):
    """Reads need any role on the object's subtree (else 404 from the scoped queryset);
    writes need a role that allows changing it (else 403)."""

    write_action = Action.CHANGE

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        model = type(obj)
        return (
            model._default_manager.visible_to(request.user, self.write_action)
            .filter(pk=obj.pk)
            .exists()
        )


class ServiceErrorSerializer(serializers.Serializer):
    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)
