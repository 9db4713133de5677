"""A collective's classification from the twelve months of its "4 good" self-assessment, and
the recognition that follows."""

import datetime as dt

import pytest
from django.utils import timezone

from grassroots.assessments import services as assessments
from grassroots.assessments.tests.helpers import fill, make_framework, register
from grassroots.classifications.choices import Level
from grassroots.classifications.models import Classification
from grassroots.classifications.services import classification_decide

from .helpers import computed_review, members_of

pytestmark = pytest.mark.django_db


def _accepted_year(tree, year: int, months: int, **scores):
    framework = make_framework(tree)
    registration = register(tree, framework, year=year)
    for month in range(1, months + 1):
        a = fill(registration, month, today=dt.date(year, month, 2), **scores)
        at = timezone.make_aware(dt.datetime(year, month, 3, 9))
        assessments.assessment_submit(actor=None, assessment=a, now=at)
        assessments.assessment_accept(actor=None, assessment=a)


def _cell(tree, year):
    return Classification.objects.get(unit=tree.cell_a1, subject="collective", year=year)


def test_a_cell_s_proposal_comes_from_its_twelve_accepted_months_under_366(tree, manager_a):
    members_of(tree.cell_a1, 2)
    _accepted_year(tree, 2025, 12)  # 95 points each month (5 left for own criteria)
    computed_review(tree.commune_a, 2025)
    cell = _cell(tree, 2025)
    assert cell.facts["months_assessed"] == 12
    assert str(cell.suggested_points) == "95.00"
    assert cell.suggested_level == Level.EXCELLENT
    classification_decide(
        actor=manager_a, classification=cell, level=Level.WELL, inputs={"points": "95"}
    )
    assert _cell(tree, 2025).four_good is True


def test_missing_months_count_as_the_framework_says_and_bar_the_4_good_recognition(tree, manager_a):
    _accepted_year(tree, 2025, 9)  # three months missing, counted as zero by default
    computed_review(tree.commune_a, 2025)
    cell = _cell(tree, 2025)
    assert cell.facts["months_assessed"] == 9
    assert str(cell.suggested_points) == "71.25"  # 9 × 95 / 12
    assert cell.suggested_level == Level.WELL
    classification_decide(actor=manager_a, classification=cell, level=Level.WELL)
    assert _cell(tree, 2025).four_good is False


def test_the_collective_s_page_shows_its_months(tree, as_persona):
    from django.urls import reverse

    _accepted_year(tree, 2025, 3)
    computed_review(tree.commune_a, 2025)
    page = as_persona("viewer_a").get(
        reverse("classifications:classification_detail", args=[_cell(tree, 2025).pk])
    )
    assert "3 / 12" in page.content.decode()
