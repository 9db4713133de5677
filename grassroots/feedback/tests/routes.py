"""Sweep entries for the feedback pages and API (see grassroots/core/testing/routes.py)."""

from grassroots.core.testing.routes import ALLOWED, CHANGE, VIEW, Call, api, form, page, post
from grassroots.feedback.services import feedback_answer
from grassroots.feedback.tests.helpers import receive

OUTSIDER_LISTS = {"outsider GET": ALLOWED}  # a list shows an outsider their own rows
PUBLIC = {"anonymous": ALLOWED, "outsider": ALLOWED}  # the citizen's pages: no login


def feedback(w):
    return w.once("feedback", lambda: receive(w.tree.commune_a))


def answered(w):
    return w.once(
        "answered",
        lambda: feedback_answer(
            actor=None, feedback=receive(w.tree.commune_a), answer="Đã đưa vào kế hoạch."
        ),
    )


def settled(w):
    return Call({"pk": answered(w).pk})


def one(w):
    return Call({"pk": feedback(w).pk})


ROUTES = [
    page("feedback:feedback_list", scoped=False),
    page(
        "feedback:board",
        lambda w: Call(query={"from": "2024-01-01", "to": "2024-12-31"}),
        scoped=False,
    ),
    page("feedback:feedback_export", scoped=False),
    form(
        "feedback:feedback_create",
        lambda w: Call(query={"unit": w.tree.commune_a.pk}),
        CHANGE,
        scoped=False,
        note="a new feedback names its unit in the form: whoever may change some unit is let in",
    ),
    page("feedback:feedback_detail", one),
    form("feedback:feedback_assign", one),
    form("feedback:feedback_transfer", one),
    form("feedback:feedback_answer", one),
    form("feedback:feedback_note", one),
    form("feedback:feedback_satisfaction", one),
    post("feedback:feedback_close", one),
    form("feedback:feedback_reopen", settled),
    page(
        "feedback:public_start", lambda w: Call(query={"q": "Mường"}), scoped=False, expect=PUBLIC
    ),
    page(
        "feedback:public_form",
        lambda w: Call({"pk": w.tree.commune_a.pk}),
        methods={"GET": VIEW, "POST": VIEW},
        scoped=False,
        expect=PUBLIC,
        note="the citizen's form, open to all",
    ),
    page(
        "feedback:public_sent",
        scoped=False,
        expect=PUBLIC,
        note="the confirmation of what this browser sent (none here: back to the start)",
    ),
    page(
        "feedback:public_track",
        lambda w: Call(query={"code": feedback(w).display_code}),
        methods={"GET": VIEW, "POST": VIEW},
        scoped=False,
        expect=PUBLIC,
        note="the tracking page: whoever holds the code",
    ),
    api(
        "feedback-list",
        lambda w: Call(
            data={
                "unit": w.tree.commune_a.pk,
                "channel": "call",
                "category": "opinion",
                "subject": "Đèn đường",
                "body": "Đèn đường xóm 2 hỏng.",
                "citizen_name": "Trần Thị Gọi",
            }
        ),
        get=VIEW,
        post=CHANGE,
        expect=OUTSIDER_LISTS,
    ),
    api("feedback-detail", one, get=VIEW),
    api(
        "feedback-assign",
        lambda w: Call({"pk": feedback(w).pk}, data={"assignee": None}),
        post=CHANGE,
    ),
    api(
        "feedback-answer",
        lambda w: Call({"pk": feedback(w).pk}, data={"answer": "Đã đưa vào kế hoạch sửa."}),
        post=CHANGE,
    ),
    api("feedback-close", one, post=CHANGE),
    api(
        "feedback-reopen",
        lambda w: Call({"pk": answered(w).pk}, data={"reason": "Dân chưa đồng ý."}),
        post=CHANGE,
    ),
    api(
        "feedback-note",
        lambda w: Call({"pk": feedback(w).pk}, data={"note": "Đã hỏi xóm."}),
        post=CHANGE,
    ),
    api(
        "feedback-satisfaction",
        lambda w: Call({"pk": feedback(w).pk}, data={"satisfaction": "satisfied"}),
        post=CHANGE,
    ),
    api(
        "feedback-board-list",
        lambda w: Call(query={"from": "2024-01-01", "to": "2024-12-31"}),
        get=VIEW,
        scoped=False,
    ),
]
