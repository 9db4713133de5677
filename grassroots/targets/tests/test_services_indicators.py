"""The indicator catalogue: shared by every unit, changed only by the system administrator,
with rules that keep roll-ups and formulas computable."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from grassroots.core.models import AuditEntry
from grassroots.targets import services
from grassroots.targets.choices import Aggregation, ComputedSource

from .core_helpers import counts, draft, indicator, percent_indicator, resolution, target


def test_the_administrator_adds_an_indicator_and_the_audit_names_them(admin_user):
    created = services.indicator_create(
        actor=admin_user,
        code="eco-growth",
        name_vi="Tốc độ tăng trưởng kinh tế",
        name_en="Economic growth",
        group="economy",
        measure_unit="%",
        decimals=1,
        aggregation=Aggregation.NONE,
    )
    assert created.code == "ECO-GROWTH"
    assert AuditEntry.objects.for_object(created).get().actor == admin_user


def test_the_label_follows_the_active_language(db):
    ind = indicator(
        "SOC-HI", name_vi="Tỷ lệ bao phủ bảo hiểm y tế", name_en="Health insurance coverage"
    )
    with translation.override("vi"):
        assert ind.label == "Tỷ lệ bao phủ bảo hiểm y tế"
    with translation.override("en"):
        assert ind.label == "Health insurance coverage"


def test_only_the_administrator_changes_the_catalogue(manager_a):
    before = counts()
    with pytest.raises(PermissionDenied):
        services.indicator_create(actor=manager_a, code="X", name_vi="X", group="economy")
    assert counts() == before
    ind = indicator("ECO-A")
    with pytest.raises(PermissionDenied):
        services.indicator_update(actor=manager_a, indicator=ind, name_vi="Khác")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"code": "eco growth"}, "code"),
        ({"name_vi": ""}, "name_vi"),
        ({"group": "sports"}, "group"),
        ({"direction": "sideways"}, "direction"),
        ({"aggregation": "median"}, "aggregation"),
        ({"decimals": 7}, "decimals"),
        ({"computed": "weather"}, "computed"),
        ({"aggregation": Aggregation.WEIGHTED_MEAN}, "weight"),
        ({"min_value": Decimal(5), "max_value": Decimal(1)}, "max_value"),
        ({"formula": "{NOPE} + 1"}, "formula"),
        ({"formula": "{A} ** 2"}, "formula"),
        ({"formula": "{ECO-NEW} + 1"}, "formula"),
        ({"formula": "1", "computed": ComputedSource.MEMBERS_ADMITTED}, "formula"),
        ({"multiplier": Decimal(0)}, "multiplier"),
    ],
)
def test_an_indicator_that_could_not_be_computed_is_refused_and_nothing_is_written(
    db, fields, field
):
    before = counts()
    with pytest.raises(ValidationError) as refused:
        indicator(fields.pop("code", "ECO-NEW"), **fields)
    assert field in refused.value.message_dict
    assert counts() == before


def test_codes_are_unique(db):
    indicator("ECO-A")
    with pytest.raises(ValidationError) as refused:
        indicator("eco-a")
    assert "code" in refused.value.message_dict


def test_a_ratio_names_both_parts_or_neither(db):
    households = indicator("SOC-HH")
    with pytest.raises(ValidationError) as refused:
        indicator("SOC-POOR", aggregation=Aggregation.RATIO, numerator=households)
    assert "denominator" in refused.value.message_dict
    poor = indicator("SOC-POOR-HH")
    ratio = indicator(
        "SOC-POOR", aggregation=Aggregation.RATIO, numerator=poor, denominator=households
    )
    assert ratio.numerator == poor


def test_formulas_cannot_refer_to_each_other_in_a_circle(db):
    a = indicator("A")
    indicator("B", formula="{A} * 2")
    with pytest.raises(ValidationError) as refused:
        services.indicator_update(actor=None, indicator=a, formula="{B} + 1")
    assert "formula" in refused.value.message_dict


def test_the_code_stays_once_figures_use_it(tree):
    ind = indicator("ECO-A")
    draft(ind, tree.commune_a, "2023", "5")
    with pytest.raises(ValidationError) as refused:
        services.indicator_update(actor=None, indicator=ind, code="ECO-B")
    assert "code" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.indicator_update(
            actor=None, indicator=ind, computed=ComputedSource.MEMBERS_ADMITTED
        )
    assert "computed" in refused.value.message_dict
    services.indicator_update(actor=None, indicator=ind, name_en="Production")
    ind.refresh_from_db()
    assert ind.name_en == "Production"


def test_the_code_stays_once_a_target_uses_it(tree):
    ind = percent_indicator("SOC-A")
    target(resolution(tree.commune_a), ind)
    with pytest.raises(ValidationError):
        services.indicator_update(actor=None, indicator=ind, code="SOC-B")


def test_unknown_fields_are_refused(db):
    with pytest.raises(ValidationError) as refused:
        indicator("ECO-A", colour="red")
    assert "colour" in refused.value.message_dict
