"""A month: saved as a draft, submitted by the deadline, accepted (locked) or returned by the
level above, reopened only by that level with a reason; every step recorded."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grassroots.accounts.models import RoleAssignment, User
from grassroots.assessments import services
from grassroots.assessments.models import Evidence, MonthlyAssessment, ReviewStep, Score
from grassroots.core.models import AuditEntry

from .helpers import fill, full_scores, make_framework, register


@pytest.fixture
def registration(tree):
    return register(tree, make_framework(tree))


@pytest.fixture
def secretary(tree):
    user = User.objects.create_user(username="secretary_a1", password="pass-12345-word")
    RoleAssignment.objects.create(user=user, unit=tree.cell_a1, role=RoleAssignment.Role.EDITOR)
    return user


def _at(day):
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 20))


def test_a_draft_keeps_scores_notes_and_the_total(registration, secretary):
    scores = full_scores(registration, **{"3_2": D("7.5")})
    first = next(iter(scores))
    scores[first] = (scores[first][0], "Hoàn thành chỉ tiêu thu hoạch vụ đông")
    assessment = services.assessment_save(
        actor=secretary,
        registration=registration,
        month=11,
        scores=scores,
        note="Sinh hoạt chuyên đề khắc phục hậu quả bão số 3",
        today=dt.date(2024, 11, 20),
    )
    assert (assessment.status, assessment.total, assessment.band_key) == (
        "draft",
        D("92.5"),
        "excellent",
    )
    assert assessment.scores.get(criterion_id=first).note.startswith("Hoàn thành")
    entries = AuditEntry.objects.for_object(assessment)
    assert {e.actor for e in entries} == {secretary}
    assert entries.filter(action="create").exists()


def test_a_month_cannot_be_assessed_before_it_begins(registration):
    with pytest.raises(ValidationError) as error:
        fill(registration, 12, today=dt.date(2024, 11, 30))
    assert "month" in error.value.message_dict
    assert not MonthlyAssessment.objects.exists()


@pytest.mark.parametrize(
    ("code", "value"),
    [("1_1", 21), ("1_1", -1), ("2_2", 5), ("3_2", D("3")), ("1_1", "abc")],
)
def test_a_score_outside_what_the_criterion_takes_is_refused(registration, code, value):
    with pytest.raises(ValidationError):
        fill(registration, 1, **{code: value})
    assert not MonthlyAssessment.objects.exists() and not Score.objects.exists()


def test_a_scale_criterion_takes_the_steps_of_its_scale(registration):
    assert fill(registration, 1, **{"3_2": D("2.5")}).total == D("87.5")


def test_submitting_needs_every_criterion_scored(registration):
    assessment = fill(registration, 1, **{"4_1": None})
    with pytest.raises(ValidationError, match="4.1"):
        services.assessment_submit(actor=None, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == "draft" and not ReviewStep.objects.exists()


def test_a_month_submitted_on_its_deadline_is_on_time_and_after_it_late(registration):
    november = fill(registration, 11)
    october = fill(registration, 10)
    services.assessment_submit(actor=None, assessment=november, now=_at(dt.date(2024, 12, 10)))
    services.assessment_submit(actor=None, assessment=october, now=_at(dt.date(2024, 11, 11)))
    november.refresh_from_db()
    october.refresh_from_db()
    assert not november.late and october.late


def test_accept_locks_the_month(registration, secretary, manager_a):
    assessment = fill(registration, 1)
    services.assessment_submit(actor=secretary, assessment=assessment)
    services.assessment_accept(actor=manager_a, assessment=assessment)
    assessment.refresh_from_db()
    assert (assessment.status, assessment.reviewed_by) == ("accepted", manager_a)
    with pytest.raises(ValidationError, match="locked"):
        fill(registration, 1, **{"1_1": 0})
    with pytest.raises(ValidationError):
        services.assessment_submit(actor=secretary, assessment=assessment)
    with pytest.raises(ValidationError):
        services.evidence_add(
            actor=secretary, assessment=assessment, file=SimpleUploadedFile("a.pdf", b"%PDF-1.4")
        )
    assessment.refresh_from_db()
    assert assessment.total == D(95)
    steps = list(assessment.steps.values_list("kind", "actor__username"))
    assert steps == [("submit", "secretary_a1"), ("accept", "manager_a")]


def test_only_the_level_above_reviews(registration, secretary, viewer_a):
    assessment = fill(registration, 1)
    services.assessment_submit(actor=secretary, assessment=assessment)
    for actor in (secretary, viewer_a):
        with pytest.raises(PermissionDenied):
            services.assessment_accept(actor=actor, assessment=assessment)
        with pytest.raises(PermissionDenied):
            services.assessment_return(actor=actor, assessment=assessment, reason="Thiếu")
    assessment.refresh_from_db()
    assert assessment.status == "submitted"


def test_return_needs_a_reason_and_the_unit_corrects_and_resubmits(
    registration, secretary, manager_a
):
    assessment = fill(registration, 1)
    services.assessment_submit(actor=secretary, assessment=assessment, now=_at(dt.date(2024, 2, 5)))
    with pytest.raises(ValidationError) as error:
        services.assessment_return(actor=manager_a, assessment=assessment, reason="  ")
    assert "reason" in error.value.message_dict
    services.assessment_return(
        actor=manager_a, assessment=assessment, reason="Điểm nhóm 1 chưa có minh chứng"
    )
    assessment.refresh_from_db()
    assert (assessment.status, assessment.reason) == ("returned", "Điểm nhóm 1 chưa có minh chứng")
    fill(registration, 1, **{"1_1": 15})
    services.assessment_submit(actor=secretary, assessment=assessment, now=_at(dt.date(2024, 3, 1)))
    assessment.refresh_from_db()
    # Lateness is fixed by the first submission, which was on time.
    assert (assessment.status, assessment.total, assessment.late) == ("submitted", D(90), False)


def test_reopen_is_for_an_accepted_month_by_the_level_above_with_a_reason(
    registration, secretary, manager_a
):
    assessment = fill(registration, 1)
    services.assessment_submit(actor=secretary, assessment=assessment)
    with pytest.raises(ValidationError, match="accepted"):
        services.assessment_reopen(actor=manager_a, assessment=assessment, reason="Sai")
    services.assessment_accept(actor=manager_a, assessment=assessment)
    with pytest.raises(PermissionDenied):
        services.assessment_reopen(actor=secretary, assessment=assessment, reason="Sai")
    with pytest.raises(ValidationError):
        services.assessment_reopen(actor=manager_a, assessment=assessment, reason="")
    services.assessment_reopen(actor=manager_a, assessment=assessment, reason="Sai điểm 2.1")
    assessment.refresh_from_db()
    assert assessment.status == "returned"
    fill(registration, 1, **{"2_1": 10})
    step = assessment.steps.last()
    assert (step.kind, step.reason, step.actor) == ("reopen", "Sai điểm 2.1", manager_a)


def test_a_submitted_month_is_not_accepted_twice_nor_returned_after_acceptance(
    registration, manager_a
):
    assessment = fill(registration, 1)
    with pytest.raises(ValidationError):
        services.assessment_accept(actor=manager_a, assessment=assessment)
    services.assessment_submit(actor=None, assessment=assessment)
    services.assessment_accept(actor=manager_a, assessment=assessment)
    with pytest.raises(ValidationError):
        services.assessment_accept(actor=manager_a, assessment=assessment)
    with pytest.raises(ValidationError):
        services.assessment_return(actor=manager_a, assessment=assessment, reason="x")


def test_a_commune_committees_month_is_reviewed_by_the_province(tree, manager_a, admin_user):
    registration = register(tree, make_framework(tree), unit=tree.commune_a)
    assessment = fill(registration, 1)
    services.assessment_submit(actor=manager_a, assessment=assessment)
    with pytest.raises(PermissionDenied):
        services.assessment_accept(actor=manager_a, assessment=assessment)
    services.assessment_accept(actor=admin_user, assessment=assessment)


def test_evidence_is_type_and_size_checked(registration, secretary, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ASSESSMENT_EVIDENCE_MAX_BYTES = 1000
    assessment = fill(registration, 1)
    bad = [
        SimpleUploadedFile("bien-ban.exe", b"MZ\x90\x00"),
        SimpleUploadedFile("bien-ban.pdf", b"<html>not a pdf</html>"),
        SimpleUploadedFile("anh.png", b"\x89PNG" + b"0" * 2000),
        SimpleUploadedFile("trong.pdf", b""),
    ]
    for upload in bad:
        with pytest.raises(ValidationError) as error:
            services.evidence_add(actor=secretary, assessment=assessment, file=upload)
        assert "file" in error.value.message_dict
    assert not Evidence.objects.exists()
    evidence = services.evidence_add(
        actor=secretary,
        assessment=assessment,
        file=SimpleUploadedFile("Biên bản tháng 1.pdf", b"%PDF-1.4 minutes"),
    )
    assert evidence.file_name == "Biên bản tháng 1.pdf"
    assert evidence.file.name.startswith("assessments/evidence/")
    assert str(tmp_path) in evidence.file.path  # under MEDIA_ROOT, outside the static root
    services.evidence_remove(actor=secretary, evidence=evidence)
    assert not Evidence.objects.exists()
