"""Member search by name without diacritics, within what the user may see."""

import datetime as dt

import pytest

from grassroots.members.selectors import member_search
from grassroots.members.services import member_admit


@pytest.mark.django_db
def test_search_finds_names_without_diacritics_in_the_users_subtree_only(tree, manager_a, outsider):
    day = dt.date(2020, 3, 2)
    for name, cell in (("Nguyễn Văn Hùng", tree.cell_a1), ("Nguyễn Văn Hưng", tree.cell_a2),
                       ("Trần Thị Lan", tree.cell_a1), ("Nguyễn Văn Hùng", tree.cell_b1)):
        member_admit(actor=None, unit=cell, full_name=name, gender="male", birth_date=dt.date(1990, 1, 1),
                     ethnicity="kinh", decision_date=day, ceremony_date=day)
    found = member_search(user=manager_a, q="nguyen van hung")
    assert [m["full_name"] for m in found] == ["Nguyễn Văn Hùng", "Nguyễn Văn Hưng"]
    assert [m["full_name"] for m in member_search(user=outsider, q="nguyen van hung")] == ["Nguyễn Văn Hùng"]
    assert member_search(user=manager_a, q="lan") and not member_search(user=manager_a, q="zzz")
