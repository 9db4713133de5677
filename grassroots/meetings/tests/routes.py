"""Sweep entries for the meetings pages and API (see grassroots/core/testing/routes.py)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.core.testing.routes import ALLOWED, CHANGE, VIEW, Call, api, form, page
from grassroots.meetings import services

OUTSIDER_LISTS = {"outsider GET": ALLOWED}  # a list shows an outsider their own rows
HELD = dt.date(2024, 3, 12)


def cell(w):
    return Call({"pk": w.tree.cell_a1.pk})


def member(w):
    from grassroots.members.tests.ledger_helpers import admit_on

    return w.once("meeting_member", lambda: admit_on(w.tree.cell_a1, "Lò Văn Pả"))


def meeting(w):
    def build():
        member(w)
        return services.meeting_create(
            actor=None, unit=w.tree.cell_a1, kind="regular", date=HELD, agenda="1. Kiểm điểm"
        )

    return w.once("meeting", build)


def decision(w):
    return w.once(
        "meeting_decision",
        lambda: services.decision_add(
            actor=None,
            meeting=meeting(w),
            text="Vận động các hộ",
            task="Vận động 5 hộ",
            due_date=dt.date(2024, 4, 10),
            members=[member(w)],
        ),
    )


def assignment(w):
    return decision(w).assignments.get()


def seat(w):
    from grassroots.meetings.tests.helpers import commune_seat

    return w.once("meeting_seat", lambda: commune_seat(w.tree.commune_a))


def liaison(w):
    return w.once(
        "meeting_liaison",
        lambda: services.liaison_add(
            actor=None, seat=seat(w), unit=w.tree.cell_a1, from_date=dt.date(2024, 1, 1)
        ),
    )


def document(w):
    return w.once(
        "meeting_document",
        lambda: services.document_add(
            actor=None,
            meeting=meeting(w),
            title="Dự thảo nghị quyết",
            file=SimpleUploadedFile("du-thao.pdf", b"%PDF-1.4 test", "application/pdf"),
        ),
    )


def meeting_pk(w):
    return Call({"pk": meeting(w).pk})


ROUTES = [
    page("meetings:meeting_list", scoped=False),
    page(
        "meetings:meeting_export", lambda w: Call(query={"unit": w.tree.commune_a.pk}), scoped=False
    ),
    page("meetings:unit_meetings", cell),
    form("meetings:meeting_create", cell, CHANGE),
    page("meetings:unit_calendar", cell),
    page("meetings:unit_findings", lambda w: Call({"pk": w.tree.commune_a.pk}, {"year": 2024})),
    page("meetings:findings_export", lambda w: Call({"pk": w.tree.commune_a.pk})),
    page("meetings:unit_liaisons", lambda w: Call({"pk": liaison(w).unit_id})),
    form("meetings:liaison_add", cell, CHANGE),
    form("meetings:liaison_end", lambda w: Call({"pk": liaison(w).pk}), CHANGE),
    page("meetings:meeting_detail", meeting_pk),
    form("meetings:meeting_edit", meeting_pk),
    form("meetings:meeting_delete", meeting_pk),
    form("meetings:agenda_publish", meeting_pk),
    form("meetings:document_add", meeting_pk),
    page("meetings:document_download", lambda w: Call({"pk": document(w).pk})),
    form("meetings:attendance", meeting_pk),
    form("meetings:assessment", meeting_pk),
    form("meetings:minutes", meeting_pk),
    form("meetings:meeting_sign", meeting_pk),
    form("meetings:correction_add", meeting_pk),
    form("meetings:decision_add", meeting_pk),
    form("meetings:assignment_add", lambda w: Call({"pk": decision(w).pk})),
    page("meetings:agenda_print", meeting_pk),
    page("meetings:minutes_print", meeting_pk),
    page("meetings:attendance_sheet", meeting_pk),
    page("meetings:assignment_list", scoped=False),
    page("meetings:assignment_export", scoped=False),
    form("meetings:assignment_status", lambda w: Call({"pk": assignment(w).pk})),
    page("meetings:member_assignments", lambda w: Call({"pk": member(w).pk})),
    api(
        "meeting-list",
        lambda w: Call(
            data={"unit": w.tree.cell_a1.pk, "kind": "extraordinary", "date": "2024-03-20"}
        ),
        get=VIEW,
        post=CHANGE,
        expect=OUTSIDER_LISTS,
    ),
    api("meeting-detail", meeting_pk, get=VIEW, patch=CHANGE, delete=CHANGE),
    api("meeting-publish", meeting_pk, post=CHANGE),
    api(
        "meeting-attendance",
        lambda w: Call(
            {"pk": meeting(w).pk},
            data={"entries": [{"member": member(w).pk, "status": "present"}]},
        ),
        post=CHANGE,
    ),
    api(
        "meeting-minutes", lambda w: Call({"pk": meeting(w).pk}, data={"minutes": "x"}), post=CHANGE
    ),
    api("meeting-sign", meeting_pk, post=CHANGE),
    api("meeting-corrections", meeting_pk, post=CHANGE),
    api(
        "meeting-decisions",
        lambda w: Call({"pk": meeting(w).pk}, data={"text": "Tu sửa kênh mương"}),
        post=CHANGE,
    ),
    api("meeting-assignment-list", get=VIEW, scoped=False),
    api("meeting-assignment-detail", lambda w: Call({"pk": assignment(w).pk}), get=VIEW),
    api(
        "meeting-assignment-status",
        lambda w: Call({"pk": assignment(w).pk}, data={"status": "done", "day": "2024-03-20"}),
        post=CHANGE,
    ),
    api(
        "meeting-liaison-list",
        lambda w: Call(
            data={"seat": seat(w).pk, "unit": w.tree.cell_a2.pk, "from_date": "2024-01-01"}
        ),
        get=VIEW,
        post=CHANGE,
        expect=OUTSIDER_LISTS,
    ),
    api("meeting-liaison-detail", lambda w: Call({"pk": liaison(w).pk}), get=VIEW),
    api(
        "meeting-liaison-end",
        lambda w: Call({"pk": liaison(w).pk}, data={"to_date": "2024-06-30"}),
        post=CHANGE,
    ),
    api("meeting-liaison-attendance", get=VIEW, scoped=False),
    api(
        "meeting-findings-list",
        lambda w: Call(query={"unit": w.tree.commune_a.pk, "year": 2024}),
        get=VIEW,
    ),
]
