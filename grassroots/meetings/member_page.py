"""The member record's section of the meetings: the member's assignments (members.hooks)."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from grassroots.members.hooks import MemberSection, register_member_section

from .choices import AssignmentStatus
from .models import Assignment

SHOWN = 10  # the rest are on the member's assignments page


def assignments_section(member, user) -> MemberSection | None:
    """The assignments of `member` from the meetings `user` may see — the open ones first (the
    overdue among them), by due date — or None when there is none to show. One query."""
    rows = list(
        Assignment.objects.visible_to(user)
        .filter(members=member)
        .select_related("unit", "decision__meeting")
        .annotate(
            settled=Case(
                When(status=AssignmentStatus.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("settled", "due_date", "id")[: SHOWN + 1]
    )
    if not rows:
        return None
    return MemberSection(
        template="meetings/_member_assignments_section.html",
        context={
            "member": member,
            "rows": rows[:SHOWN],
            "more": len(rows) > SHOWN,
            "today": timezone.localdate(),
        },
    )


def register() -> None:
    register_member_section("meetings_assignments", assignments_section)
