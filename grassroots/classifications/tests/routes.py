"""Sweep entries for the classifications pages and API (see grassroots/core/testing/routes.py)."""

import datetime as dt

from grassroots.core.testing.routes import ADMIN, ALLOWED, CHANGE, VIEW, Call, api, form, page

OUTSIDER_LISTS = {"outsider GET": ALLOWED}  # a list shows an outsider their own rows


def review(w):
    def build():
        from grassroots.classifications.tests.helpers import computed_review
        from grassroots.members.tests.ledger_helpers import admit_on

        admit_on(w.tree.cell_a1, "Lò Văn Quét", day=dt.date(2015, 3, 2))
        return computed_review(w.tree.commune_a, 2024)

    return w.once("review", build)


def member_c(w):
    return review(w).classifications.get(subject="member")


def cell_c(w):
    return review(w).classifications.get(subject="collective", unit=w.tree.cell_a1)


def rule_set(w):
    from grassroots.classifications.models import RuleSet

    return RuleSet.objects.get(code="366")


def run(w):
    from grassroots.classifications.models import ClassificationRun

    return w.once("run", lambda: ClassificationRun.objects.create(unit=w.tree.commune_a, year=2024))


def results_query(w):
    review(w)  # a review with its classifications to export
    return Call(query={"unit": w.tree.commune_a.pk, "year": 2024})


def circumstance(w):
    from grassroots.classifications.services import circumstance_record

    return w.once(
        "circumstance",
        lambda: circumstance_record(
            actor=None,
            kind="sick_leave",
            member=member_c(w).member,
            start=dt.date(2024, 2, 1),
            end=dt.date(2024, 3, 31),
        ),
    )


def in_review(w):
    return Call({"pk": review(w).pk})


def in_cell(w):
    return Call({"pk": review(w).pk, "unit_pk": w.tree.cell_a1.pk})


ROUTES = [
    page("classifications:index", lambda w: Call(query={"unit": w.tree.commune_a.pk})),
    page("classifications:results_xlsx", results_query),
    page("classifications:ruleset_list", scoped=False),
    page("classifications:ruleset_detail", lambda w: Call({"pk": rule_set(w).pk}), scoped=False),
    form(
        "classifications:ruleset_edit",
        lambda w: Call({"pk": rule_set(w).pk}, data={"quota_rate_pct": "25"}),
        ADMIN,
    ),
    page("classifications:review_detail", in_review),
    page("classifications:review_xlsx", in_review),
    form("classifications:review_compute", in_review, CHANGE),
    form(
        "classifications:review_publish",
        lambda w: Call({"pk": review(w).pk}, data={"confirm": "on"}),
        CHANGE,
    ),
    form(
        "classifications:collectives_decide",
        lambda w: Call({"pk": review(w).pk}, data={f"level_{cell_c(w).pk}": "well"}),
        CHANGE,
    ),
    form(
        "classifications:circumstance_create",
        lambda w: Call(
            {"pk": review(w).pk},
            data={
                "kind": "sick_leave",
                "member": member_c(w).member_id,
                "start": "01/02/2024",
                "end": "31/03/2024",
            },
        ),
        CHANGE,
    ),
    form(
        "classifications:circumstance_remove",
        lambda w: Call({"pk": review(w).pk, "circumstance_pk": circumstance(w).pk}),
        CHANGE,
    ),
    page("classifications:review_cell", in_cell),
    form(
        "classifications:cell_decide",
        lambda w: Call(
            {"pk": review(w).pk, "unit_pk": w.tree.cell_a1.pk},
            data={f"level_{member_c(w).pk}": "well"},
        ),
        CHANGE,
    ),
    page("classifications:classification_detail", lambda w: Call({"pk": member_c(w).pk})),
    form(
        "classifications:classification_step",
        lambda w: Call({"pk": member_c(w).pk}, data={"kind": "self_review", "level": "well"}),
        CHANGE,
    ),
    page("classifications:classification_form", lambda w: Call({"pk": member_c(w).pk})),
    form(
        "classifications:run_create",
        lambda w: Call({"unit_pk": w.tree.commune_a.pk}, data={"year": "2024"}),
        CHANGE,
    ),
    page("classifications:run_detail", lambda w: Call({"pk": run(w).pk})),
    form(
        "classifications:review_open",
        lambda w: Call({"unit_pk": w.tree.commune_a.pk}, data={"year": "2025", "quarter": "1"}),
        CHANGE,
    ),
]

ROUTES += [
    api("classification-rule-set-list", get=VIEW, scoped=False),
    api(
        "classification-rule-set-detail",
        lambda w: Call({"pk": rule_set(w).pk}),
        get=VIEW,
        scoped=False,
    ),
    api(
        "classification-review-list",
        lambda w: Call(data={"unit": w.tree.commune_a.pk, "year": 2025}),
        get=VIEW,
        post=CHANGE,
        expect=OUTSIDER_LISTS,
    ),
    api("classification-review-detail", in_review, get=VIEW),
    api(
        "classification-circumstance-list",
        lambda w: Call(
            data={
                "kind": "maternity_leave",
                "member": member_c(w).member_id,
                "start": "2024-04-01",
                "end": "2024-09-30",
            }
        ),
        get=VIEW,
        post=CHANGE,
        expect=OUTSIDER_LISTS,
    ),
    api(
        "classification-circumstance-detail",
        lambda w: Call({"pk": circumstance(w).pk}),
        get=VIEW,
        delete=CHANGE,
    ),
    api("classification-review-compute", in_review, post=CHANGE),
    api(
        "classification-review-publish",
        lambda w: Call({"pk": review(w).pk}, data={"cell": w.tree.cell_a1.pk}),
        post=CHANGE,
    ),
    api("classification-list", get=VIEW, expect=OUTSIDER_LISTS),
    api("classification-detail", lambda w: Call({"pk": member_c(w).pk}), get=VIEW),
    api(
        "classification-step",
        lambda w: Call({"pk": member_c(w).pk}, data={"kind": "self_review", "level": "well"}),
        post=CHANGE,
    ),
    api(
        "classification-decide",
        lambda w: Call(data={"decisions": [{"classification": member_c(w).pk, "level": "well"}]}),
        post=CHANGE,
    ),
    api(
        "classification-results-list",
        lambda w: Call(query={"unit": w.tree.commune_a.pk, "year": 2024}),
        get=VIEW,
    ),
    api(
        "classification-run-list",
        lambda w: Call(data={"unit": w.tree.commune_a.pk, "year": 2024}),
        post=CHANGE,
    ),
    api("classification-run-detail", lambda w: Call({"pk": run(w).pk}), get=VIEW),
]
