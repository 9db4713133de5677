"""The committees' part in the member ledger's events, through the hooks the ledger offers
(`grassroots.members.hooks`): a member who leaves a unit leaves its committees, and a dismissal
from post ends the seat it names. `register()` is called by `CommitteesConfig.ready()`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from grassroots.members import hooks

from .models import CommitteeSeat
from .services import member_seats_end, seat_end_for_dismissal


def _post(seat: CommitteeSeat) -> hooks.Post:
    return hooks.Post(
        id=seat.pk,
        label=f"{seat.get_position_display()} · {seat.committee}",
        member_id=seat.member_id,
        since=seat.from_date,
        until=seat.to_date,
    )


def _seats():
    return CommitteeSeat.objects.select_related("committee__unit", "committee__term")


def seats_held_by(member_id: int) -> list[hooks.Post]:
    return [_post(s) for s in _seats().filter(member_id=member_id, to_date__isnull=True)]


def seat(post_id: int) -> hooks.Post | None:
    found = _seats().filter(pk=post_id).first()
    return _post(found) if found is not None else None


def end_for_dismissal(*, actor, post_id: int, member_id: int, day: dt.date) -> dict[str, Any]:
    ended = seat_end_for_dismissal(
        actor=actor, seat=CommitteeSeat(pk=post_id), member_id=member_id, day=day
    )
    return {"seat": ended.pk, "committee": ended.committee_id, "position": ended.position}


def _left(*, actor, member_id: int, day: dt.date, kept_in=None) -> None:
    member_seats_end(actor=actor, member_id=member_id, day=day, kept_in=kept_in)


def register() -> None:
    hooks.on_member_left("committee_seats", _left)
    hooks.provide_posts(held_by=seats_held_by, get=seat, end=end_for_dismissal)
