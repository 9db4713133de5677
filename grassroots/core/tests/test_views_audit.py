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


# --- read as people read it ----------------------------------------------------------------


def test_the_audit_tab_shows_field_labels_and_readable_values_not_columns_and_codes(
    tree, as_persona
):
    html = as_persona("manager_a").get(audit_url(tree.cell_a1)).content.decode()
    assert "parent_id" not in html and "valid_from" not in html and "<code>" not in html
    assert "Kind</span>: Cell" in html  # the choice's label, not "cell"
    assert f"Parent unit</span>: {tree.commune_a.name}" in html  # the related row's name
    assert "Valid from</span>: 01/01/2015" in html  # the locale's date format


def test_a_change_reads_from_the_old_value_to_the_new_one_with_the_related_names(
    tree, manager_a, as_persona
):
    from grassroots.core.audit_display import readable_entries
    from grassroots.core.models import AuditEntry

    unit = type(tree.cell_a1).objects.get(pk=tree.cell_a1.pk)
    with acting_as(manager_a):
        unit.address = "Thôn Mường Hum"
        unit.save()
    [row] = readable_entries(AuditEntry.objects.for_object(unit).filter(action="update"))
    assert [(c.label, c.before, c.after) for c in row.changes] == [("Place", "—", "Thôn Mường Hum")]


def test_booleans_read_yes_or_no_and_unknown_keys_stay_as_they_are():
    from django.db import models

    from grassroots.core.audit_display import display_value

    flag = models.BooleanField("has data")
    assert (display_value(flag, True), display_value(flag, False)) == ("Yes", "No")
    assert display_value(None, "raw") == "raw" and display_value(None, None) == "—"


def test_the_audit_page_reads_each_related_table_once(tree, manager_a, as_persona):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_persona("manager_a")
    client.get(audit_url(tree.cell_a1))
    with CaptureQueriesContext(connection) as one:
        client.get(audit_url(tree.cell_a1))
    unit = type(tree.cell_a1).objects.get(pk=tree.cell_a1.pk)
    for n in range(5):
        with acting_as(manager_a):
            unit.address = f"Thôn {n}"
            unit.save()
    with CaptureQueriesContext(connection) as six:
        client.get(audit_url(tree.cell_a1))
    assert len(six) == len(one)
