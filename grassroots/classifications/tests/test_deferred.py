"""A run over a whole subtree counts the members and writes their rows when their review is
first opened: the counts, the results read from them, the rows written by the pages and the
API, and a second run."""

import datetime as dt

import pytest
from django.urls import reverse

from grassroots.classifications import services
from grassroots.classifications.choices import CircumstanceKind, NotReviewed, StepKind, Subject
from grassroots.classifications.models import Classification, ClassificationStep, Review
from grassroots.classifications.selectors import classification_results
from grassroots.classifications.services import (
    circumstance_record,
    classifications_compute,
    review_members_write,
)
from grassroots.members.models import Member
from grassroots.members.services import member_transfer_in, member_transfer_out

from .helpers import members_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_of_records(tree):
    """Cell A1: three members, one exempted and one on sick leave, and one admitted in
    September (not reviewed); cell A2: two members; cell B1: one."""
    old = members_of(tree.cell_a1, 3)
    (new,) = members_of(tree.cell_a1, 1, day=dt.date(2024, 9, 1), prefix="Mới ")
    members_of(tree.cell_a2, 2, prefix="A2 ")
    members_of(tree.cell_b1, 1, prefix="B1 ")
    for kind, member, start, end in (
        (CircumstanceKind.EXEMPTED, old[0], dt.date(2024, 2, 1), None),
        (CircumstanceKind.SICK_LEAVE, old[1], dt.date(2024, 1, 1), dt.date(2024, 6, 30)),
        (CircumstanceKind.SICK_LEAVE, new, dt.date(2024, 10, 1), dt.date(2024, 10, 31)),
    ):
        circumstance_record(actor=None, kind=kind, member=member, start=start, end=end)
    return old, new


def _members():
    return Classification.objects.filter(subject=Subject.MEMBER)


def _results(tree) -> list[dict]:
    units = (tree.province, tree.commune_a, tree.cell_a1, tree.cell_a2, tree.commune_b)
    return [classification_results(unit=u, year=2024).as_dict() for u in units] + [
        classification_results(unit=tree.commune_a, year=2024, subtree=False).as_dict()
    ]


def test_a_run_over_a_subtree_counts_the_members_without_writing_their_rows(
    tree, year_of_records, manager_a
):
    result = classifications_compute(actor=None, unit=tree.province, year=2024)
    assert result.deferred == 7 and not _members().exists()
    review = Review.objects.get(unit=tree.commune_a, year=2024)
    # A1: the exempted member and the new one are not reviewed.
    assert review.members_deferred == {str(tree.cell_a1.pk): [4, 2], str(tree.cell_a2.pk): [2, 0]}
    assert review.members_counted() == (6, 2)
    assert review.members_counted(tree.cell_a2.pk) == (2, 0)
    results = classification_results(unit=tree.province, year=2024)
    assert (results.members_pending, results.members_not_reviewed) == (5, 2)
    a1 = classification_results(unit=tree.cell_a1, year=2024)
    assert (a1.members_pending, a1.members_not_reviewed) == (2, 2)


def test_opening_the_review_writes_the_rows_the_run_counted(
    tree, year_of_records, as_persona, manager_a
):
    old, new = year_of_records
    classifications_compute(actor=manager_a, unit=tree.commune_a, year=2024)
    counted = _results(tree)
    review = Review.objects.get(unit=tree.commune_a, year=2024)
    page = as_persona("viewer_a").get(reverse("classifications:review_detail", args=[review.pk]))
    assert page.status_code == 200
    rows = _members().filter(review=review)
    assert rows.count() == 6
    assert {c.member_id: c.not_reviewed for c in rows if c.not_reviewed} == {
        old[0].pk: NotReviewed.EXEMPTED,
        new.pk: NotReviewed.NEW_MEMBER,
    }
    computed = ClassificationStep.objects.filter(classification__in=rows, kind=StepKind.COMPUTED)
    assert computed.count() == 6 and {s.actor_id for s in computed} == {manager_a.pk}
    review.refresh_from_db()
    assert review.members_deferred_at is None and review.members_deferred == {}
    # The results read the rows now, and give what they gave from the counts.
    assert _results(tree) == counted
    as_persona("viewer_a").get(reverse("classifications:review_detail", args=[review.pk]))
    assert rows.count() == 6 and computed.count() == 6


def test_the_api_writes_a_reviews_rows_when_they_are_asked_for(tree, year_of_records, api):
    classifications_compute(actor=None, unit=tree.province, year=2024)
    review = Review.objects.get(unit=tree.commune_a, year=2024)
    client = api("viewer_a")
    listed = client.get(f"/api/v1/classification-reviews/?year=2024&unit={review.unit_id}")
    assert listed.json()["results"][0]["members_counted"] == [6, 2]
    rows = client.get(f"/api/v1/classifications/?unit={tree.cell_a2.pk}&subject=member")
    assert rows.status_code == 200 and len(rows.json()["results"]) == 2
    detail = client.get(f"/api/v1/classification-reviews/{review.pk}/")
    assert detail.json()["members_counted"] is None
    # Outside the subtree: nothing listed, nothing written.
    other = Review.objects.get(unit=tree.commune_b, year=2024)
    assert client.get(f"/api/v1/classifications/?review={other.pk}").json()["results"] == []
    assert not _members().filter(review=other).exists()


def test_a_second_run_computes_the_reviews_written_and_counts_the_others(
    tree, year_of_records, as_persona
):
    classifications_compute(actor=None, unit=tree.province, year=2024)
    review = Review.objects.get(unit=tree.commune_a, year=2024)
    as_persona("viewer_a").get(reverse("classifications:review_detail", args=[review.pk]))
    again = classifications_compute(actor=None, unit=tree.province, year=2024)
    # Commune A's six members and the five collectives compared; commune B's member counted.
    assert (again.created, again.updated, again.unchanged, again.deferred) == (0, 0, 6 + 5, 1)
    assert Review.objects.get(unit=tree.commune_b, year=2024).members_counted() == (1, 0)
    assert Review.objects.get(pk=review.pk).members_deferred_at is None


def test_a_review_opened_while_a_run_goes_keeps_its_rows_and_loses_its_counts(
    tree, year_of_records, monkeypatch
):
    classifications_compute(actor=None, unit=tree.province, year=2024)
    before = classification_results(unit=tree.province, year=2024).as_dict()
    review_b = Review.objects.get(unit=tree.commune_b, year=2024)
    monkeypatch.setattr(services, "BATCH_REVIEWS", 1)  # commune A, commune B, the province

    def open_b_after_the_first_batch(*, done, **_progress):
        if done == 1:
            review_members_write(Review.objects.get(pk=review_b.pk))

    again = classifications_compute(
        actor=None, unit=tree.province, year=2024, progress=open_b_after_the_first_batch
    )
    # B's member was written between the batches: its batch compares it and counts nothing.
    assert again.deferred == 6 and again.unchanged == 1 + 5
    review_b.refresh_from_db()
    assert review_b.members_deferred_at is None and review_b.members_deferred == {}
    assert _members().filter(review=review_b).count() == 1
    assert classification_results(unit=tree.province, year=2024).as_dict() == before


def test_a_member_moved_after_their_review_was_written_stays_in_that_review(
    tree, year_of_records, as_persona
):
    old, _new = year_of_records
    classifications_compute(actor=None, unit=tree.province, year=2024)
    review_a = Review.objects.get(unit=tree.commune_a, year=2024)
    as_persona("viewer_a").get(reverse("classifications:review_detail", args=[review_a.pk]))
    # Recorded now, dated before the review date: on 31/12 the member is in B1.
    member_transfer_out(actor=None, member=old[2], to_unit=tree.cell_b1, date=dt.date(2024, 11, 1))
    moved = Member.objects.get(pk=old[2].pk)
    member_transfer_in(actor=None, member=moved, date=dt.date(2024, 11, 5))
    again = classifications_compute(actor=None, unit=tree.province, year=2024)
    # B1 counts its own member only: the one who moved keeps the row of commune A's review.
    review_b = Review.objects.get(unit=tree.commune_b, year=2024)
    assert review_b.members_counted() == (1, 0) and again.deferred == 1
    assert _members().filter(member=old[2], review=review_a).exists()
    results = classification_results(unit=tree.province, year=2024)
    assert results.members_pending + results.members_not_reviewed == 7
