"""Builders for the classification tests: members admitted through the ledger's services, and
a review computed for commune A of the persona tree."""

from __future__ import annotations

import datetime as dt

from grassroots.classifications.models import Review
from grassroots.classifications.services import (
    classifications_compute,
    review_members_write,
    review_open,
)
from grassroots.members.tests.ledger_helpers import admit_on

NAMES = ["Lò Văn An", "Lò Thị Bình", "Vàng A Chư", "Sùng Thị Dua", "Giàng A Dế", "Lý Thị Én"]


def members_of(cell, n: int, *, day: dt.date = dt.date(2015, 3, 2), prefix: str = ""):
    return [admit_on(cell, f"{prefix}{NAMES[i % len(NAMES)]} {i + 1}", day=day) for i in range(n)]


def members_written(unit, year: int) -> None:
    """Write the member rows a run over `unit`'s subtree counted, as opening each review does."""
    for review in Review.objects.filter(unit__path__startswith=unit.path, year=year):
        review_members_write(review)


def computed_review(unit, year: int):
    """`unit`'s review of `year` computed by a run over its subtree, its member rows written."""
    classifications_compute(actor=None, unit=unit, year=year)
    members_written(unit, year)
    return review_open(actor=None, unit=unit, year=year)
