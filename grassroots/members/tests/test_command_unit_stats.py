import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from grassroots.organizations.choices import UnitKind
from grassroots.organizations.services import unit_create

from .ledger_helpers import admit, official


def run(*args) -> str:
    out = StringIO()
    call_command("unit_stats", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def members(tree):
    official(tree.cell_a1, full_name="Lò Thị Mai", gender="female")
    admit(
        tree.cell_a2,
        full_name="Vàng A Páo",
        decision_date=dt.date(2024, 3, 4),
        ceremony_date=dt.date(2024, 3, 8),
    )


def test_json_by_code_holds_the_totals_and_breakdowns(tree, members):
    data = json.loads(run("XA", "--json"))
    assert (
        data["members_total"],
        data["members_official"],
        data["members_probationary"],
        data["cells"],
    ) == (2, 1, 1, 2)
    assert data["by_gender"] == {"male": 1, "female": 1}
    for key in (
        "by_age_band",
        "by_ethnicity",
        "by_religion",
        "by_theory_level",
        "by_general_education",
    ):
        assert key in data


def test_a_name_without_diacritics_finds_the_unit(tree, members):
    data = json.loads(run("xa muong hum", "--json"))
    assert data["unit_code"] == "XA" and data["members_total"] == 2


def test_as_of_a_past_date(tree, members):
    data = json.loads(run("XA", "--as-of", "2023-01-01", "--json"))
    assert (data["members_total"], data["members_official"], data["as_of"]) == (1, 1, "2023-01-01")


def test_the_plain_output_is_a_readable_table(tree, members):
    text = run("Xã Mường Hum")
    assert "Xã Mường Hum (XA)" in text
    assert "members (total)" in text and "official" in text and "by ethnicity" in text
    line = next(line for line in text.splitlines() if "members (total)" in line)
    assert line.split()[-1] == "2"


def test_an_ambiguous_name_lists_the_matches(tree):
    unit_create(
        actor=None,
        code="XA-3",
        name="Chi bộ thôn Mường Hum Trên",
        kind=UnitKind.CELL,
        parent=tree.commune_a,
        valid_from=dt.date(2016, 1, 1),
    )
    with pytest.raises(CommandError) as info:
        run("thon muong hum")
    message = str(info.value)
    assert "several units" in message and "XA-1" in message and "XA-3" in message


def test_a_name_shared_by_a_commune_and_its_cells_takes_the_commune(tree):
    unit_create(
        actor=None,
        code="XA-3",
        name="Chi bộ thôn Mường Hum Trên",
        kind=UnitKind.CELL,
        parent=tree.commune_a,
        valid_from=dt.date(2016, 1, 1),
    )
    assert json.loads(run("muong hum", "--json"))["unit_code"] == "XA"


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (("nowhere",), "No unit"),
        (("XA", "--as-of", "01/01/2023"), "YYYY-MM-DD"),
        (("XA", "--as-of", "2099-01-01"), "future"),
    ],
)
def test_bad_input_is_a_clear_error(tree, args, text):
    with pytest.raises(CommandError) as info:
        run(*args)
    assert text in str(info.value)


def test_a_closed_unit_is_found_by_its_name_rather_than_its_former_cells(tree):
    from grassroots.reorganizations.services import unit_merge

    unit_merge(
        actor=None,
        sources=[tree.commune_a, tree.commune_b],
        effective_date=dt.date(2025, 7, 1),
        decision_number="1-QĐ/TU",
        decision_date=dt.date(2025, 6, 20),
        issuer="Tỉnh ủy",
        new_code="XC",
        new_name="Xã Hợp Nhất",
        new_parent=tree.province,
    )
    assert json.loads(run("muong hum", "--json", "--as-of", "2024-12-31"))["unit_code"] == "XA"
