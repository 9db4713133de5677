"""The admin lists resolutions, indicators, targets and figures; history is read-only and
changes go through the services."""

from django.test import Client
from django.urls import reverse

from grassroots.core.models import AuditEntry
from grassroots.targets.models import Indicator

from .core_helpers import approved, percent_indicator, resolution, target


def test_the_administrator_reads_every_list_and_record(tree, admin_user):
    share = percent_indicator("SOC-HI")
    res = resolution(tree.commune_a)
    t = target(res, share, target_value="95", milestones={2023: "94"})
    value = approved(share, tree.commune_a, "2023", "95", actor=admin_user)
    client = Client()
    client.force_login(admin_user)
    for name, obj in (
        ("resolution", res),
        ("indicator", share),
        ("target", t),
        ("datavalue", value),
    ):
        assert client.get(reverse(f"admin:targets_{name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:targets_{name}_change", args=[obj.pk])).status_code == 200


def test_an_indicator_changed_in_the_admin_goes_through_the_service(tree, admin_user):
    share = percent_indicator("SOC-HI")
    client = Client()
    client.force_login(admin_user)
    url = reverse("admin:targets_indicator_change", args=[share.pk])
    form = {
        "code": "SOC-HI",
        "name_vi": "Tỷ lệ bao phủ bảo hiểm y tế",
        "name_en": "Health insurance",
        "group": "society",
        "measure_unit": "%",
        "decimals": 1,
        "direction": "higher",
        "aggregation": "none",
        "multiplier": "100",
        "formula": "",
        "computed": "",
        "description": "",
    }
    response = client.post(url, form)
    assert response.status_code == 302
    share.refresh_from_db()
    assert share.name_en == "Health insurance"
    assert AuditEntry.objects.for_object(share).filter(action="update", actor=admin_user).exists()
    response = client.post(reverse("admin:targets_indicator_add"), {**form, "code": "SOC-NEW"})
    assert response.status_code == 302
    assert (
        AuditEntry.objects.for_object(Indicator.objects.get(code="SOC-NEW")).get().actor
        == admin_user
    )
