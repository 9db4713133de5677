"""Pages and API agree: for every write a page offers, the role the page requires is the role
the API requires. For each (page, API route, action) and each persona, both refuse or both
allow. The page is asked for its form (the role is checked before it renders), the API is asked
to do the write (a dry run for reorganizations); a validation error of the service still means
the caller was let in, while 403, 404 and a unit "not found" in the body mean refused."""

import pytest
from django.urls import reverse

from grassroots.organizations.tests.helpers import admit

JSON = "application/json"
DECISION = {"effective_date": "2025-07-01", "decision_number": "15-QĐ/TU", "decision_date": "2025-06-20",
            "issuer": "Ban Thường vụ Tỉnh ủy"}


def _committee(tree):
    from grassroots.organizations.services import committee_create, term_get_or_create

    term = term_get_or_create(start_year=2020, end_year=2025)
    return committee_create(actor=None, unit=tree.commune_a, term=term, kind="executive", elected_size=5)


# (name, page url name, page args, API method, API url, API body) — each built from the tree.
WRITES = {
    "unit create": lambda t: ("organizations:unit_create", [t.commune_a.pk], "post", "/api/v1/units/",
                              {"code": "XA-9", "name": "Chi bộ mới", "kind": "cell", "parent": t.commune_a.pk,
                               "valid_from": "2020-01-01"}),
    "unit edit": lambda t: ("organizations:unit_edit", [t.cell_a1.pk], "patch", f"/api/v1/units/{t.cell_a1.pk}/",
                            {"address": "Bản Mường Hum"}),
    "merge": lambda t: ("organizations:unit_merge", [t.commune_a.pk], "post", "/api/v1/reorganizations/",
                        {**DECISION, "kind": "merge", "dry_run": True, "sources": [t.cell_a1.pk, t.cell_a2.pk],
                         "new_code": "XA-M", "new_name": "Chi bộ mới"}),
    "split": lambda t: ("organizations:unit_split", [t.cell_a1.pk], "post", "/api/v1/reorganizations/",
                        {**DECISION, "kind": "split", "dry_run": True, "source": t.cell_a1.pk,
                         "parts": [{"code": "XA-1A", "name": "Một"}, {"code": "XA-1B", "name": "Hai"}]}),
    "rename": lambda t: ("organizations:unit_rename", [t.cell_a1.pk], "post", "/api/v1/reorganizations/",
                         {**DECISION, "kind": "rename", "dry_run": True, "unit": t.cell_a1.pk, "new_name": "Chi bộ bản"}),
    "move": lambda t: ("organizations:unit_move", [t.cell_a1.pk], "post", "/api/v1/reorganizations/",
                       {**DECISION, "kind": "move", "dry_run": True, "unit": t.cell_a1.pk, "new_parent": t.commune_a.pk}),
    "dissolve": lambda t: ("organizations:unit_dissolve", [t.cell_a2.pk], "post", "/api/v1/reorganizations/",
                           {**DECISION, "kind": "dissolve", "dry_run": True, "unit": t.cell_a2.pk}),
    "committee create": lambda t: ("organizations:committee_create", [t.commune_a.pk], "post", "/api/v1/committees/",
                                   {"unit": t.commune_a.pk, "term_start_year": 2020, "term_end_year": 2025,
                                    "kind": "standing", "elected_size": 3}),
    "committee edit": lambda t: (lambda c: ("organizations:committee_edit", [c.pk], "patch",
                                            f"/api/v1/committees/{c.pk}/", {"elected_size": 7}))(_committee(t)),
    "seat add": lambda t: (lambda c: ("organizations:seat_add", [c.pk], "post", "/api/v1/committee-seats/",
                                      {"committee": c.pk, "person_name": "Lò Văn Khách", "position": "member"}))(_committee(t)),
    "member edit": lambda t: (lambda m: ("members:member_edit", [m.pk], "patch", f"/api/v1/members/{m.pk}/",
                                         {"occupation": "Giáo viên"}))(admit(t.cell_a1, "Lò Văn Một")),
}


def refused(response) -> bool:
    if response.status_code in (302, 401, 403, 404):
        return True
    text = response.content.decode()
    return response.status_code == 400 and ("does not exist" in text or "Invalid pk" in text)


@pytest.mark.parametrize("persona", ["manager_a", "editor_a", "viewer_a", "outsider"])
@pytest.mark.parametrize("write", sorted(WRITES))
def test_the_page_and_the_api_require_the_same_role_for_every_write(tree, personas, as_persona, write, persona):
    page_name, page_args, method, api_url, body = WRITES[write](tree)
    client = as_persona(persona)
    page = client.get(reverse(page_name, args=page_args))
    api = getattr(client, method)(api_url, body, content_type=JSON)
    assert page.status_code in (200, 403, 404), (write, persona, page.status_code)
    assert refused(page) == refused(api), (write, persona, page.status_code, api.status_code, api.content[:300])
    if persona == "manager_a":
        assert not refused(page), (write, "a manager of the unit is let in")
    if persona == "viewer_a":
        assert refused(page), (write, "a viewer writes nothing")
