import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.core.models import AuditEntry
from grassroots.organizations.choices import CommitteeKind, UnitKind
from grassroots.organizations.models import Committee, CommitteeSeat, Lineage, Reorganization, Unit
from grassroots.organizations.services import committee_create, term_get_or_create, unit_create

from .helpers import admit, propose, snapshot_counts

READ_PAGES = [
    "unit_detail",
    "unit_cells",
    "unit_committee",
    "unit_history",
    "unit_audit",
    "unit_children",
]
DECISION_POST = {
    "effective_date": "01/07/2025",
    "decision_number": "15-QĐ/TU",
    "decision_date": "2025-06-20",
    "issuer": "Ban Thường vụ Tỉnh ủy",
}


@pytest.mark.parametrize("page", READ_PAGES)
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("admin", 200),
        ("manager_a", 200),
        ("editor_a", 200),
        ("viewer_a", 200),
        ("outsider", 404),
    ],
)
def test_unit_pages_are_scoped_to_the_subtree(tree, as_persona, page, persona, status):
    response = as_persona(persona).get(reverse(f"organizations:{page}", args=[tree.commune_a.pk]))
    assert response.status_code == status
    if status == 302:
        assert "/accounts/login/" in response["Location"]


def test_the_tree_shows_each_user_their_own_top_units(tree, as_persona):
    assert as_persona("anonymous").get(reverse("organizations:tree")).status_code == 302
    html = as_persona("manager_a").get(reverse("organizations:tree")).content.decode()
    assert "Xã Mường Hum" in html and "Xã Bình An" not in html
    html = as_persona("outsider").get(reverse("organizations:tree")).content.decode()
    assert "Xã Bình An" in html and "Xã Mường Hum" not in html
    html = as_persona("admin").get(reverse("organizations:tree")).content.decode()
    assert "Trung ương" in html


def test_search_ignores_diacritics_and_stays_in_the_subtree(tree, as_persona):
    html = (
        as_persona("viewer_a")
        .get(reverse("organizations:tree"), {"q": "muong hum"})
        .content.decode()
    )
    assert "Chi bộ thôn Mường Hum" in html and "Xã Mường Hum" in html
    html = (
        as_persona("outsider")
        .get(reverse("organizations:tree"), {"q": "muong hum"})
        .content.decode()
    )
    assert "Mường Hum" not in html


def test_a_node_opens_with_only_its_children_over_htmx_and_as_a_full_page_without(tree, as_persona):
    client = as_persona("manager_a")
    url = reverse("organizations:unit_children", args=[tree.commune_a.pk])
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith("<ul>") and "<html" not in partial
    assert "Chi bộ thôn Mường Hum" in partial and "Chi bộ Trường Tiểu học" in partial
    full = client.get(url).content.decode()
    assert "<html" in full and "Chi bộ thôn Mường Hum" in full


def test_large_child_lists_are_paged_with_more(tree, as_persona, settings):
    for i in range(105):
        unit_create(
            actor=None,
            code=f"XA-C{i:03}",
            name=f"Chi bộ {i:03}",
            kind=UnitKind.CELL,
            parent=tree.commune_a,
            valid_from=dt.date(2016, 1, 1),
        )
    client = as_persona("manager_a")
    url = reverse("organizations:unit_children", args=[tree.commune_a.pk])
    first = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert first.count("<li>") == 100 and "offset=100" in first
    rest = client.get(url, {"offset": 100}, HTTP_HX_REQUEST="true").content.decode()
    assert rest.count("<li>") == 7 and "offset=" not in rest


def test_the_tree_of_a_past_date_shows_units_closed_since(tree, as_persona):
    from grassroots.organizations.services import unit_merge

    unit_merge(
        actor=None,
        sources=[tree.cell_a1, tree.cell_a2],
        effective_date=dt.date(2025, 7, 1),
        new_code="XA-M",
        new_name="Chi bộ hợp nhất",
        decision_number="1",
        decision_date=dt.date(2025, 6, 1),
        issuer="Đảng ủy",
    )
    url = reverse("organizations:unit_children", args=[tree.commune_a.pk])
    client = as_persona("viewer_a")
    past = client.get(url, {"as_of": "2024-12-31"}, HTTP_HX_REQUEST="true").content.decode()
    assert (
        "Chi bộ thôn Mường Hum" in past and "Chi bộ hợp nhất" not in past and "01/07/2025" in past
    )
    today = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Chi bộ hợp nhất" in today and "Chi bộ thôn Mường Hum" not in today


def test_the_overview_shows_figures_and_the_cells_tab_counts_members(tree, as_persona):
    admit(tree.cell_a1, "Lò Văn Một")
    admit(tree.cell_a1, "Lò Văn Hai")
    client = as_persona("viewer_a")
    html = client.get(
        reverse("organizations:unit_detail", args=[tree.commune_a.pk])
    ).content.decode()
    assert "Xã Mường Hum" in html and 'class="stat-value">2<' in html
    html = client.get(
        reverse("organizations:unit_cells", args=[tree.commune_a.pk])
    ).content.decode()
    assert '<td class="num">2</td>' in html
    html = client.get(
        reverse("organizations:unit_cells", args=[tree.commune_a.pk]), {"as_of": "2020-01-01"}
    ).content.decode()
    assert '<td class="num">2</td>' not in html


def test_action_buttons_are_shown_only_to_those_allowed(tree, as_persona):
    url = reverse("organizations:unit_detail", args=[tree.commune_a.pk])
    merge = reverse("organizations:unit_merge", args=[tree.commune_a.pk])
    edit = reverse("organizations:unit_edit", args=[tree.commune_a.pk])
    assert merge in as_persona("manager_a").get(url).content.decode()
    editor = as_persona("editor_a").get(url).content.decode()
    assert edit in editor and merge not in editor
    viewer = as_persona("viewer_a").get(url).content.decode()
    assert edit not in viewer and merge not in viewer


# --- writes -----------------------------------------------------------------------------------


CREATE = {
    "code": "XA-9",
    "name": "Chi bộ thôn Chín",
    "kind": "cell",
    "cell_subtype": "village",
    "valid_from": "01/01/2020",
}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("admin", 302),
        ("manager_a", 302),
        ("editor_a", 403),
        ("viewer_a", 403),
        ("outsider", 404),
    ],
)
def test_creating_a_unit_needs_the_manager_role(tree, personas, as_persona, persona, status):
    response = as_persona(persona).post(
        reverse("organizations:unit_create", args=[tree.commune_a.pk]), CREATE
    )
    assert response.status_code == status
    created = Unit.objects.filter(code="XA-9").first()
    if persona in ("admin", "manager_a"):
        assert created.parent == tree.commune_a and created.path.startswith(tree.commune_a.path)
        assert (
            AuditEntry.objects.for_object(created).get(action="create").actor == personas[persona]
        )
    else:
        assert created is None


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("manager_a", 302),
        ("editor_a", 302),
        ("viewer_a", 403),
        ("outsider", 404),
    ],
)
def test_editing_a_unit_needs_the_editor_role(tree, personas, as_persona, persona, status):
    data = {
        "code": "XA-1",
        "name": "Chi bộ thôn Mường Hum",
        "address": "Bản Mường Hum",
        "cell_subtype": "village",
    }
    response = as_persona(persona).post(
        reverse("organizations:unit_edit", args=[tree.cell_a1.pk]), data
    )
    assert response.status_code == status
    tree.cell_a1.refresh_from_db()
    if status == 302 and persona != "anonymous":
        assert tree.cell_a1.address == "Bản Mường Hum"
        assert (
            AuditEntry.objects.for_object(tree.cell_a1).get(action="update").actor
            == personas[persona]
        )
    else:
        assert tree.cell_a1.address == ""


def test_an_edit_refused_by_the_service_shows_the_message_on_the_page(tree, as_persona):
    Unit.objects.filter(pk=tree.cell_a1.pk).update(valid_to=dt.date(2025, 7, 1))
    data = {"address": "Bản Mường Hum"}
    response = as_persona("manager_a").post(
        reverse("organizations:unit_edit", args=[tree.cell_a1.pk]), data
    )
    assert response.status_code == 200 and "it cannot be edited" in response.content.decode()


def merge_post(tree, **extra):
    return {
        **DECISION_POST,
        "sources": [tree.cell_a1.pk, tree.cell_a2.pk],
        "new_code": "XA-M",
        "new_name": "Chi bộ thôn Mường Hum mới",
        **extra,
    }


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("editor_a", 403),
        ("viewer_a", 403),
        ("outsider", 404),
    ],
)
def test_reorganizing_is_refused_to_those_who_do_not_manage(tree, as_persona, persona, status):
    before = snapshot_counts()
    response = as_persona(persona).post(
        reverse("organizations:unit_merge", args=[tree.commune_a.pk]), merge_post(tree, confirm="1")
    )
    assert response.status_code == status
    assert snapshot_counts() == before


def test_a_merge_is_previewed_then_committed(tree, manager_a, as_persona):
    admit(tree.cell_a1, "Lò Văn Một")
    client = as_persona("manager_a")
    url = reverse("organizations:unit_merge", args=[tree.commune_a.pk])
    assert client.get(url).status_code == 200
    before = snapshot_counts()
    preview = client.post(url, merge_post(tree))
    html = preview.content.decode()
    assert preview.status_code == 200 and "Closes 2 units" in html and "moves 1 member" in html
    assert snapshot_counts() == before
    done = client.post(url, merge_post(tree, confirm="1"))
    new = Unit.objects.get(code="XA-M")
    assert done.status_code == 302 and done["Location"] == reverse(
        "organizations:unit_detail", args=[new.pk]
    )
    assert Lineage.objects.filter(successor=new).count() == 2
    reorg = Reorganization.objects.get()
    assert AuditEntry.objects.for_object(reorg).get().actor == manager_a


def test_a_merge_refused_at_confirmation_shows_the_form_with_the_reason(tree, as_persona):
    client = as_persona("manager_a")
    url = reverse("organizations:unit_merge", args=[tree.commune_a.pk])
    response = client.post(url, merge_post(tree, confirm="1", effective_date="01/01/2010"))
    assert response.status_code == 200 and "id_effective_date_error" in response.content.decode()
    assert not Reorganization.objects.exists()


def test_rename_move_split_and_dissolve_pages_commit_through_their_services(
    tree, admin_user, as_persona
):
    client = as_persona("admin")
    district = unit_create(
        actor=None,
        code="H01",
        name="Huyện Bát Xát",
        kind=UnitKind.DISTRICT,
        parent=tree.province,
        valid_from=dt.date(2015, 1, 1),
    )
    r = client.post(
        reverse("organizations:unit_rename", args=[tree.cell_a1.pk]),
        {**DECISION_POST, "new_name": "Chi bộ bản Mường Hum", "confirm": "1"},
    )
    assert (
        r.status_code == 302 and Unit.objects.get(pk=tree.cell_a1.pk).name == "Chi bộ bản Mường Hum"
    )
    r = client.post(
        reverse("organizations:unit_move", args=[tree.commune_b.pk]),
        {**DECISION_POST, "new_parent": "H01", "confirm": "1"},
    )
    assert r.status_code == 302 and Unit.objects.get(pk=tree.commune_b.pk).parent == district
    r = client.post(
        reverse("organizations:unit_split", args=[tree.commune_a.pk]),
        {
            **DECISION_POST,
            "parts": "2",
            "confirm": "1",
            "part_1_code": "XA-N",
            "part_1_name": "Xã Bắc",
            "part_1_cells": [tree.cell_a1.pk],
            "part_2_code": "XA-S",
            "part_2_name": "Xã Nam",
            "part_2_cells": [tree.cell_a2.pk],
        },
    )
    assert r.status_code == 302 and Unit.objects.get(pk=tree.cell_a2.pk).parent.code == "XA-S"
    r = client.post(
        reverse("organizations:unit_dissolve", args=[tree.cell_a2.pk]),
        {**DECISION_POST, "effective_date": "02/07/2025", "confirm": "1"},
    )
    assert r.status_code == 302 and Unit.objects.get(pk=tree.cell_a2.pk).valid_to == dt.date(
        2025, 7, 2
    )
    assert Reorganization.objects.filter(created_by=admin_user).count() == 4
    history = client.get(
        reverse("organizations:unit_history", args=[tree.commune_a.pk])
    ).content.decode()
    assert "Xã Bắc" in history and "Xã Nam" in history


def test_the_split_page_gives_each_candidate_to_a_part(tree, as_persona):
    from grassroots.members.models import Candidate

    m = admit(tree.cell_a1, "Lò Văn Một")
    c = propose(tree.cell_a1, "Lò Thị Chờ")
    url = reverse("organizations:unit_split", args=[tree.cell_a1.pk])
    page = as_persona("manager_a").get(url).content.decode()
    assert "Part 2: candidates for admission it takes" in page and "Lò Thị Chờ (Proposed)" in page
    post = {
        **DECISION_POST,
        "parts": "2",
        "part_1_code": "XA-1A",
        "part_1_name": "Một",
        "part_1_members": [m.pk],
        "part_2_code": "XA-1B",
        "part_2_name": "Hai",
    }
    r = as_persona("manager_a").post(url, {**post, "confirm": "1"})
    assert (
        r.status_code == 200
        and "1 candidate of Chi bộ thôn Mường Hum is not given to any part: Lò Thị Chờ."
        in r.content.decode()
    )
    assert not Reorganization.objects.exists()
    r = as_persona("manager_a").post(url, {**post, "part_2_candidates": [c.pk], "confirm": "1"})
    assert r.status_code == 302 and Candidate.objects.get(pk=c.pk).unit.code == "XA-1B"
    history = (
        as_persona("manager_a")
        .get(reverse("organizations:unit_history", args=[tree.cell_a1.pk]))
        .content.decode()
    )
    assert "1 candidate for admission moved" in history


def test_a_split_that_leaves_a_cell_out_names_it(tree, as_persona):
    r = as_persona("manager_a").post(
        reverse("organizations:unit_split", args=[tree.commune_a.pk]),
        {
            **DECISION_POST,
            "parts": "2",
            "part_1_code": "XA-N",
            "part_1_name": "Xã Bắc",
            "part_1_cells": [tree.cell_a1.pk],
            "part_2_code": "XA-S",
            "part_2_name": "Xã Nam",
        },
    )
    assert r.status_code == 200 and "Chi bộ Trường Tiểu học" in r.content.decode()
    assert not Reorganization.objects.exists()


def test_moving_under_a_unit_outside_ones_subtree_is_refused(tree, as_persona):
    r = as_persona("manager_a").post(
        reverse("organizations:unit_move", args=[tree.cell_a1.pk]),
        {**DECISION_POST, "new_parent": "XB"},
    )
    assert r.status_code == 200 and "No unit with this code" in r.content.decode()
    assert Unit.objects.get(pk=tree.cell_a1.pk).parent == tree.commune_a


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("editor_a", 302),
        ("viewer_a", 403),
        ("outsider", 404),
    ],
)
def test_committees_and_seats_need_the_editor_role(tree, personas, as_persona, persona, status):
    client = as_persona(persona)
    r = client.post(
        reverse("organizations:committee_create", args=[tree.commune_a.pk]),
        {
            "start_year": 2020,
            "end_year": 2025,
            "kind": "executive",
            "elected_size": 15,
            "approved_next_size": 17,
        },
    )
    assert r.status_code == status
    committee = Committee.objects.filter(unit=tree.commune_a).first()
    if status != 302:
        assert committee is None
        committee = committee_create(
            actor=None,
            unit=tree.commune_a,
            term=term_get_or_create(start_year=2020, end_year=2025),
            kind=CommitteeKind.EXECUTIVE,
        )
    else:
        assert committee.approved_next_size == 17
        assert AuditEntry.objects.for_object(committee).get().actor == personas[persona]
    r = client.post(
        reverse("organizations:seat_add", args=[committee.pk]),
        {"person_name": "Vàng A Sử", "position": "secretary"},
    )
    assert r.status_code == status
    assert CommitteeSeat.objects.filter(person_name="Vàng A Sử").exists() == (status == 302)
    page = client.get(reverse("organizations:unit_committee", args=[tree.commune_a.pk]))
    if status == 302:
        seat = CommitteeSeat.objects.get()
        assert "Vàng A Sử" in page.content.decode()
        r = client.post(
            reverse("organizations:seat_end", args=[seat.pk]), {"to_date": "2023-01-01"}
        )
        assert r.status_code == 302 and CommitteeSeat.objects.get().to_date == dt.date(2023, 1, 1)


# --- query counts --------------------------------------------------------------------------------


def count_queries(client, url, **extra) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, **extra).status_code == 200
    return len(ctx.captured_queries)


def add_cells(parent, n, start=0):
    for i in range(start, start + n):
        cell = unit_create(
            actor=None,
            code=f"Q{parent.pk}-{i}",
            name=f"Chi bộ số {i}",
            kind=UnitKind.CELL,
            parent=parent,
            valid_from=dt.date(2016, 1, 1),
        )
        admit(cell, f"Lò Văn {i}")


def test_query_counts_of_the_tree_and_unit_pages_do_not_grow_with_rows(tree, as_persona):
    client = as_persona("manager_a")
    urls = [
        (
            reverse("organizations:unit_children", args=[tree.commune_a.pk]),
            {"HTTP_HX_REQUEST": "true"},
        ),
        (
            reverse("organizations:unit_children", args=[tree.commune_a.pk]) + "?as_of=2024-01-01",
            {"HTTP_HX_REQUEST": "true"},
        ),
        (reverse("organizations:unit_cells", args=[tree.commune_a.pk]), {}),
        (reverse("organizations:unit_detail", args=[tree.commune_a.pk]), {}),
        (reverse("organizations:tree"), {}),
    ]
    add_cells(tree.commune_a, 2)
    few = [count_queries(client, url, **extra) for url, extra in urls]
    add_cells(tree.commune_a, 20, start=2)
    many = [count_queries(client, url, **extra) for url, extra in urls]
    assert few == many
    assert max(many) <= 25


def test_breadcrumbs_name_only_the_units_the_user_sees(tree, as_persona):
    html = (
        as_persona("manager_a")
        .get(reverse("organizations:unit_detail", args=[tree.cell_a1.pk]))
        .content.decode()
    )
    assert "Xã Mường Hum" in html and "Tỉnh Thử Nghiệm" not in html
    html = (
        as_persona("admin")
        .get(reverse("organizations:unit_detail", args=[tree.cell_a1.pk]))
        .content.decode()
    )
    assert "Tỉnh Thử Nghiệm" in html


def test_the_cells_of_a_merged_commune_on_an_earlier_date_are_those_of_its_predecessors(
    tree, as_persona
):
    from grassroots.organizations.services import unit_merge

    unit_merge(
        actor=None,
        sources=[tree.commune_a, tree.commune_b],
        effective_date=dt.date(2025, 7, 1),
        new_code="XAB",
        new_name="Xã Đồng Thái",
        decision_number="1",
        decision_date=dt.date(2025, 6, 1),
        issuer="Tỉnh ủy",
    )
    new = Unit.objects.get(code="XAB")
    client = as_persona("admin")
    html = client.get(
        reverse("organizations:unit_cells", args=[new.pk]), {"as_of": "2024-01-01"}
    ).content.decode()
    assert "Chi bộ thôn Mường Hum" in html and "Chi bộ thôn Đông" in html
    html = client.get(
        reverse("organizations:unit_detail", args=[new.pk]), {"as_of": "2024-01-01"}
    ).content.decode()
    assert "Xã Bình An" in html and "Xã Mường Hum" in html


def test_a_past_day_of_a_unit_that_existed_shows_the_tree_as_it_stood_and_links_the_present_extent(
    tree, as_persona
):
    url = reverse("organizations:unit_detail", args=[tree.commune_a.pk])
    html = as_persona("manager_a").get(url, {"as_of": "2024-12-31"}).content.decode()
    assert "As the tree stood that day" in html
    stats = reverse("members:unit_stats", args=[tree.commune_a.pk])
    assert f'href="{stats}?as_of=31/12/2024&amp;extent=present"' in html
    assert "As the tree stood that day" not in as_persona("manager_a").get(url).content.decode()


def test_the_history_links_only_the_units_one_may_open_and_leaves_parents_above_unnamed(
    tree, as_persona
):
    from grassroots.organizations.services import unit_merge

    unit_merge(
        actor=None,
        sources=[tree.cell_a1, tree.cell_b1],
        into=tree.cell_a1,
        effective_date=dt.date(2025, 7, 1),
        decision_number="15-QĐ/TU",
        decision_date=dt.date(2025, 6, 20),
        issuer="Ban Thường vụ Tỉnh ủy",
    )
    cell_page = (
        as_persona("viewer_a")
        .get(reverse("organizations:unit_history", args=[tree.cell_a1.pk]))
        .content.decode()
    )
    # The merged cell of commune B is named in the lineage (the decision names it) but not linked.
    assert "Chi bộ thôn Đông" in cell_page
    assert reverse("organizations:unit_detail", args=[tree.cell_b1.pk]) not in cell_page
    assert reverse("organizations:unit_detail", args=[tree.commune_a.pk]) in cell_page
    commune_page = (
        as_persona("viewer_a")
        .get(reverse("organizations:unit_history", args=[tree.commune_a.pk]))
        .content.decode()
    )
    assert (
        "Tỉnh Thử Nghiệm" not in commune_page.split("<main", 1)[1]
        and "a unit above your area" in commune_page
    )
    admin_page = (
        as_persona("admin")
        .get(reverse("organizations:unit_history", args=[tree.cell_a1.pk]))
        .content.decode()
    )
    assert reverse("organizations:unit_detail", args=[tree.cell_b1.pk]) in admin_page
