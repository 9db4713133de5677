from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="organizations:tree", permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("grassroots.accounts.urls")),
    path("units/", include("grassroots.organizations.urls")),
    path("members/", include("grassroots.members.urls")),
    path("targets/", include("grassroots.targets.urls")),
    path("audit/", include("grassroots.core.urls")),
    path("jobs/", include("grassroots.jobs.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
