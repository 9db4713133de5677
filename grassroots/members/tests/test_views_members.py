import datetime as dt

import pytest
from django.urls import reverse

from grassroots.core.models import AuditEntry
from grassroots.members.choices import MemberStatus
from grassroots.members.models import Member, MemberEvent

from .page_helpers import admit, years_ago

LIST = reverse("members:member_list")


# --- the list ----------------------------------------------------------------------------------


def test_the_member_list_redirects_anonymous_visitors_to_login(tree, as_persona):
    response = as_persona("anonymous").get(LIST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "sees_a", "sees_b"),
    [
        ("admin", True, True),
        ("manager_a", True, False),
        ("editor_a", True, False),
        ("viewer_a", True, False),
        ("outsider", False, True),
    ],
)
def test_the_member_list_shows_only_members_of_the_users_subtrees(
    tree, personas, as_persona, persona, sees_a, sees_b
):
    admit(tree.cell_a1, full_name="Lò Văn Ánh")
    admit(tree.cell_b1, full_name="Đinh Thị Bình")
    html = as_persona(persona).get(LIST).content.decode()
    assert ("Lò Văn Ánh" in html) is sees_a
    assert ("Đinh Thị Bình" in html) is sees_b


def test_a_unit_outside_the_users_subtree_is_not_found(tree, personas, as_persona):
    assert as_persona("outsider").get(LIST, {"unit": tree.cell_a1.pk}).status_code == 404
    assert as_persona("viewer_a").get(LIST, {"unit": "nonsense"}).status_code == 404


def test_search_without_diacritics_finds_the_vietnamese_name(tree, personas, as_persona):
    admit(tree.cell_a1, full_name="Nguyễn Văn An")
    admit(tree.cell_a1, full_name="Trần Thị Bích")
    html = as_persona("viewer_a").get(LIST, {"q": "nguyen van"}).content.decode()
    assert "Nguyễn Văn An" in html and "Trần Thị Bích" not in html


@pytest.mark.parametrize(
    ("persona", "found"),
    [
        ("admin", ["Nguyễn Văn Hùng", "Nguyễn Văn Hùng", "Lê Văn Hùng"]),
        ("viewer_a", ["Nguyễn Văn Hùng", "Lê Văn Hùng"]),
        ("outsider", ["Nguyễn Văn Hùng"]),
    ],
)
def test_a_search_lists_the_names_beginning_with_it_first_then_the_others_in_the_users_subtrees(
    tree, personas, as_persona, persona, found
):
    admit(tree.cell_a1, full_name="Lê Văn Hùng")
    admit(tree.cell_a2, full_name="Nguyễn Văn Hùng")
    admit(tree.cell_b1, full_name="Nguyễn Văn Hùng")
    admit(tree.cell_a1, full_name="Trần Thị Bích")
    html = as_persona(persona).get(LIST, {"q": "van hung"}).content.decode()
    assert "Trần Thị Bích" not in html and f"{len(found)} " in html
    html = as_persona(persona).get(LIST, {"q": "Nguyễn văn"}).content.decode()
    names = [name for name in ("Nguyễn Văn Hùng", "Lê Văn Hùng") if name in html]
    assert names == [n for n in dict.fromkeys(found) if n.startswith("Nguyễn")]
    html = as_persona(persona).get(LIST, {"q": "hung"}).content.decode()
    # By name when no name begins with it: "Lê" before "Nguyễn".
    positions = [html.index(n) for n in ("Lê Văn Hùng", "Nguyễn Văn Hùng") if n in found]
    assert positions == sorted(positions)


def test_a_search_with_more_matches_than_are_counted_says_so_and_pages_on(
    tree, personas, as_persona, monkeypatch
):
    from grassroots.members.selectors import NameSearch

    monkeypatch.setattr(NameSearch.__init__, "__kwdefaults__", {"cap": 2})
    for name in ("Nguyễn Văn An", "Nguyễn Văn Ba", "Nguyễn Văn Ca", "Lê Văn Dũng"):
        admit(tree.cell_a1, full_name=name)
    client = as_persona("viewer_a")
    html = client.get(LIST, {"q": "van"}).content.decode()
    assert "More than 2 members" in html and "Lê Văn Dũng" in html and "Nguyễn Văn An" in html
    assert "Nguyễn Văn Ba" not in html
    html = client.get(LIST, {"q": "nguyen", "status": "active"}).content.decode()
    assert "More than 2 members" in html and "Lê Văn Dũng" not in html


def test_search_by_party_card_number(tree, personas, as_persona):
    admit(tree.cell_a1, full_name="Nguyễn Văn An", party_card_number="93001234")
    admit(tree.cell_a1, full_name="Trần Thị Bích")
    html = as_persona("viewer_a").get(LIST, {"q": "93001234"}).content.decode()
    assert "Nguyễn Văn An" in html and "Trần Thị Bích" not in html


def test_filters_narrow_the_list_by_unit_gender_ethnicity_and_age(tree, personas, as_persona):
    admit(tree.cell_a1, full_name="Lò Văn Một", ethnicity="thai")
    admit(tree.cell_a2, full_name="Vàng Thị Hai", gender="female", ethnicity="mong")
    admit(tree.cell_a2, full_name="Giàng A Ba", birth_date=years_ago(25), ethnicity="mong")
    client = as_persona("viewer_a")

    def names(**params):
        return {m.full_name for m in client.get(LIST, params).context["members"]}

    assert names(unit=tree.cell_a2.pk) == {"Vàng Thị Hai", "Giàng A Ba"}
    assert names(unit=tree.commune_a.pk) == {"Lò Văn Một", "Vàng Thị Hai", "Giàng A Ba"}
    assert names(gender="female") == {"Vàng Thị Hai"}
    assert names(ethnicity="thai") == {"Lò Văn Một"}
    assert names(age_band="under_31") == {"Giàng A Ba"}
    year = years_ago(2, days=30).year
    assert names(admitted_from=year, admitted_to=year) == {
        "Lò Văn Một",
        "Vàng Thị Hai",
        "Giàng A Ba",
    }
    assert names(admitted_from=year + 1) == set()


def test_status_and_in_transit_filters(tree, manager_a, personas, as_persona):
    from grassroots.members.services import member_transfer_out

    staying = admit(tree.cell_a1, full_name="Lò Văn Một")
    moving = admit(tree.cell_a1, full_name="Lò Văn Hai")
    member_transfer_out(
        actor=manager_a, member=moving, to_unit=tree.cell_a2, date=years_ago(0, days=3)
    )
    client = as_persona("viewer_a")
    in_transit = {m.full_name for m in client.get(LIST, {"in_transit": "true"}).context["members"]}
    not_in_transit = {
        m.full_name for m in client.get(LIST, {"in_transit": "false"}).context["members"]
    }
    assert in_transit == {moving.full_name} and not_in_transit == {staying.full_name}
    probationary = client.get(LIST, {"status": MemberStatus.PROBATIONARY}).context["members"]
    assert len(list(probationary)) == 2
    assert not list(client.get(LIST, {"status": MemberStatus.OFFICIAL}).context["members"])


def test_the_list_is_sorted_by_given_name_then_surname_without_diacritics(
    tree, personas, as_persona
):
    for name in ["Đỗ Văn Dũng", "Ân Thị Hoa", "Bùi Văn Cường", "Nguyễn Văn An", "Lê Thị An", "Bế"]:
        admit(tree.cell_a1, full_name=name)
    response = as_persona("viewer_a").get(LIST)
    assert [m.full_name for m in response.context["members"]] == [
        "Lê Thị An",
        "Nguyễn Văn An",
        "Bế",
        "Bùi Văn Cường",
        "Đỗ Văn Dũng",
        "Ân Thị Hoa",
    ]
    assert "Sorted by given name, then surname" in response.content.decode()


def test_the_list_query_count_does_not_grow_with_rows(
    tree, personas, as_persona, django_assert_max_num_queries
):
    client = as_persona("manager_a")
    admit(tree.cell_a1, full_name="Người Một")
    with django_assert_max_num_queries(12) as few:
        client.get(LIST, {"unit": tree.commune_a.pk})
    baseline = len(few.captured_queries)
    for i in range(30):
        admit(tree.cell_a2 if i % 2 else tree.cell_a1, full_name=f"Người Số {i}")
    with django_assert_max_num_queries(baseline):
        response = client.get(LIST, {"unit": tree.commune_a.pk})
    assert len(response.context["members"]) == 31


def test_the_list_paginates_by_fifty(tree, personas, as_persona):
    for i in range(52):
        admit(tree.cell_a1, full_name=f"Người Số {i:02d}")
    client = as_persona("viewer_a")
    assert len(client.get(LIST).context["members"]) == 50
    assert len(client.get(LIST, {"page": 2}).context["members"]) == 2


def test_an_htmx_request_gets_only_the_results_and_the_same_url_works_as_a_page(
    tree, personas, as_persona
):
    admit(tree.cell_a1, full_name="Nguyễn Văn An")
    client = as_persona("viewer_a")
    partial = client.get(LIST, {"q": "an"}, HTTP_HX_REQUEST="true").content.decode()
    full = client.get(LIST, {"q": "an"}).content.decode()
    assert 'id="member-results"' in partial and "<html" not in partial
    assert 'id="member-results"' in full and "<html" in full
    assert "Nguyễn Văn An" in partial and "Nguyễn Văn An" in full


def test_the_export_links_carry_the_filters(tree, personas, as_persona):
    html = as_persona("viewer_a").get(LIST, {"q": "nguyen", "gender": "male"}).content.decode()
    assert "export/?q=nguyen&amp;gender=male&amp;format=xlsx" in html


# --- the member's record ---------------------------------------------------------------------


def detail(member):
    return reverse("members:member_detail", args=[member.pk])


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("manager_a", 200), ("viewer_a", 200), ("outsider", 404)],
)
def test_the_member_page_is_scoped_and_every_opening_is_logged(
    tree, personas, as_persona, persona, status
):
    member = admit(tree.cell_a1)
    response = as_persona(persona).get(detail(member))
    assert response.status_code == status
    views = AuditEntry.objects.for_object(member).filter(action="view")
    if status == 200:
        assert views.get().actor == personas[persona]
        assert member.full_name in response.content.decode()
    else:
        assert not views.exists()


def test_the_member_page_redirects_anonymous_visitors_to_login(tree, as_persona):
    member = admit(tree.cell_a1)
    response = as_persona("anonymous").get(detail(member))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_member_page_shows_the_dates_the_timeline_and_the_open_event_forms(
    tree, personas, as_persona
):
    member = admit(tree.cell_a1)
    html = as_persona("manager_a").get(detail(member)).content.decode()
    assert member.ceremony_date.strftime("%d/%m/%Y") in html
    assert reverse("members:member_recognize", args=[member.pk]) in html
    assert reverse("members:member_transfer_out", args=[member.pk]) in html
    assert reverse("members:member_readmit", args=[member.pk]) not in html
    assert reverse("core:audit", args=["members", "member", member.pk]) in html
    assert str(MemberEvent.objects.get(member=member).get_kind_display()) in html


def test_a_viewer_sees_no_event_forms_on_the_member_page(tree, personas, as_persona):
    member = admit(tree.cell_a1)
    html = as_persona("viewer_a").get(detail(member)).content.decode()
    assert reverse("members:member_recognize", args=[member.pk]) not in html
    assert reverse("members:member_edit", args=[member.pk]) not in html


# --- admitting a member -------------------------------------------------------------------------


def admit_url(unit):
    return f"{reverse('members:member_admit')}?unit={unit.pk}"


def admit_post(**overrides):
    decision = years_ago(0, days=20)
    data = {
        "full_name": "Hoàng Thị Mai",
        "gender": "female",
        "birth_date": "05/06/1998",
        "ethnicity": "tay",
        "religion": "none",
        "general_education": "upper_secondary",
        "professional_education": "college",
        "theory_level": "none",
        "occupation": "Giáo viên",
        "party_card_number": "",
        "decision_date": decision.strftime("%d/%m/%Y"),
        "ceremony_date": (decision + dt.timedelta(days=5)).strftime("%Y-%m-%d"),
        "decision_number": "45-QĐ/ĐU",
        "issuer": "Đảng ủy xã",
    }
    data.update(overrides)
    return data


def test_admission_form_redirects_anonymous_visitors_to_login(tree, as_persona):
    response = as_persona("anonymous").get(admit_url(tree.cell_a1))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(("persona", "status"), [("outsider", 404), ("viewer_a", 403)])
def test_admission_is_refused_outside_and_to_readers(tree, personas, as_persona, persona, status):
    client = as_persona(persona)
    assert client.get(admit_url(tree.cell_a1)).status_code == status
    assert client.post(admit_url(tree.cell_a1), admit_post()).status_code == status
    assert not Member.objects.exists()


@pytest.mark.parametrize("persona", ["manager_a", "editor_a", "admin"])
def test_a_manager_or_editor_admits_a_member_into_a_cell(tree, personas, as_persona, persona):
    response = as_persona(persona).post(admit_url(tree.cell_a1), admit_post())
    member = Member.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(member)
    assert (member.full_name, member.unit, member.status) == (
        "Hoàng Thị Mai",
        tree.cell_a1,
        MemberStatus.PROBATIONARY,
    )
    assert AuditEntry.objects.for_object(member).get(action="create").actor == personas[persona]


def test_admission_refused_by_the_rules_shows_the_message_on_the_field_and_saves_nothing(
    tree, personas, as_persona
):
    response = as_persona("manager_a").post(
        admit_url(tree.cell_a1), admit_post(birth_date="01/01/2015")
    )
    assert response.status_code == 400
    assert "birth_date" in response.context["form"].errors
    assert not Member.objects.exists()


def test_admission_from_a_communes_list_asks_for_one_of_its_cells(tree, personas, as_persona):
    client = as_persona("manager_a")
    html = client.get(admit_url(tree.commune_a)).content.decode()
    assert "— choose a cell —" in html
    assert tree.cell_a1.name in html and tree.cell_a2.name in html
    assert tree.cell_b1.name not in html
    response = client.post(admit_url(tree.commune_a), admit_post())
    assert response.status_code == 400 and "cell" in response.context["form"].errors
    assert not Member.objects.exists()
    response = client.post(admit_url(tree.commune_a), admit_post(cell=tree.cell_a2.pk))
    member = Member.objects.get()
    assert response.status_code == 302 and member.unit == tree.cell_a2


def test_admission_into_a_cell_outside_the_users_subtree_is_refused(tree, personas, as_persona):
    client = as_persona("manager_a")
    response = client.post(admit_url(tree.commune_a), admit_post(cell=tree.cell_b1.pk))
    assert response.status_code == 400 and "cell" in response.context["form"].errors
    response = client.post(reverse("members:member_admit"), admit_post(cell_code=tree.cell_b1.code))
    assert response.status_code == 400 and "cell_code" in response.context["form"].errors
    assert not Member.objects.exists()


def test_admission_without_a_unit_asks_for_the_cell_by_list_or_code(tree, personas, as_persona):
    client = as_persona("editor_a")
    assert "— choose a cell —" in client.get(reverse("members:member_admit")).content.decode()
    response = client.post(
        reverse("members:member_admit"), admit_post(cell_code=tree.cell_a1.code.lower())
    )
    assert response.status_code == 302 and Member.objects.get().unit == tree.cell_a1


def test_admission_without_a_unit_is_refused_to_a_reader(tree, personas, as_persona):
    client = as_persona("viewer_a")
    assert client.get(reverse("members:member_admit")).status_code == 403
    response = client.post(reverse("members:member_admit"), admit_post(cell=tree.cell_a1.pk))
    assert response.status_code == 403 and not Member.objects.exists()


# --- editing personal data --------------------------------------------------------------------


def test_editing_personal_data_saves_only_the_changes_with_an_audit_row(tree, personas, as_persona):
    member = admit(tree.cell_a1)
    url = reverse("members:member_edit", args=[member.pk])
    form = as_persona("editor_a").get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["birth_date"] = member.birth_date.strftime("%d/%m/%Y")
    data["occupation"] = "Nông dân"
    response = as_persona("editor_a").post(url, data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.occupation == "Nông dân"
    update = AuditEntry.objects.for_object(member).get(action="update")
    assert update.actor == personas["editor_a"] and update.after["occupation"] == "Nông dân"


@pytest.mark.parametrize(("persona", "status"), [("outsider", 404), ("viewer_a", 403)])
def test_editing_personal_data_is_refused_outside_and_to_readers(
    tree, personas, as_persona, persona, status
):
    member = admit(tree.cell_a1)
    url = reverse("members:member_edit", args=[member.pk])
    assert as_persona(persona).post(url, {"full_name": "X"}).status_code == status
    member.refresh_from_db()
    assert member.full_name == "Nguyễn Văn An"


# --- the list as a secretary reads it: cards, the current members, the Admit button ---------


def _rows(html: str) -> list[str]:
    """The member rows (cards on a phone) of a list page, as their HTML."""
    body = html.split('id="member-results"')[1]
    return [part.split("</tr>")[0] for part in body.split('<tr class="member-card">')[1:]]


def test_each_member_is_a_card_with_name_status_and_the_one_date_that_matters(
    tree, personas, as_persona, manager_a
):
    from grassroots.core.dates import add_months
    from grassroots.members.services import member_recognize

    ceremony = years_ago(0, days=40)
    admit(
        tree.cell_a1,
        full_name="Lò Thị Mới",
        decision_date=ceremony - dt.timedelta(days=5),
        ceremony_date=ceremony,
    )
    official = admit(tree.cell_a1, full_name="Lò Văn Cũ")
    member_recognize(actor=manager_a, member=official, decision_date=years_ago(0, days=300))
    html = as_persona("viewer_a").get(LIST, {"unit": tree.cell_a1.pk}).content.decode()
    rows = _rows(html)
    new = next(row for row in rows if "Lò Thị Mới" in row)
    old = next(row for row in rows if "Lò Văn Cũ" in row)
    due = add_months(ceremony, 12)
    assert "Lò Thị Mới" in new and "Probationary" in new
    assert f'Recognition due <time datetime="{due:%Y-%m-%d}">{due:%d/%m/%Y}</time>' in new
    official.refresh_from_db()
    admitted = official.admission_decision_date
    assert "Lò Văn Cũ" in old and "Official" in old
    assert f'Admitted <time datetime="{admitted:%Y-%m-%d}">{admitted:%d/%m/%Y}</time>' in old
    assert 'class="table-wrap member-cards"' in html


def test_an_overdue_recognition_is_marked_late_on_its_card(tree, personas, as_persona):
    admit(tree.cell_a1, full_name="Lò Văn Muộn")  # probation ended about a year ago
    (row,) = _rows(as_persona("viewer_a").get(LIST).content.decode())
    assert 'class="member-date late"' in row and "Recognition due" in row


def test_the_unit_column_disappears_when_the_list_is_one_cells(tree, personas, as_persona):
    admit(tree.cell_a1, full_name="Lò Văn Một")
    client = as_persona("viewer_a")
    cell = client.get(LIST, {"unit": tree.cell_a1.pk}).content.decode()
    commune = client.get(LIST, {"unit": tree.commune_a.pk}).content.decode()
    assert 'class="member-unit"' not in cell and ">Unit</th>" not in cell
    assert f'<td class="member-unit">{tree.cell_a1.name}</td>' in commune


def test_the_lists_default_is_the_current_members_and_those_who_left_are_one_filter_away(
    tree, personas, as_persona, manager_a
):
    from grassroots.members.services import member_death, member_remove

    admit(tree.cell_a1, full_name="Lò Văn Một")
    removed = admit(tree.cell_a1, full_name="Lò Văn Hai")
    deceased = admit(tree.cell_a1, full_name="Lò Văn Ba")
    member_remove(
        actor=manager_a, member=removed, date=years_ago(0, days=10), reason="Bỏ sinh hoạt"
    )
    member_death(actor=manager_a, member=deceased, date=years_ago(0, days=5))
    client = as_persona("viewer_a")

    def names(**params):
        return {m.full_name for m in client.get(LIST, params).context["members"]}

    assert names(unit=tree.cell_a1.pk) == {"Lò Văn Một"}
    assert names(unit=tree.cell_a1.pk, status=MemberStatus.REMOVED) == {"Lò Văn Hai"}
    assert names(unit=tree.cell_a1.pk, status="") == {"Lò Văn Một", "Lò Văn Hai", "Lò Văn Ba"}
    html = client.get(LIST, {"unit": tree.cell_a1.pk}).content.decode()
    assert '<option value="active" selected>' in html


def test_a_cells_figure_and_its_default_list_count_the_same_people(
    tree, personas, as_persona, manager_a
):
    from grassroots.members.selectors import unit_stats
    from grassroots.members.services import member_death, member_remove

    for name in ("Lò Văn Một", "Lò Văn Hai", "Lò Văn Ba", "Lò Văn Bốn"):
        admit(tree.cell_a1, full_name=name)
    admit(tree.cell_a2, full_name="Vàng Thị Năm")
    one, two = Member.objects.filter(full_name__in=["Lò Văn Hai", "Lò Văn Ba"])
    member_remove(actor=manager_a, member=one, date=years_ago(0, days=10), reason="Bỏ sinh hoạt")
    member_death(actor=manager_a, member=two, date=years_ago(0, days=5))
    response = as_persona("viewer_a").get(LIST, {"unit": tree.cell_a1.pk})
    total = unit_stats(unit=tree.cell_a1).members_total
    assert total == response.context["page_obj"].paginator.count == 2


def test_a_unit_pages_total_links_to_a_list_of_as_many_members(
    tree, personas, as_persona, manager_a
):
    from grassroots.members.services import member_remove, member_transfer_out
    from grassroots.members.unit_page import unit_figures

    for name in ("Lò Văn Một", "Lò Văn Hai", "Lò Văn Ba"):
        admit(tree.cell_a1, full_name=name)
    leaving, removed = Member.objects.filter(full_name__in=["Lò Văn Hai", "Lò Văn Ba"])
    member_transfer_out(
        actor=manager_a, member=leaving, to_unit=tree.cell_b1, date=years_ago(0, days=3)
    )
    member_remove(actor=manager_a, member=removed, date=years_ago(0, days=2), reason="Bỏ")
    client = as_persona("viewer_a")
    for unit in (tree.cell_a1, tree.commune_a):
        total = unit_figures(unit=unit).figures[0]
        listed = client.get(total.url).context["page_obj"].paginator.count
        assert total.value == listed == 2


@pytest.mark.parametrize(
    ("persona", "on_cell", "unfiltered"),
    [
        ("admin", True, True),
        ("manager_a", True, True),
        ("editor_a", True, True),
        ("viewer_a", False, False),
    ],
)
def test_the_list_offers_admit_to_those_who_may(
    tree, personas, as_persona, persona, on_cell, unfiltered
):
    client = as_persona(persona)
    cell = client.get(LIST, {"unit": tree.cell_a1.pk}).content.decode()
    everything = client.get(LIST).content.decode()
    assert (f'href="{admit_url(tree.cell_a1)}"' in cell) is on_cell
    assert (f'href="{reverse("members:member_admit")}"' in everything) is unfiltered


def test_a_closed_cells_list_offers_no_admit(tree, personas, as_persona):
    from grassroots.organizations.models import Unit

    Unit.objects.filter(pk=tree.cell_a2.pk).update(valid_to=years_ago(0, days=1))
    html = as_persona("manager_a").get(LIST, {"unit": tree.cell_a2.pk}).content.decode()
    assert reverse("members:member_admit") not in html


# --- the admission form: rarely needed fields folded away, empty choices that say what ------


def test_the_age_exception_and_late_ceremony_approval_are_folded_away_until_needed(
    tree, personas, as_persona
):
    client = as_persona("manager_a")
    html = client.get(admit_url(tree.cell_a1)).content.decode()
    folded = html.split('<details class="folded-fields">')[1].split("</details>")[0]
    assert 'name="age_exception"' in folded and 'name="ceremony_delay_approval"' in folded
    assert 'name="birth_date"' not in folded
    assert "— choose —" in html  # the gender and the ethnicity say what to choose
    assert 'placeholder="dd/mm/yyyy"' in html
    decision = years_ago(0, days=80)
    late = admit_post(
        decision_date=decision.strftime("%d/%m/%Y"),
        ceremony_date=(decision + dt.timedelta(days=70)).strftime("%d/%m/%Y"),
    )
    response = client.post(admit_url(tree.cell_a1), late)
    assert (
        response.status_code == 400 and "ceremony_delay_approval" in response.context["form"].errors
    )
    assert '<details class="folded-fields" open>' in response.content.decode()
    assert not Member.objects.exists()
    response = client.post(
        admit_url(tree.cell_a1), {**late, "ceremony_delay_approval": "Công văn 5-CV/HU"}
    )
    assert response.status_code == 302 and Member.objects.get().full_name == "Hoàng Thị Mai"


# --- the list order, kept by the database ---------------------------------------------------


def test_the_sort_name_puts_the_given_name_first_for_every_way_a_member_is_written(tree):
    from grassroots.members.services import member_update

    member = admit(tree.cell_a1, full_name="Nguyễn  Văn   Hùng")
    member.refresh_from_db()
    assert member.sort_name == "hung nguyen van"
    member_update(actor=None, member=member, full_name="Đặng Thị Ánh")
    member.refresh_from_db()
    assert member.sort_name == "anh dang thi"
    # A row written without the model's save (bulk writers, COPY) gets it from the database.
    Member.objects.filter(pk=member.pk).update(name_folded="be")
    assert Member.objects.values_list("sort_name", flat=True).get(pk=member.pk) == "be"
