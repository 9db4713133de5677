"""Adopted reviews: a committee's mid-term or final review is filed as issued, with its bands,
figures, results and sentences, and later corrections of the figures never change it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grassroots.core.models import AuditEntry
from grassroots.targets import services
from grassroots.targets.choices import Band, ReviewKind
from grassroots.targets.models import AdoptedReview, AdoptedReviewRow
from grassroots.targets.selectors import Bands, resolution_review

from .core_helpers import approved, counts, percent_indicator, resolution, target

MID_TERM = dt.date(2024, 4, 30)


@pytest.fixture
def reviewed(tree, admin_user):
    labour = percent_indicator("SOC-LABOUR", name_vi="Tỷ lệ lao động qua đào tạo")
    res = resolution(tree.commune_a)
    t = target(res, labour, target_value="50", baseline_value="40", baseline_year=2020)
    figure = approved(labour, tree.commune_a, "2023", "45", actor=admin_user)
    return res, t, figure


def test_an_adopted_review_keeps_its_figures_when_a_figure_is_corrected_later(
    reviewed, manager_a, admin_user
):
    res, t, figure = reviewed
    adopted = services.review_adopt(
        actor=manager_a, resolution=res, kind=ReviewKind.MID_TERM, as_of=MID_TERM
    )
    row = adopted.rows.get()
    assert (row.actual, row.percent, row.band, row.actual_period) == (
        Decimal(45),
        Decimal("90.00"),
        Band.NEAR,
        "2023",
    )
    assert (adopted.counts[Band.NEAR], adopted.total, adopted.adopted_by) == (1, 1, manager_a)
    assert adopted.sentences_vi == [
        "Đạt và vượt 0/1 chỉ tiêu (≥ 100%); 1/1 chỉ tiêu đạt từ 70% trở lên"
    ]
    assert AuditEntry.objects.for_object(adopted).get(action="create").actor == manager_a
    # The figure is corrected: the live review changes, the adopted one does not.
    services.data_value_reopen(actor=admin_user, value=figure, reason="Số liệu thống kê điều chỉnh")
    approved(t.indicator, res.unit, "2023", "55", actor=admin_user)
    live = resolution_review(resolution=res, as_of=MID_TERM)
    assert (live.rows[0].achievement.actual, live.rows[0].band) == (Decimal(55), Band.MET)
    kept = AdoptedReview.objects.get(pk=adopted.pk)
    row = kept.rows.get()
    assert (row.actual, row.percent, row.band) == (Decimal(45), Decimal("90.00"), Band.NEAR)
    assert kept.sentences("vi") == adopted.sentences_vi and kept.counts[Band.NEAR] == 1


def test_an_adopted_review_keeps_its_bands_and_its_target_as_promised(reviewed, manager_a):
    res, t, _figure = reviewed
    adopted = services.review_adopt(
        actor=manager_a,
        resolution=res,
        kind=ReviewKind.FINAL,
        as_of=MID_TERM,
        bands=Bands(met=90, near=60),
    )
    services.target_update(actor=manager_a, target=t, target_value="60")
    row = AdoptedReview.objects.get(pk=adopted.pk).rows.get()
    assert (adopted.met, adopted.near) == (Decimal(90), Decimal(60))
    assert (row.target_value, row.band, row.indicator_code) == (Decimal(50), Band.MET, "SOC-LABOUR")


def test_an_adopted_review_cannot_be_changed_nor_deleted(reviewed, manager_a):
    res, _t, _figure = reviewed
    adopted = services.review_adopt(
        actor=manager_a, resolution=res, kind=ReviewKind.MID_TERM, as_of=MID_TERM
    )
    adopted.note = "sửa"
    with pytest.raises(ValidationError):
        adopted.save()
    with pytest.raises(ValidationError):
        adopted.delete()
    row = adopted.rows.get()
    row.percent = Decimal(100)
    with pytest.raises(ValidationError):
        row.save()
    assert AdoptedReviewRow.objects.get(pk=row.pk).percent == Decimal("90.00")


@pytest.mark.parametrize("persona", ["editor_a", "viewer_a", "outsider"])
def test_only_a_manager_of_the_resolutions_unit_adopts_a_review(request, reviewed, persona):
    res, _t, _figure = reviewed
    user = request.getfixturevalue(persona)
    before = counts()
    with pytest.raises(PermissionDenied):
        services.review_adopt(actor=user, resolution=res, kind=ReviewKind.MID_TERM, as_of=MID_TERM)
    assert counts() == before and not AdoptedReview.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "yearly"}, "kind"),
        ({"as_of": dt.date(2999, 1, 1)}, "as_of"),
        ({"as_of": dt.date(2019, 1, 1)}, "as_of"),
        ({"as_of": None}, "as_of"),
    ],
)
def test_a_wrong_adoption_is_refused_naming_the_field_and_nothing_is_written(
    reviewed, manager_a, changes, field
):
    res, _t, _figure = reviewed
    arguments = {"kind": ReviewKind.MID_TERM, "as_of": MID_TERM, **changes}
    before = counts()
    with pytest.raises(ValidationError) as refused:
        services.review_adopt(actor=manager_a, resolution=res, **arguments)
    assert field in refused.value.message_dict
    assert counts() == before and not AdoptedReview.objects.exists()


def test_each_review_of_a_resolution_is_adopted_once(reviewed, manager_a):
    res, _t, _figure = reviewed
    services.review_adopt(actor=manager_a, resolution=res, kind=ReviewKind.MID_TERM, as_of=MID_TERM)
    with pytest.raises(ValidationError) as refused:
        services.review_adopt(
            actor=manager_a, resolution=res, kind=ReviewKind.MID_TERM, as_of=dt.date(2024, 5, 2)
        )
    assert "30/04/2024" in refused.value.message_dict["kind"][0]
    assert AdoptedReview.objects.count() == 1
