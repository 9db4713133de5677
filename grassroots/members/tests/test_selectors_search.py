"""Member search by name without diacritics, within what the user may see."""

import datetime as dt

import pytest

from grassroots.members.selectors import member_search
from grassroots.members.services import member_admit


@pytest.mark.django_db
def test_search_finds_names_without_diacritics_in_the_users_subtree_only(tree, manager_a, outsider):
    day = dt.date(2020, 3, 2)
    for name, cell in (
        ("Nguyễn Văn Hùng", tree.cell_a1),
        ("Nguyễn Văn Hưng", tree.cell_a2),
        ("Trần Thị Lan", tree.cell_a1),
        ("Nguyễn Văn Hùng", tree.cell_b1),
    ):
        member_admit(
            actor=None,
            unit=cell,
            full_name=name,
            gender="male",
            birth_date=dt.date(1990, 1, 1),
            ethnicity="kinh",
            decision_date=day,
            ceremony_date=day,
        )
    found = member_search(user=manager_a, q="nguyen van hung")
    assert [m["full_name"] for m in found] == ["Nguyễn Văn Hùng", "Nguyễn Văn Hưng"]
    assert [m["full_name"] for m in member_search(user=outsider, q="nguyen van hung")] == [
        "Nguyễn Văn Hùng"
    ]
    assert member_search(user=manager_a, q="lan") and not member_search(user=manager_a, q="zzz")


@pytest.mark.django_db
def test_names_that_begin_with_the_search_come_first_then_the_others_holding_every_word(
    tree, manager_a
):
    day = dt.date(2020, 3, 2)
    names = (
        "Lê Văn Hùng",
        "Nguyễn Văn Hùng",
        "Nguyễn Văn Hưng Anh",
        "Nguyễn Văn Hùng",
        "Trần Văn Hùng",
        "Nguyễn Thị Văn Hùng",
        "Nguyễn Văn An",
    )
    admitted = [
        member_admit(
            actor=None,
            unit=tree.cell_a1,
            full_name=name,
            gender="male",
            birth_date=dt.date(1990, 1, 1),
            ethnicity="kinh",
            decision_date=day,
            ceremony_date=day,
            party_card_number=f"0{i}0001",
        )
        for i, name in enumerate(names)
    ]
    found = member_search(user=manager_a, q="Nguyễn  văn hung")
    assert [m["full_name"] for m in found] == [
        "Nguyễn Văn Hùng",
        "Nguyễn Văn Hùng",
        "Nguyễn Văn Hưng Anh",
        "Nguyễn Thị Văn Hùng",
    ]
    assert [m["id"] for m in found[:2]] == sorted(
        m.pk for m in admitted if m.full_name == "Nguyễn Văn Hùng"
    )
    # A part inside the name: every name holding it, by name.
    assert [m["full_name"] for m in member_search(user=manager_a, q="van hung")] == [
        "Lê Văn Hùng",
        "Nguyễn Thị Văn Hùng",
        "Nguyễn Văn Hùng",
        "Nguyễn Văn Hùng",
        "Nguyễn Văn Hưng Anh",
        "Trần Văn Hùng",
    ]
    # The first page holds `limit` members whichever part they come from.
    assert [m["full_name"] for m in member_search(user=manager_a, q="nguyen van", limit=3)] == [
        "Nguyễn Văn An",
        "Nguyễn Văn Hùng",
        "Nguyễn Văn Hùng",
    ]
    assert [m["full_name"] for m in member_search(user=manager_a, q="nguyen van hung", limit=3)][
        2
    ] == "Nguyễn Văn Hưng Anh"
    assert [m["full_name"] for m in member_search(user=manager_a, q="050001")] == [
        "Nguyễn Thị Văn Hùng"
    ]


@pytest.mark.django_db
def test_the_search_pages_through_both_parts_and_counts_up_to_its_cap(tree):
    from grassroots.members.models import Member
    from grassroots.members.selectors import NameSearch

    day = dt.date(2020, 3, 2)
    for name in ("Hà Văn Nam", "Nam Thị Hoa", "Nam Văn Bình", "Lò Văn Nam", "Nam Văn An"):
        member_admit(
            actor=None,
            unit=tree.cell_a1,
            full_name=name,
            gender="male",
            birth_date=dt.date(1990, 1, 1),
            ethnicity="kinh",
            decision_date=day,
            ceremony_date=day,
        )
    order = ["Nam Thị Hoa", "Nam Văn An", "Nam Văn Bình", "Hà Văn Nam", "Lò Văn Nam"]
    found = NameSearch(Member.objects.all(), "nam")
    assert (found.count(), found.capped) == (5, False)
    assert [m.full_name for m in found[0:5]] == order
    for start in range(5):
        assert [m.full_name for m in found[start : start + 2]] == order[start : start + 2]
    assert found[4].full_name == "Lò Văn Nam"
    few = NameSearch(Member.objects.all(), "nam", cap=4)
    assert (few.count(), few.capped) == (4, True)
    assert [m.full_name for m in few[2:4]] == order[2:4]
    assert NameSearch(Member.objects.all(), "zzz").count() == 0
