"""What the apps above the member ledger do when a member's record changes.

The ledger knows none of them (an arrow never points up, STYLE.md): each registers here,
explicitly, in its `AppConfig.ready()`. Committees end the seats of a member who leaves a unit
(`on_member_left`) and offer the seats a dismissal from post may end (`provide_posts`). The
member services call them inside their own transaction, so a refusal writes nothing anywhere.
Apps that keep work of a member show it on the member's record (`register_member_section`:
meetings lists the member's assignments).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Post:
    """A post a member holds, as an app above the ledger describes it (a committee seat)."""

    id: int
    label: str
    member_id: int | None
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass
class _Posts:
    held_by: Callable[[int], list[Post]]
    get: Callable[[int], Post | None]
    end: Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class MemberSection:
    """A section of a member's record that an app above the ledger fills: the template it is
    rendered with and that template's context."""

    template: str
    context: dict[str, Any]


# provider(member, user) -> the section, or None when the app has nothing to show that user
SectionProvider = Callable[[Any, Any], MemberSection | None]


class _Registry:
    def __init__(self) -> None:
        self.left: dict[str, Callable[..., None]] = {}
        self.posts: _Posts | None = None
        self.sections: dict[str, SectionProvider] = {}


registry = _Registry()


def on_member_left(key: str, callback: Callable[..., None]) -> None:
    """`callback(actor=, member_id=, day=, kept_in=)`: a member leaves their units on `day` (an
    expulsion, a removal, a death: `kept_in` None), or leaves for `kept_in` by an official
    transfer (the organizations holding `kept_in` too are not left)."""
    registry.left[key] = callback


def provide_posts(
    *,
    held_by: Callable[[int], list[Post]],
    get: Callable[[int], Post | None],
    end: Callable[..., dict[str, Any]],
) -> None:
    """The posts a dismissal from post (cách chức) may end: `held_by(member_id)` those held now,
    `get(post_id)` one by id, `end(actor=, post_id=, member_id=, day=)` ends it and returns what
    the discipline event records about it."""
    registry.posts = _Posts(held_by=held_by, get=get, end=end)


def register_member_section(key: str, provider: SectionProvider) -> None:
    """Show a section on a member's record: `provider(member, user)` returns a
    `MemberSection` (only what `user` may see) or None. Registered again under the same key,
    the provider is replaced; sections are shown in the order their apps registered them."""
    registry.sections[key] = provider


def member_sections(member, user) -> list[MemberSection]:
    """The sections the registered apps show `user` on `member`'s record."""
    found = (provider(member, user) for provider in registry.sections.values())
    return [section for section in found if section is not None]


# --- what the member services ask -----------------------------------------------------------


def member_left(*, actor, member_id: int, day: dt.date, kept_in=None) -> None:
    for callback in registry.left.values():
        callback(actor=actor, member_id=member_id, day=day, kept_in=kept_in)


def posts_held_by(member_id: int) -> list[Post]:
    return registry.posts.held_by(member_id) if registry.posts else []


def post(post_id) -> Post | None:
    """The post of id `post_id` (or of an object with that `pk`); None when there is none."""
    if post_id is None or registry.posts is None:
        return None
    post_id = getattr(post_id, "pk", post_id)
    try:
        return registry.posts.get(int(post_id))
    except (TypeError, ValueError):
        return None


def post_end(*, actor, post_id: int, member_id: int, day: dt.date) -> dict[str, Any]:
    if registry.posts is None:
        return {}
    return registry.posts.end(actor=actor, post_id=post_id, member_id=member_id, day=day)
