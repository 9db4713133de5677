"""Which review of a resolution a page or an API call shows.

A live review is computed for a day (`as_of`, today when none is asked) with its bands (met from
100%, near from 70% when left empty) from the figures stored now; a review its committee adopted
is kept as issued and shown as such, whatever was corrected since. The review page, its XLSX
export, the adopted review's page, the resolution's API `review` and `adopt-review` all ask this
module, so that the same question gets the same review everywhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import Band, ReviewKind
from .models import AdoptedReview, Resolution
from .selectors import DEFAULT_BANDS, Bands, Resolver, Review, resolution_review


def bands_of(met: Decimal | None = None, near: Decimal | None = None) -> Bands:
    """The bands asked for, the defaults where left empty; a ValidationError on "near" when
    they do not hold together."""
    try:
        return Bands(
            met=DEFAULT_BANDS.met if met is None else met,
            near=DEFAULT_BANDS.near if near is None else near,
        )
    except ValueError as exc:
        raise ValidationError(
            {"near": _("The near threshold lies between 0 and the met threshold.")}
        ) from exc


@dataclass
class ShownReview:
    """The live review of a day with the bands it was read with, and what a committee may adopt."""

    resolution: Resolution
    as_of: dt.date
    bands: Bands
    review: Review

    @cached_property
    def adopted(self) -> list[AdoptedReview]:
        """The reviews adopted so far, by date: they are listed beside the live one."""
        return adopted_reviews(self.resolution)

    @property
    def adoption_kind(self) -> str:
        """What adopting this review would most likely record: final from the last year on."""
        if self.as_of.year >= self.resolution.end_year:
            return ReviewKind.FINAL
        return ReviewKind.MID_TERM


def live_review(
    *,
    resolution: Resolution,
    as_of: dt.date | None = None,
    met: Decimal | None = None,
    near: Decimal | None = None,
    resolver: Resolver | None = None,
) -> ShownReview:
    """The review of `resolution` on `as_of` (today by default) with the bands asked for."""
    day = as_of or timezone.localdate()
    bands = bands_of(met, near)
    review = resolution_review(resolution=resolution, as_of=day, bands=bands, resolver=resolver)
    return ShownReview(resolution=resolution, as_of=day, bands=bands, review=review)


def adopted_reviews(resolution: Resolution) -> list[AdoptedReview]:
    return list(resolution.adopted_reviews.select_related("adopted_by").order_by("as_of", "id"))


def adopted_as_review(adopted: AdoptedReview) -> Review:
    """An adopted review's counts as issued, in the shape of a live review (its rows are the
    adopted rows, read from `adopted.rows`)."""
    counts = {band: adopted.counts.get(band, 0) for band in Band.values}
    by_group = {g: {b: c.get(b, 0) for b in Band.values} for g, c in adopted.by_group.items()}
    return Review(
        resolution=adopted.resolution,
        as_of=adopted.as_of,
        bands=Bands(met=adopted.met, near=adopted.near),
        rows=[],
        counts=counts,
        by_group=by_group,
    )
