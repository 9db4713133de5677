import pytest
from django.urls import reverse

from grassroots.core.audit import acting_as


def audit_url(unit):
    return reverse("core:audit", args=["organizations", "unit", unit.pk])


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("manager_a", 200), ("viewer_a", 200), ("outsider", 404)],
)
def test_the_audit_tab_of_a_unit_is_scoped_like_the_unit(tree, as_persona, persona, status):
    assert as_persona(persona).get(audit_url(tree.cell_a1)).status_code == status


def test_the_audit_tab_redirects_anonymous_visitors_to_login(tree, as_persona):
    response = as_persona("anonymous").get(audit_url(tree.cell_a1))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_audit_tab_lists_who_changed_what(tree, manager_a, as_persona):
    unit = type(tree.cell_a1).objects.get(pk=tree.cell_a1.pk)
    with acting_as(manager_a):
        unit.address = "Thôn Mường Hum"
        unit.save()
    html = as_persona("manager_a").get(audit_url(unit)).content.decode()
    assert "manager_a" in html and "Thôn Mường Hum" in html


def test_an_unknown_model_in_the_audit_url_is_not_found(tree, as_persona):
    assert (
        as_persona("admin").get(reverse("core:audit", args=["core", "nothing", 1])).status_code
        == 404
    )


@pytest.mark.parametrize("bad_id", ["abc", "1.5", "9" * 30])
def test_an_audit_url_with_a_malformed_id_is_not_found(tree, as_persona, bad_id):
    for app_label, model_name in [("organizations", "unit"), ("members", "member")]:
        response = as_persona("admin").get(
            reverse("core:audit", args=[app_label, model_name, bad_id])
        )
        assert response.status_code == 404
