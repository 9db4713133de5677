"""All REST endpoints under /api/v1/: each app registers its viewsets on one router."""

from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from grassroots.accounts.api import register as register_accounts
from grassroots.assessments.api import register as register_assessments
from grassroots.classifications.api import register as register_classifications
from grassroots.committees.api import register as register_committees
from grassroots.feedback.api import register as register_feedback
from grassroots.inspections.api import register as register_inspections
from grassroots.meetings.api import register as register_meetings
from grassroots.members.api import register as register_members
from grassroots.organizations.api import register as register_organizations
from grassroots.reorganizations.api import register as register_reorganizations
from grassroots.targets.api import register as register_targets

router = DefaultRouter()
register_accounts(router)
register_organizations(router)
register_members(router)
register_committees(router)
register_reorganizations(router)
register_targets(router)
register_assessments(router)
register_classifications(router)
register_meetings(router)
register_inspections(router)
register_feedback(router)

urlpatterns = [
    # POST username + password → {"token": "..."}; send it as "Authorization: Token <token>".
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("", include(router.urls)),
]
