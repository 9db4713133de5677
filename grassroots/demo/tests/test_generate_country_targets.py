"""The national generator's targets step at a tiny scale: every commune reports its approved
yearly figures, every commune of the 2020–2025 term and every province has its resolution, no
orphan rows, the same rows for the same seed, and a province's review computes from its
communes' figures (rolled up through the merges of 1 July 2025)."""

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from grassroots.demo.country import orphan_counts
from grassroots.members.models import MemberEvent
from grassroots.organizations.choices import UnitKind
from grassroots.organizations.models import Unit
from grassroots.targets.choices import Band, ResolutionStatus, ValueState
from grassroots.targets.models import DataValue, DataValueTransition, Indicator, Resolution, Target
from grassroots.targets.selectors import indicator_comparison, indicator_value, resolution_review

from .country import generate

FINAL_REVIEW = dt.date(2025, 12, 31)


def communes():
    """Communes and wards of any time (open, merged successors, closed predecessors)."""
    return Unit.objects.filter(
        kind=UnitKind.GRASSROOTS, parent__kind=UnitKind.PROVINCE, code__contains="-X"
    )


def existed_through(day: dt.date):
    return communes().filter(valid_from__lte=day).exclude(valid_to__lte=day)


def digest() -> str:
    # Ids come from the sequences (they differ between runs on PostgreSQL): compare contents.
    rows = [
        *Resolution.objects.order_by("unit__code").values_list(
            "unit__code", "number", "issued_on", "title", "status"
        ),
        *Target.objects.order_by("unit__code", "position").values_list(
            "unit__code",
            "position",
            "indicator__code",
            "kind",
            "target_value",
            "baseline_value",
            "note",
        ),
        *DataValue.objects.order_by("unit__code", "indicator__code", "period").values_list(
            "unit__code",
            "indicator__code",
            "period",
            "value",
            "numerator",
            "denominator",
            "approved_at",
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.mark.django_db
def test_communes_report_approved_yearly_figures_and_every_commune_of_the_term_has_its_resolution():
    report = generate()
    provinces = Unit.objects.filter(kind=UnitKind.PROVINCE)
    of_the_term = existed_through(dt.date(2020, 1, 1))
    assert of_the_term.count() >= 2 and communes().filter(valid_to__isnull=False).exists()
    # One congress resolution per province and per commune of 2020–2025, each with its targets.
    assert (
        Resolution.objects.count()
        == provinces.count() + of_the_term.count()
        == report.counts["resolutions"]
    )
    assert set(Resolution.objects.values_list("unit_id", flat=True)) == {
        *provinces.values_list("pk", flat=True),
        *of_the_term.values_list("pk", flat=True),
    }
    sizes = Resolution.objects.annotate(n=Count("targets")).values_list("unit__kind", "n")
    assert all(n >= 15 if kind == UnitKind.PROVINCE else n >= 8 for kind, n in sizes)
    assert Target.objects.count() == report.counts["targets"]
    # A commune closed by the merges has its resolution ended by the merge decision.
    closed = Resolution.objects.filter(unit__valid_to=dt.date(2025, 7, 1))
    assert closed.exists()
    assert (
        not closed.exclude(status=ResolutionStatus.ENDED).exclude(end_decision_number="").exists()
    )
    # Every commune that existed through a year reports that year's figures, all approved, each
    # with the three state changes the services record.
    for year in range(2020, 2026):
        day = dt.date(year, 12, 31)
        reporting = set(
            DataValue.objects.filter(period=str(year)).values_list("unit_id", flat=True)
        )
        expected = set(existed_through(day).values_list("pk", flat=True))
        assert expected <= reporting
        assert reporting - expected <= set(provinces.values_list("pk", flat=True))
    assert DataValue.objects.count() == report.counts["data_values"]
    assert not DataValue.objects.exclude(state=ValueState.APPROVED).exists()
    assert not DataValue.objects.filter(approved_level__isnull=True).exists()
    assert DataValueTransition.objects.count() == 3 * DataValue.objects.count()
    assert not DataValue.objects.filter(indicator__computed__gt="").exists()
    assert all(n == 0 for n in orphan_counts().values())
    from grassroots.core.models import AuditEntry

    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_resolutions_and_figures_and_another_seed_others():
    generate(seed=7)
    first = digest()
    indicators = Indicator.objects.count()
    generate(seed=7, replace=True)
    assert digest() == first
    assert Indicator.objects.count() == indicators  # the shared catalogue is kept, not doubled
    generate(seed=8, replace=True)
    assert digest() != first


@pytest.mark.django_db
def test_a_province_review_rolls_up_from_every_commune_through_the_merges():
    generate()
    province = Unit.objects.filter(kind=UnitKind.PROVINCE).order_by("code").first()
    resolution = Resolution.objects.get(unit=province)
    review = resolution_review(resolution=resolution, as_of=FINAL_REVIEW)
    assert review.total == resolution.targets.count()
    assert review.counts[Band.NO_DATA] == 0
    assert (
        review.counts[Band.MET] + review.counts[Band.NEAR] + review.counts[Band.BELOW]
        == review.total
    )
    assert review.sentences("vi")[0].startswith("Đạt và vượt")

    # Before the merges the province is its communes of then (predecessors included); after, the
    # merged communes: each year's figure is the plain sum of its communes' approved figures.
    grain = Indicator.objects.get(code="ECO-GRAIN")
    for year in ("2024", "2025"):
        raw = DataValue.objects.filter(
            indicator=grain, period=year, unit__parent=province
        ).aggregate(s=Sum("value"))["s"]
        assert indicator_value(indicator=grain, unit=province, period=year) == raw
    poor = Indicator.objects.get(code="SOC-POOR")
    sums = DataValue.objects.filter(indicator=poor, period="2024", unit__parent=province).aggregate(
        n=Sum("numerator"), d=Sum("denominator")
    )
    expected = (sums["n"] / sums["d"] * 100).quantize(Decimal("0.0001"))
    assert indicator_value(indicator=poor, unit=province, period="2024") == expected
    # The admissions target counts the member ledger.
    admitted = next(row for row in review.rows if row.target.indicator.code == "PAR-ADMITTED")
    ledger = MemberEvent.objects.filter(
        kind="admit",
        date__gte=resolution.issued_on,
        date__lte=FINAL_REVIEW,
        unit__path__startswith=province.path,
    ).count()
    assert admitted.achievement.actual == ledger > 0

    # The comparison of the province's communes on one indicator lists every open commune's figure.
    rows = indicator_comparison(
        indicator=Indicator.objects.get(code="ECO-INCOME"), parent=province, period="2025"
    )
    figures = {row.unit.pk: row.value for row in rows}
    open_communes = communes().filter(parent=province, valid_to__isnull=True)
    assert open_communes.exists()
    assert all(figures[c.pk] is not None for c in open_communes)
