"""Sweep entries for the assessments pages and API (see grassroots/core/testing/routes.py).

The objects sit in commune A's subtree: a framework issued by commune A (published, with cell
A1 registered under it for 2024) and one under construction; cell A1's months in each state."""

import datetime as dt

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from grassroots.assessments import services
from grassroots.assessments.models import Evidence
from grassroots.core.testing.routes import ALLOWED, CHANGE, VIEW, Call, api, form, page, post

OUTSIDER_LISTS = {"outsider GET": ALLOWED}  # a list shows an outsider their own rows
EVIDENCE_NAME = "assessments/evidence/route-sweep.pdf"
BEFORE = dt.date(2025, 6, 1)


def _build_framework(w, code: str, publish: bool):
    framework = services.framework_create(
        actor=None,
        issuing_unit=w.tree.commune_a,
        code=code,
        name="Khung tiêu chí chi bộ 4 tốt",
        unit_kinds=["cell"],
    )
    group = services.group_add(
        actor=None, framework=framework, code="1", name_vi="Nhóm 1", max_points=100
    )
    services.criterion_add(actor=None, group=group, code="1.1", text_vi="Tiêu chí", max_points=90)
    services.criterion_add(actor=None, group=group, code="1.2", text_vi="Tiêu chí", max_points=5)
    services.band_add(actor=None, framework=framework, key="good", label_vi="Tốt", min_total=70)
    services.band_add(actor=None, framework=framework, key="weak", label_vi="Yếu", min_total=0)
    if publish:
        services.framework_publish(actor=None, framework=framework)
    return framework


def framework(w):
    return w.once("framework", lambda: _build_framework(w, "sweep", True))


def draft(w):
    return w.once("draft_framework", lambda: _build_framework(w, "sweep-draft", False))


def registration(w):
    return w.once(
        "registration",
        lambda: services.registration_create(
            actor=None, unit=w.tree.cell_a1, year=2024, framework=framework(w)
        ),
    )


def own_criterion(w):
    def build():
        other = services.registration_create(
            actor=None, unit=w.tree.cell_a2, year=2024, framework=framework(w)
        )
        return services.own_criterion_add(
            actor=None,
            registration=other,
            group=framework(w).groups.get(),
            code="1.3",
            text_vi="Riêng",
            max_points=5,
        )

    return w.once("own_criterion", build)


def _month(w, month: int, *, submit: bool = False, accept: bool = False):
    reg = registration(w)
    scores = {c.pk: (c.max_points, "") for c in services.registration_criteria(reg)}
    assessment = services.assessment_save(
        actor=None, registration=reg, month=month, scores=scores, today=BEFORE
    )
    if submit:
        assessment = services.assessment_submit(actor=None, assessment=assessment)
    if accept:
        assessment = services.assessment_accept(actor=None, assessment=assessment)
    return assessment


def draft_month(w):
    return w.once("draft_month", lambda: _month(w, 1))


def submitted_month(w):
    return w.once("submitted_month", lambda: _month(w, 2, submit=True))


def accepted_month(w):
    return w.once("accepted_month", lambda: _month(w, 3, submit=True, accept=True))


def evidence(w):
    def build():
        if not default_storage.exists(EVIDENCE_NAME):
            default_storage.save(EVIDENCE_NAME, ContentFile(b"%PDF-1.4 route sweep"))
        return Evidence.objects.create(
            assessment=draft_month(w),
            file=EVIDENCE_NAME,
            file_name="Biên bản.pdf",
            content_type="application/pdf",
            size=20,
        )

    return w.once("evidence", build)


def draft_group(w):
    return draft(w).groups.get()


def draft_criterion(w):
    return draft_group(w).criteria.first()


def draft_band(w):
    return draft(w).bands.first()


def pk(builder):
    return lambda w: Call({"pk": builder(w).pk})


def _part_routes(name: str, new, existing, change: dict) -> list:
    """A framework part's list (read, create) and detail (read, change, remove) endpoints."""
    return [
        api(
            f"assessment-framework-{name}-list",
            lambda w: Call(data=new(w)),
            get=VIEW,
            post=CHANGE,
            expect=OUTSIDER_LISTS,
        ),
        api(
            f"assessment-framework-{name}-detail",
            lambda w: Call({"pk": existing(w).pk}, data=change),
            get=VIEW,
            patch=CHANGE,
            delete=CHANGE,
        ),
    ]


def commune_a(w):
    return Call({"pk": w.tree.commune_a.pk})


ROUTES = [
    page("assessments:registration_list", scoped=False),
    page("assessments:review_queue", scoped=False),
    page("assessments:unit_board", commune_a),
    page("assessments:board_export", lambda w: Call({"pk": w.tree.commune_a.pk}, {"year": 2024})),
    form("assessments:registration_create", lambda w: Call({"pk": w.tree.cell_a2.pk})),
    form("assessments:framework_create", commune_a),
    page("assessments:registration_detail", pk(registration)),
    form("assessments:own_criterion_add", pk(registration)),
    post("assessments:own_criterion_remove", pk(own_criterion)),
    form(
        "assessments:month_form",
        lambda w: Call({"pk": registration(w).pk, "month": 4}),
    ),
    page("assessments:month_detail", pk(draft_month)),
    post("assessments:month_submit", pk(draft_month)),
    post("assessments:month_accept", pk(submitted_month)),
    form(
        "assessments:month_return",
        lambda w: Call({"pk": submitted_month(w).pk}, data={"reason": "Thiếu minh chứng"}),
    ),
    form(
        "assessments:month_reopen",
        lambda w: Call({"pk": accepted_month(w).pk}, data={"reason": "Sai điểm"}),
    ),
    form("assessments:evidence_add", pk(draft_month)),
    page("assessments:evidence_download", pk(evidence)),
    post("assessments:evidence_remove", pk(evidence)),
    page("assessments:framework_list", scoped=False),
    page("assessments:framework_detail", pk(framework)),
    form("assessments:framework_edit", pk(draft)),
    form("assessments:group_add", pk(draft)),
    form("assessments:band_add", pk(draft)),
    post("assessments:framework_publish", pk(draft)),
    post("assessments:framework_new_version", pk(framework)),
    page("assessments:framework_export", pk(framework)),
    form("assessments:framework_import", pk(draft)),
    form("assessments:criterion_add", lambda w: Call({"pk": draft(w).groups.get().pk})),
    post("assessments:group_remove", lambda w: Call({"pk": draft(w).groups.get().pk})),
    post(
        "assessments:criterion_remove",
        lambda w: Call({"pk": draft(w).groups.get().criteria.first().pk}),
    ),
    post("assessments:band_remove", lambda w: Call({"pk": draft(w).bands.first().pk})),
    form("assessments:group_edit", pk(draft_group)),
    form("assessments:criterion_edit", pk(draft_criterion)),
    form("assessments:band_edit", pk(draft_band)),
    api("assessment-framework-list", get=VIEW, scoped=False),
    api(
        "assessment-framework-detail",
        lambda w: Call({"pk": draft(w).pk}, data={"name": "Khung tiêu chí (sửa)"}),
        get=VIEW,
        patch=CHANGE,
    ),
    *_part_routes(
        "group",
        lambda w: {"framework": draft(w).pk, "code": "2", "name_vi": "Nhóm 2", "max_points": "5"},
        draft_group,
        {"name_vi": "Nhóm một"},
    ),
    *_part_routes(
        "criterion",
        lambda w: {"group": draft_group(w).pk, "code": "1.3", "text_vi": "Mới", "max_points": "5"},
        draft_criterion,
        {"max_points": "80"},
    ),
    *_part_routes(
        "band",
        lambda w: {"framework": draft(w).pk, "key": "fair", "label_vi": "Khá", "min_total": "50"},
        draft_band,
        {"label_vi": "Tốt lắm"},
    ),
    api(
        "assessment-evidence-list",
        lambda w: Call(data={"assessment": draft_month(w).pk}),
        get=VIEW,
        post=CHANGE,
        expect=OUTSIDER_LISTS,
    ),
    api("assessment-evidence-detail", pk(evidence), get=VIEW, delete=CHANGE),
    api("assessment-evidence-download", pk(evidence), get=VIEW),
    api("assessment-framework-publish", pk(draft), post=CHANGE),
    api("assessment-framework-new-version", pk(framework), post=CHANGE),
    api(
        "assessment-registration-list",
        lambda w: Call(
            data={"unit": w.tree.cell_a2.pk, "year": 2024, "framework": framework(w).pk}
        ),
        get=VIEW,
        post=CHANGE,
        expect=OUTSIDER_LISTS,
    ),
    api("assessment-registration-detail", pk(registration), get=VIEW),
    api("assessment-registration-months", pk(registration), get=VIEW),
    api(
        "monthly-assessment-list",
        lambda w: Call(data={"registration": registration(w).pk, "month": 4, "scores": []}),
        get=VIEW,
        post=CHANGE,
        expect=OUTSIDER_LISTS,
    ),
    api(
        "monthly-assessment-detail",
        lambda w: Call({"pk": draft_month(w).pk}, data={"note": "Sinh hoạt chuyên đề"}),
        get=VIEW,
        patch=CHANGE,
    ),
    api("monthly-assessment-submit", pk(draft_month), post=CHANGE),
    api("monthly-assessment-accept", pk(submitted_month), post=CHANGE),
    api(
        "monthly-assessment-return",
        lambda w: Call({"pk": submitted_month(w).pk}, data={"reason": "Thiếu minh chứng"}),
        post=CHANGE,
    ),
    api(
        "monthly-assessment-reopen",
        lambda w: Call({"pk": accepted_month(w).pk}, data={"reason": "Sai điểm"}),
        post=CHANGE,
    ),
]
