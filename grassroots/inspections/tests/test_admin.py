"""The admin lists the inspection records read-only: writes go through the services."""

from django.urls import reverse

from grassroots.conftest import client_for

from .helpers import concluded


def test_the_admin_lists_inspections_and_offers_no_change(tree, admin_user):
    found = concluded(tree.commune_a, units=[tree.cell_a1], violation=False)
    client = client_for(admin_user)
    for name in ("inspection", "inspectionplan", "organizationdiscipline"):
        assert client.get(reverse(f"admin:inspections_{name}_changelist")).status_code == 200
    page = client.get(reverse("admin:inspections_inspection_change", args=[found.pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.get(reverse("admin:inspections_inspection_add")).status_code == 403
