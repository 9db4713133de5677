from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import IsAuthenticated

from grassroots.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("grassroots.accounts.urls")),
    path("units/", include("grassroots.organizations.urls")),
    path("units/", include("grassroots.committees.urls")),
    path("units/", include("grassroots.reorganizations.urls")),
    path("members/", include("grassroots.members.urls")),
    path("targets/", include("grassroots.targets.urls")),
    path("assessments/", include("grassroots.assessments.urls")),
    path("classifications/", include("grassroots.classifications.urls")),
    path("meetings/", include("grassroots.meetings.urls")),
    path("inspections/", include("grassroots.inspections.urls")),
    path("feedback/", include("grassroots.feedback.urls")),
    path("audit/", include("grassroots.core.urls")),
    path("jobs/", include("grassroots.jobs.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    # For developers: behind login (the docs send a visitor to the login page, the schema
    # answers 401/403 like the API it describes).
    path(
        "api/schema/",
        SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]),
        name="api-schema",
    ),
    path(
        "api/docs/",
        login_required(
            SpectacularSwaggerView.as_view(
                url_name="api-schema", permission_classes=[IsAuthenticated]
            )
        ),
        name="api-docs",
    ),
]
