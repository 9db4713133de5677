"""Reorganizations of the tree: merge, split, rename, move and dissolve units.

Each is planned before it is applied: `_plan_<kind>()` validates and works out what will happen
(units closed and created, children, members and candidates moved) without writing. The preview
(`reorganization_preview`, the page's preview and the API's `dry_run`) reports that plan; the
commit services apply the very same plan, so what the user confirmed is what gets done.

Who decides is checked here, on the preview and on the commit alike, so that pages and API
cannot disagree: the actor manages every unit the reorganization acts on, and the parent of
every unit it creates or moves. The records it writes (Reorganization, Lineage, placements) are
the tree's history and live in organizations; the members and candidates it moves go through
the members services, and the roll-up counters are told explicitly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, Count, F, Max, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from grassroots.core import audit
from grassroots.core.access import Access, Action
from grassroots.core.audit import acting_as
from grassroots.members.choices import ACTIVE_STATUSES
from grassroots.members.models import Candidate, Member, Membership
from grassroots.members.services import candidate_reassign, member_reassign
from grassroots.organizations.choices import (
    ALLOWED_CHILDREN,
    CELL_KINDS,
    ReorganizationKind,
    UnitKind,
)
from grassroots.organizations.models import Lineage, Reorganization, Unit, UnitPlacement
from grassroots.organizations.services import new_unit_errors, unit_create
from grassroots.rollups.past import past_paused
from grassroots.rollups.services import rollup_after_reorganization, rollup_tops_before

# --- helpers -------------------------------------------------------------------------------


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _kind_label(kind: str) -> str:
    try:
        return str(UnitKind(kind).label)
    except ValueError:
        return kind


def _active_statuses() -> set[str]:
    return {str(s) for s in ACTIVE_STATUSES}


def _members_directly_in(units):
    """Active members whose records sit in one of `units` (not in their sub-units)."""
    return Member.objects.filter(unit__in=list(units), status__in=_active_statuses())


def _candidates_directly_in(units):
    """Candidates still in the admission pipeline of one of `units` (open work that moves with a
    merge or a split, like the members' records)."""
    return Candidate.objects.filter(unit__in=list(units)).in_pipeline()


def _candidates_in_subtree(unit: Unit) -> int:
    return Candidate.objects.filter(unit__path__startswith=unit.path).in_pipeline().count()


# --- planning ------------------------------------------------------------------------------


@dataclass
class Decision:
    """The legal basis of a reorganization."""

    effective_date: dt.date | None
    decision_number: str
    decision_date: dt.date | None
    issuer: str
    note: str = ""


@dataclass
class Plan:
    """What a reorganization will do, worked out without writing."""

    kind: str
    decision: Decision
    closes: list[Unit] = field(default_factory=list)
    creates: list[dict] = field(default_factory=list)  # arguments for unit_create
    # (unit moved, new parent or a key of `creates`) for children moved with their subtrees
    moves: list[tuple[Unit, object]] = field(default_factory=list)
    # member pk → target (a Unit or a key of `creates`)
    member_targets: dict[int, object] = field(default_factory=dict)
    # candidate pk → target, as for members
    candidate_targets: dict[int, object] = field(default_factory=dict)
    subtree_units_moved: int = 0
    members_in_moved_subtrees: int = 0
    successor: Unit | None = None
    unit: Unit | None = None
    details: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ReorganizationPreview:
    """What a reorganization will do, in numbers and in sentences for the person confirming."""

    kind: str
    units_closed: int
    units_created: int
    members_moved: int
    cells_moved: int
    sentences: list[str]
    warnings: list[str]
    candidates_moved: int = 0

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "units_closed": self.units_closed,
            "units_created": self.units_created,
            "members_moved": self.members_moved,
            "cells_moved": self.cells_moved,
            "candidates_moved": self.candidates_moved,
            "sentences": self.sentences,
            "warnings": self.warnings,
        }


def _decision_errors(decision: Decision, errors: dict[str, str], warnings: list[str]) -> None:
    """Checks shared by every reorganization.

    A future effective date is refused: the tree of today holds only what has taken effect, and
    a reorganization is recorded on or after the day it takes effect. A decision signed after
    its effective date (a retroactive decision) is accepted, with a warning in the preview.
    """
    today = timezone.localdate()
    if decision.effective_date is None:
        errors["effective_date"] = _("Enter the date the change takes effect.")
    elif decision.effective_date > today:
        errors["effective_date"] = _(
            "The change takes effect on %(date)s: record it on or after that day."
        ) % {"date": _fmt(decision.effective_date)}
    if not (decision.decision_number or "").strip():
        errors["decision_number"] = _("Enter the number of the decision.")
    if decision.decision_date is None:
        errors["decision_date"] = _("Enter the date of the decision.")
    elif decision.decision_date > today:
        errors["decision_date"] = _("The decision date cannot be in the future.")
    elif decision.effective_date and decision.decision_date > decision.effective_date:
        warnings.append(
            _("The decision (%(decision)s) is dated after the change takes effect (%(effective)s).")
            % {"decision": _fmt(decision.decision_date), "effective": _fmt(decision.effective_date)}
        )
    if not (decision.issuer or "").strip():
        errors["issuer"] = _("Enter who issued the decision.")


def _effective_after_errors(units, day: dt.date | None, errors: dict[str, str]) -> None:
    """The change must take effect after each unit was created and after the unit's (and its
    open sub-units') current place in the tree began, and after the current period of every
    member moved (else a history interval would end before it starts)."""
    if day is None or "effective_date" in errors:
        return
    for unit in units:
        if day <= unit.valid_from:
            errors["effective_date"] = _(
                "The effective date must be after %(unit)s was created (%(date)s)."
            ) % {"unit": unit, "date": _fmt(unit.valid_from)}
            return
    paths = [u.path for u in units]
    if not paths:
        return
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(unit__path__startswith=p)
    latest = UnitPlacement.objects.filter(q, valid_to__isnull=True).aggregate(m=Max("valid_from"))[
        "m"
    ]
    if latest is not None and day < latest:
        errors["effective_date"] = _(
            "The effective date is before the last change of this part of the tree (%(date)s)."
        ) % {"date": _fmt(latest)}


def _member_period_errors(member_ids, day: dt.date | None, errors: dict[str, str]) -> None:
    if day is None or not member_ids or "effective_date" in errors:
        return
    latest = Membership.objects.filter(member_id__in=member_ids, end__isnull=True).aggregate(
        m=Max("start")
    )["m"]
    if latest is not None and day < latest:
        errors["effective_date"] = _(
            "The effective date is before the current period of a member moved (%(date)s)."
        ) % {"date": _fmt(latest)}


def _closing_period_errors(units, day: dt.date | None, errors: dict[str, str]) -> None:
    """No period of a former member in a unit that closes may reach past the effective date:
    the unit has no place in the tree from then on, so the member would count nowhere for the
    rest of it (a member who left the cell after the date the merge is recorded from)."""
    if day is None or not units or "effective_date" in errors:
        return
    row = (
        Membership.objects.filter(unit__in=list(units), end__gt=day)
        .order_by("-end")
        .values_list("unit__name", "end")
        .first()
    )
    if row is not None:
        unit_name, end = row
        errors["effective_date"] = _(
            "The effective date is before a member's period in %(unit)s ended (%(date)s): "
            "record the change from that date or later, or correct that member's record first."
        ) % {"unit": unit_name, "date": _fmt(end)}


def _transit_warnings(units, warnings: list[str]) -> None:
    incoming = Member.objects.filter(transit_to__in=list(units)).count()
    if incoming:
        warnings.append(
            ngettext(
                "%(n)d member is in transit to a unit that closes: "
                "record the arrival in the successor.",
                "%(n)d members are in transit to units that close: "
                "record their arrival in the successor.",
                incoming,
            )
            % {"n": incoming}
        )
    attending = Member.objects.filter(attending_unit__in=list(units)).count()
    if attending:
        warnings.append(
            ngettext(
                "%(n)d member temporarily attends a unit that closes.",
                "%(n)d members temporarily attend units that close.",
                attending,
            )
            % {"n": attending}
        )


def _open_children(unit: Unit) -> list[Unit]:
    return list(
        Unit.objects.filter(parent=unit, valid_to__isnull=True).order_by("name_folded", "pk")
    )


def _members_in_subtrees_of(parent: Unit, units) -> dict[int, int]:
    """Active members in the subtree of each of `units`, children of `parent` (by unit id), in
    one query grouped by unit."""
    if not units:
        return {}
    by_path = (
        Member.objects.filter(unit__path__startswith=parent.path, status__in=_active_statuses())
        .values_list("unit__path")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = dict.fromkeys((u.pk for u in units), 0)
    prefixes = {u.path: u.pk for u in units}
    for path, n in by_path:
        child_path = "/".join(path.split("/")[: parent.path.count("/") + 1]) + "/"
        if child_path in prefixes:
            counts[prefixes[child_path]] += n
    return counts


def _subtree_counts(units) -> tuple[int, int]:
    """Open units and active members in the subtrees of `units` (the units themselves included)."""
    if not units:
        return 0, 0
    q_units, q_members = Q(pk__in=[]), Q(pk__in=[])
    for u in units:
        q_units |= Q(path__startswith=u.path)
        q_members |= Q(unit__path__startswith=u.path)
    n_units = Unit.objects.filter(q_units, valid_to__isnull=True).count()
    n_members = Member.objects.filter(q_members, status__in=_active_statuses()).count()
    return n_units, n_members


def _plan_merge(
    *,
    sources: list[Unit],
    effective_date: dt.date | None,
    decision_number: str,
    decision_date: dt.date | None,
    issuer: str,
    into: Unit | None = None,
    new_code: str = "",
    new_name: str = "",
    new_parent: Unit | None = None,
    new_kind: str = "",
    new_cell_subtype: str = "",
    note: str = "",
) -> Plan:
    decision = Decision(effective_date, decision_number, decision_date, issuer, note)
    plan = Plan(kind=ReorganizationKind.MERGE, decision=decision)
    errors: dict[str, str] = {}
    _decision_errors(decision, errors, plan.warnings)

    # Fresh rows: the caller's instances may be stale (a form built them earlier).
    ids = list(dict.fromkeys(u.pk for u in sources or []))
    fresh = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    sources = [fresh[i] for i in ids if i in fresh]
    if into is not None:
        into = Unit.objects.get(pk=into.pk)
    if new_parent is not None:
        new_parent = Unit.objects.get(pk=new_parent.pk)
    closing = [u for u in sources if into is None or u.pk != into.pk]

    if len(closing) + (1 if into is not None else 0) < 2:
        errors["sources"] = _("A merge needs at least two units.")
    for u in sources:
        if not u.is_open:
            errors["sources"] = _("%(unit)s is already closed (%(date)s).") % {
                "unit": u,
                "date": _fmt(u.valid_to),
            }
            break
    for a in closing:
        for b in closing:
            if a.pk != b.pk and b.path.startswith(a.path):
                errors["sources"] = _(
                    "%(inner)s lies inside %(outer)s: merge units side by side."
                ) % {"inner": b, "outer": a}
    if into is not None:
        if not into.is_open:
            errors["into"] = _("%(unit)s is already closed.") % {"unit": into}
        for u in closing:
            if into.path.startswith(u.path):
                errors["into"] = _(
                    "%(unit)s lies inside %(source)s: "
                    "a unit cannot be merged into its own descendant."
                ) % {"unit": into, "source": u}
                break
        successor_kind = into.kind
        if effective_date and effective_date < into.valid_from:
            errors["effective_date"] = _("%(unit)s did not exist yet on that date.") % {
                "unit": into
            }
    else:
        kinds = {u.kind for u in closing}
        new_kind = new_kind or (kinds.pop() if len(kinds) == 1 else "")
        if new_parent is None:
            parents = {u.parent_id for u in closing}
            if len(parents) == 1 and closing and closing[0].parent_id:
                new_parent = closing[0].parent
            else:
                errors["new_parent"] = _("Choose where the new unit sits in the tree.")
        if new_parent is not None:
            for u in closing:
                if new_parent.path.startswith(u.path):
                    errors["new_parent"] = _(
                        "%(unit)s lies inside %(source)s, which closes: "
                        "a unit cannot be merged into its own descendant."
                    ) % {"unit": new_parent, "source": u}
                    break
        new_errors = new_unit_errors(
            code=(new_code or "").strip(),
            name=(new_name or "").strip(),
            kind=new_kind,
            parent=new_parent,
            valid_from=effective_date,
            cell_subtype=new_cell_subtype,
            prefix="new_",
        )
        if "new_valid_from" in new_errors:
            new_errors["effective_date"] = new_errors.pop("new_valid_from")
        for k, v in new_errors.items():
            errors.setdefault(k, v)
        successor_kind = new_kind

    _effective_after_errors(closing, effective_date, errors)
    if errors:
        raise ValidationError(errors)

    target: object = into if into is not None else "new"
    children = [c for s in closing for c in _open_children(s)]
    bad_children = [
        c for c in children if c.kind not in ALLOWED_CHILDREN.get(successor_kind, set())
    ]
    if bad_children:
        errors["sources"] = _("%(child)s (%(kind)s) cannot be placed under a %(successor)s.") % {
            "child": bad_children[0],
            "kind": bad_children[0].get_kind_display(),
            "successor": _kind_label(successor_kind),
        }
    members = list(_members_directly_in(closing).values_list("pk", flat=True))
    if members and successor_kind not in CELL_KINDS:
        errors["sources"] = _(
            "The units hold members directly, so they can only merge into a cell."
        )
    candidates = list(_candidates_directly_in(closing).values_list("pk", flat=True))
    if candidates and successor_kind not in CELL_KINDS:
        errors.setdefault(
            "sources",
            _("The units hold candidates for admission, so they can only merge into a cell."),
        )
    _member_period_errors(members, effective_date, errors)
    _closing_period_errors(closing, effective_date, errors)
    if errors:
        raise ValidationError(errors)

    plan.closes = closing
    plan.successor = into
    if into is None:
        plan.creates.append(
            {
                "key": "new",
                "code": new_code.strip(),
                "name": new_name.strip(),
                "kind": new_kind,
                "parent": new_parent,
                "valid_from": effective_date,
                "cell_subtype": new_cell_subtype,
            }
        )
    plan.moves = [(c, target) for c in children]
    plan.member_targets = {pk: target for pk in members}
    plan.candidate_targets = {pk: target for pk in candidates}
    plan.subtree_units_moved, plan.members_in_moved_subtrees = _subtree_counts(children)
    _transit_warnings(closing, plan.warnings)
    return plan


@dataclass
class _SplitPeople:
    """The members, or the candidates in the admission pipeline, directly in a unit that is split:
    each goes to exactly one part, and only to a part that is a cell."""

    field: str  # the key of a part that lists them
    key: str  # how the messages name one of them
    pool: dict[int, str]  # pk → full name
    not_here: str
    twice: str
    cells_only: str
    left_out: object  # ngettext_lazy with "n"
    seen: dict[int, int] = field(default_factory=dict)

    def give(
        self, people: list, *, part: int, kind: str, source: Unit, errors: dict[str, str]
    ) -> None:
        where = f"parts.{part}.{self.field}"
        for person in people:
            if person.pk not in self.pool:
                errors[where] = self.not_here % {self.key: person.full_name, "source": source}
            elif person.pk in self.seen:
                errors[where] = self.twice % {self.key: person.full_name}
            self.seen[person.pk] = part
        if people and kind not in CELL_KINDS:
            errors[where] = str(self.cells_only)

    def left_out_error(self, *, source: Unit, errors: dict[str, str]) -> None:
        missing = [name for pk, name in self.pool.items() if pk not in self.seen]
        if missing:
            errors[self.field] = self.left_out % {
                "n": len(missing),
                "source": source,
                "names": ", ".join(missing[:5]),
            }


def _plan_split(
    *,
    source: Unit,
    parts: list[dict],
    effective_date: dt.date | None,
    decision_number: str,
    decision_date: dt.date | None,
    issuer: str,
    note: str = "",
) -> Plan:
    decision = Decision(effective_date, decision_number, decision_date, issuer, note)
    plan = Plan(kind=ReorganizationKind.SPLIT, decision=decision)
    errors: dict[str, str] = {}
    _decision_errors(decision, errors, plan.warnings)
    source = Unit.objects.get(pk=source.pk)
    if not source.is_open:
        errors["source"] = _("%(unit)s is already closed (%(date)s).") % {
            "unit": source,
            "date": _fmt(source.valid_to),
        }
    parts = list(parts or [])
    if len(parts) < 2:
        errors["parts"] = _("A split needs at least two parts.")
    children = _open_children(source)
    child_ids = {c.pk for c in children}
    members = dict(_members_directly_in([source]).values_list("pk", "full_name"))
    people = [
        _SplitPeople(
            "members",
            "member",
            members,
            gettext_lazy("%(member)s is not an active member of %(source)s."),
            gettext_lazy("%(member)s is given to two parts."),
            gettext_lazy("Members can only be given to a part that is a cell."),
            ngettext_lazy(
                "%(n)d member of %(source)s is not given to any part: %(names)s.",
                "%(n)d members of %(source)s are not given to any part: %(names)s.",
                "n",
            ),
        ),
        _SplitPeople(
            "candidates",
            "candidate",
            dict(_candidates_directly_in([source]).values_list("pk", "full_name")),
            gettext_lazy(
                "%(candidate)s is not a candidate in the admission pipeline of %(source)s."
            ),
            gettext_lazy("%(candidate)s is given to two parts."),
            gettext_lazy("Candidates can only be given to a part that is a cell."),
            ngettext_lazy(
                "%(n)d candidate of %(source)s is not given to any part: %(names)s.",
                "%(n)d candidates of %(source)s are not given to any part: %(names)s.",
                "n",
            ),
        ),
    ]
    seen_cells: dict[int, int] = {}
    codes: set[str] = set()
    for i, part in enumerate(parts, start=1):
        prefix = f"parts.{i}."
        kind = part.get("kind") or source.kind
        parent = part.get("parent") or source.parent
        if parent is not None:
            parent = Unit.objects.get(pk=parent.pk)
            if parent.path.startswith(source.path):
                errors[f"{prefix}parent"] = _("A part cannot sit inside the unit that is split.")
        code = (part.get("code") or "").strip()
        part_errors = new_unit_errors(
            code=code,
            name=(part.get("name") or "").strip(),
            kind=kind,
            parent=parent,
            valid_from=effective_date,
            cell_subtype=part.get("cell_subtype", ""),
            prefix=prefix,
            taken_codes=codes,
        )
        codes.add(code)
        part_errors.pop(f"{prefix}valid_from", None)
        for k, v in part_errors.items():
            errors.setdefault(k, v)
        cells = list(part.get("cells") or [])
        for cell in cells:
            if cell.pk not in child_ids:
                errors[f"{prefix}cells"] = _(
                    "%(unit)s is not an open unit directly under %(source)s."
                ) % {"unit": cell, "source": source}
            elif cell.pk in seen_cells:
                errors[f"{prefix}cells"] = _("%(unit)s is given to two parts.") % {"unit": cell}
            seen_cells[cell.pk] = i
            if kind in UnitKind.values and cell.kind not in ALLOWED_CHILDREN.get(kind, set()):
                errors[f"{prefix}cells"] = _("%(child)s cannot be placed under a %(kind)s.") % {
                    "child": cell,
                    "kind": _kind_label(kind),
                }
        for group in people:
            group.give(
                list(part.get(group.field) or []), part=i, kind=kind, source=source, errors=errors
            )
    missing_cells = [c for c in children if c.pk not in seen_cells]
    if missing_cells:
        names = ", ".join(str(c) for c in missing_cells[:5])
        errors["cells"] = ngettext(
            "%(n)d unit under %(source)s is not given to any part: %(names)s.",
            "%(n)d units under %(source)s are not given to any part: %(names)s.",
            len(missing_cells),
        ) % {"n": len(missing_cells), "source": source, "names": names}
    for group in people:
        group.left_out_error(source=source, errors=errors)
    _effective_after_errors([source], effective_date, errors)
    _member_period_errors(list(members), effective_date, errors)
    _closing_period_errors([source], effective_date, errors)
    if errors:
        raise ValidationError(errors)

    # A part's share of the source (for its typed figures of the past): the members it takes,
    # held directly or in the sub-units given to it, out of all the source's subtree holds.
    in_child = _members_in_subtrees_of(source, children)
    total = len(members) + sum(in_child.values())
    plan.closes = [source]
    plan.unit = source
    for i, part in enumerate(parts, start=1):
        key = f"part{i}"
        n = len(part.get("members") or []) + sum(
            in_child.get(c.pk, 0) for c in part.get("cells") or []
        )
        share = (
            (Decimal(n) / Decimal(total)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
            if total
            else None
        )
        plan.creates.append(
            {
                "key": key,
                "code": part["code"].strip(),
                "name": part["name"].strip(),
                "kind": part.get("kind") or source.kind,
                "parent": part.get("parent") or source.parent,
                "valid_from": effective_date,
                "cell_subtype": part.get("cell_subtype", ""),
                "share": share,
            }
        )
        for cell in part.get("cells") or []:
            plan.moves.append((next(c for c in children if c.pk == cell.pk), key))
        for member in part.get("members") or []:
            plan.member_targets[member.pk] = key
        for candidate in part.get("candidates") or []:
            plan.candidate_targets[candidate.pk] = key
    plan.subtree_units_moved, plan.members_in_moved_subtrees = _subtree_counts(children)
    _transit_warnings([source], plan.warnings)
    return plan


def _plan_rename(
    *,
    unit: Unit,
    new_name: str = "",
    effective_date: dt.date | None,
    decision_number: str,
    decision_date: dt.date | None,
    issuer: str,
    note: str = "",
    new_code: str = "",
) -> Plan:
    decision = Decision(effective_date, decision_number, decision_date, issuer, note)
    plan = Plan(kind=ReorganizationKind.RENAME, decision=decision)
    errors: dict[str, str] = {}
    _decision_errors(decision, errors, plan.warnings)
    unit = Unit.objects.get(pk=unit.pk)
    new_name = (new_name or "").strip()
    new_code = (new_code or "").strip()
    code_changes = bool(new_code) and new_code != unit.code
    if not unit.is_open:
        errors["unit"] = _("%(unit)s is closed.") % {"unit": unit}
    if code_changes and Unit.objects.filter(code=new_code).exists():
        errors["new_code"] = _("A unit with this code already exists.")
    # A rename under a decision may change the code alone; then the name stays.
    if not new_name and not code_changes:
        errors["new_name"] = _("Enter the new name.")
    elif new_name == unit.name and not code_changes:
        errors["new_name"] = _("The new name is the same as the current one.")
    _effective_after_errors([unit], effective_date, errors)
    if errors:
        raise ValidationError(errors)
    plan.unit = unit
    plan.details = {"old_name": unit.name, "new_name": new_name or unit.name}
    if code_changes:
        plan.details.update(old_code=unit.code, new_code=new_code)
    return plan


def _plan_move(
    *,
    unit: Unit,
    new_parent: Unit | None,
    effective_date: dt.date | None,
    decision_number: str,
    decision_date: dt.date | None,
    issuer: str,
    note: str = "",
) -> Plan:
    decision = Decision(effective_date, decision_number, decision_date, issuer, note)
    plan = Plan(kind=ReorganizationKind.MOVE, decision=decision)
    errors: dict[str, str] = {}
    _decision_errors(decision, errors, plan.warnings)
    unit = Unit.objects.get(pk=unit.pk)
    if not unit.is_open:
        errors["unit"] = _("%(unit)s is closed.") % {"unit": unit}
    if new_parent is None:
        errors["new_parent"] = _("Choose the new parent unit.")
    else:
        new_parent = Unit.objects.get(pk=new_parent.pk)
        if new_parent.path.startswith(unit.path):
            errors["new_parent"] = _(
                "%(parent)s lies inside %(unit)s: the move would make a cycle."
            ) % {"parent": new_parent, "unit": unit}
        elif not new_parent.is_open:
            errors["new_parent"] = _("%(parent)s is closed.") % {"parent": new_parent}
        elif new_parent.pk == unit.parent_id:
            errors["new_parent"] = _("%(unit)s is already under %(parent)s.") % {
                "unit": unit,
                "parent": new_parent,
            }
        elif unit.kind not in ALLOWED_CHILDREN.get(new_parent.kind, set()):
            errors["new_parent"] = _("A %(kind)s cannot be placed under a %(parent)s.") % {
                "kind": unit.get_kind_display(),
                "parent": new_parent.get_kind_display(),
            }
        elif effective_date and effective_date < new_parent.valid_from:
            errors["effective_date"] = _("%(parent)s did not exist yet on that date.") % {
                "parent": new_parent
            }
    _effective_after_errors([unit], effective_date, errors)
    if errors:
        raise ValidationError(errors)
    plan.unit = unit
    plan.moves = [(unit, new_parent)]
    plan.subtree_units_moved, plan.members_in_moved_subtrees = _subtree_counts([unit])
    plan.details = {
        "old_parent_id": unit.parent_id,
        "old_parent_name": unit.parent.name if unit.parent_id else "",
        "new_parent_id": new_parent.pk,
        "new_parent_name": new_parent.name,
    }
    return plan


def _plan_dissolve(
    *,
    unit: Unit,
    effective_date: dt.date | None,
    decision_number: str,
    decision_date: dt.date | None,
    issuer: str,
    note: str = "",
) -> Plan:
    decision = Decision(effective_date, decision_number, decision_date, issuer, note)
    plan = Plan(kind=ReorganizationKind.DISSOLVE, decision=decision)
    errors: dict[str, str] = {}
    _decision_errors(decision, errors, plan.warnings)
    unit = Unit.objects.get(pk=unit.pk)
    if not unit.is_open:
        errors["unit"] = _("%(unit)s is already closed (%(date)s).") % {
            "unit": unit,
            "date": _fmt(unit.valid_to),
        }
    members = Member.objects.filter(
        Q(unit__path__startswith=unit.path) | Q(transit_to__path__startswith=unit.path),
        status__in=_active_statuses(),
    ).count()
    if members:
        errors["unit"] = ngettext(
            "%(unit)s still has %(n)d member: move or transfer them first.",
            "%(unit)s still has %(n)d members: move or transfer them first.",
            members,
        ) % {"unit": unit, "n": members}
    candidates = _candidates_in_subtree(unit)
    if candidates:
        errors.setdefault(
            "unit",
            ngettext(
                "%(unit)s still has %(n)d candidate in the admission pipeline: "
                "admit or drop them first.",
                "%(unit)s still has %(n)d candidates in the admission pipeline: "
                "admit or drop them first.",
                candidates,
            )
            % {"unit": unit, "n": candidates},
        )
    children = Unit.objects.filter(parent=unit, valid_to__isnull=True).count()
    if children:
        errors.setdefault(
            "unit",
            ngettext(
                "%(unit)s still has %(n)d open unit under it: merge, move or dissolve it first.",
                "%(unit)s still has %(n)d open units under it: merge, move or dissolve them first.",
                children,
            )
            % {"unit": unit, "n": children},
        )
    _effective_after_errors([unit], effective_date, errors)
    _closing_period_errors([unit], effective_date, errors)
    if errors:
        raise ValidationError(errors)
    plan.unit = unit
    plan.closes = [unit]
    return plan


_PLANNERS = {
    ReorganizationKind.MERGE: _plan_merge,
    ReorganizationKind.SPLIT: _plan_split,
    ReorganizationKind.RENAME: _plan_rename,
    ReorganizationKind.MOVE: _plan_move,
    ReorganizationKind.DISSOLVE: _plan_dissolve,
}


ACTED_ON = ("sources", "into", "unit", "source")


def _acted_on_refusal(arguments: dict, actor) -> None:
    """The actor must manage every unit the reorganization acts on (the units merged and the one
    a merge continues in, the unit split, renamed, moved or dissolved): refused as a lack of
    rights (403 on the page and in the API), before anything is planned. Without an actor (the
    demo builder, management commands) the system itself acts."""
    if actor is None:
        return
    access = Access.of(actor)
    if access.is_everywhere:
        return
    ids = set()
    for name in ACTED_ON:
        value = arguments.get(name)
        for unit in value if isinstance(value, list | tuple) else [value]:
            if unit is not None:
                ids.add(unit.pk)
    paths = Unit.objects.filter(pk__in=ids).values_list("path", flat=True) if ids else []
    if not all(access.may(Action.MANAGE, path) for path in paths):
        raise PermissionDenied(
            _("Only the managers of the units a reorganization acts on may record it.")
        )


def _parent_rights_errors(plan: Plan, actor) -> dict[str, str]:
    """Where a reorganization places units, the actor needs the role a direct creation there
    needs (unit_create's check on the page and in the API): manager of the parent of every unit
    it creates and of the new parent of a unit it moves; a unit at the top of the tree only by
    the system administrator. (The unit a merge continues in is a unit acted on, checked before
    planning.) Without an actor (the demo builder, management commands) the system itself acts.

    The message does not name the parent: it may lie above the caller's roles."""
    if actor is None:
        return {}
    access = Access.of(actor)

    def manages(unit: Unit | None) -> bool:
        return access.may(Action.MANAGE, unit)

    errors: dict[str, str] = {}
    refused = _("You may not place units under this parent: only its managers may.")
    for spec in plan.creates:
        if not manages(spec["parent"]):
            key = spec["key"]
            errors["new_parent" if key == "new" else f"parts.{key.removeprefix('part')}.parent"] = (
                refused
            )
    if plan.kind == ReorganizationKind.MOVE:
        for _unit, new_parent in plan.moves:
            if not manages(new_parent):
                errors["new_parent"] = refused
    return errors


def _plan_for(kind: str, actor, arguments: dict) -> Plan:
    """The plan of the reorganization of `kind`, refused (PermissionDenied) where the actor does
    not manage the units it acts on and (ValidationError) where the actor may not place units."""
    planner = _PLANNERS.get(kind)
    if planner is None:
        raise ValidationError({"kind": _("Unknown kind of reorganization.")})
    _acted_on_refusal(arguments, actor)
    plan = planner(**arguments)
    errors = _parent_rights_errors(plan, actor)
    if errors:
        raise ValidationError(errors)
    return plan


def _preview_of(plan: Plan) -> ReorganizationPreview:
    units_closed = len(plan.closes)
    units_created = len(plan.creates)
    members_moved = len(plan.member_targets)
    candidates_moved = len(plan.candidate_targets)
    cells_moved = len(plan.moves)
    sentences: list[str] = []
    if plan.kind == ReorganizationKind.RENAME:
        if plan.details["new_name"] != plan.details["old_name"]:
            sentences.append(
                _("Renames “%(old)s” to “%(new)s” from %(date)s.")
                % {
                    "old": plan.details["old_name"],
                    "new": plan.details["new_name"],
                    "date": _fmt(plan.decision.effective_date),
                }
            )
        if "new_code" in plan.details:
            sentences.append(
                _("Changes the code %(old)s to %(new)s from %(date)s.")
                % {
                    "old": plan.details["old_code"],
                    "new": plan.details["new_code"],
                    "date": _fmt(plan.decision.effective_date),
                }
            )
    elif plan.kind == ReorganizationKind.MOVE:
        unit = plan.unit
        sentences.append(
            _("Moves %(unit)s from %(old)s to %(new)s from %(date)s.")
            % {
                "unit": unit,
                "old": plan.details["old_parent_name"] or "—",
                "new": plan.details["new_parent_name"],
                "date": _fmt(plan.decision.effective_date),
            }
        )
        sentences.append(
            ngettext(
                "%(n)d unit moves with it (itself included), holding %(m)d members.",
                "%(n)d units move with it (itself included), holding %(m)d members.",
                plan.subtree_units_moved,
            )
            % {"n": plan.subtree_units_moved, "m": plan.members_in_moved_subtrees}
        )
        cells_moved = 0
    else:
        parts = [
            ngettext("Closes %(n)d unit", "Closes %(n)d units", units_closed) % {"n": units_closed},
        ]
        if units_created:
            parts.append(
                ngettext("creates %(n)d unit", "creates %(n)d units", units_created)
                % {"n": units_created}
            )
        parts.append(
            ngettext("moves %(n)d member", "moves %(n)d members", members_moved)
            % {"n": members_moved}
        )
        parts.append(ngettext("%(n)d cell", "%(n)d cells", cells_moved) % {"n": cells_moved})
        sentences.append(
            _("%(actions)s and %(last)s.") % {"actions": ", ".join(parts[:-1]), "last": parts[-1]}
        )
        if plan.closes:
            sentences.append(
                _("Closed on %(date)s: %(units)s.")
                % {
                    "date": _fmt(plan.decision.effective_date),
                    "units": ", ".join(str(u) for u in plan.closes),
                }
            )
        for spec in plan.creates:
            sentences.append(
                _("New unit: %(name)s (%(code)s) under %(parent)s.")
                % {"name": spec["name"], "code": spec["code"], "parent": spec["parent"] or "—"}
            )
        if plan.successor is not None:
            sentences.append(
                _("%(unit)s continues and receives the rest.") % {"unit": plan.successor}
            )
        if candidates_moved:
            sentences.append(
                ngettext(
                    "%(n)d candidate in the admission pipeline moves with the members.",
                    "%(n)d candidates in the admission pipeline move with the members.",
                    candidates_moved,
                )
                % {"n": candidates_moved}
            )
        if plan.subtree_units_moved > cells_moved:
            sentences.append(
                _("With the moved units come %(n)d units below them and %(m)d members in them.")
                % {"n": plan.subtree_units_moved - cells_moved, "m": plan.members_in_moved_subtrees}
            )
    return ReorganizationPreview(
        kind=str(plan.kind),
        units_closed=units_closed,
        units_created=units_created,
        members_moved=members_moved,
        cells_moved=cells_moved,
        sentences=sentences,
        warnings=list(plan.warnings),
        candidates_moved=candidates_moved,
    )


def reorganization_preview(*, kind: str, actor=None, **arguments) -> ReorganizationPreview:
    """What the reorganization of `kind` with these arguments (those of the matching service)
    would do. Runs the same validation as the service — raising the same ValidationError (or
    PermissionDenied), the actor's rights included — and writes nothing."""
    return _preview_of(_plan_for(kind, actor, arguments))


# --- applying ------------------------------------------------------------------------------


def _close_unit(unit: Unit, day: dt.date) -> None:
    unit.valid_to = day
    unit.save()
    UnitPlacement.objects.filter(unit=unit, valid_to__isnull=True).update(valid_to=day)


def _move_subtree(unit: Unit, new_parent: Unit, day: dt.date) -> int:
    """Put `unit` and its whole subtree under `new_parent` from `day`.

    Paths and depths change in one UPDATE each, whatever the size of the subtree; every open
    unit moved gets its placement closed on `day` and a new one opened, so that the tree of an
    earlier date still shows the units where they were. Returns the number of open units moved.
    """
    unit = Unit.objects.get(pk=unit.pk)
    before = audit.snapshot(unit)
    old_path = unit.path
    new_path = f"{new_parent.path}{unit.pk}/"
    delta = (new_parent.depth + 1) - unit.depth
    UnitPlacement.objects.filter(unit__path__startswith=old_path, valid_to__isnull=True).update(
        valid_to=day
    )
    Unit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1), output_field=CharField()),
        depth=F("depth") + delta,
    )
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
    moved = list(
        Unit.objects.filter(path__startswith=new_path, valid_to__isnull=True).values(
            "pk", "parent_id", "path", "depth", "name", "kind"
        )
    )
    UnitPlacement.objects.bulk_create(
        [
            UnitPlacement(
                unit_id=row["pk"],
                parent_id=row["parent_id"],
                path=row["path"],
                depth=row["depth"],
                name=row["name"],
                valid_from=day,
                unit_kind=row["kind"],
            )
            for row in moved
        ],
        batch_size=1000,
    )
    unit.refresh_from_db()
    audit.record(
        unit,
        "update",
        before=before,
        after=audit.snapshot(unit),
        note=_("Moved with %(n)d units under it.") % {"n": len(moved) - 1},
    )
    audit.mark_saved(unit)
    return len(moved)


def _apply(plan: Plan, *, actor) -> Reorganization:
    day = plan.decision.effective_date
    with acting_as(actor):
        created: dict[str, Unit] = {}
        shares: dict[str, Decimal | None] = {}
        for spec in plan.creates:
            spec = dict(spec)
            key = spec.pop("key")
            shares[key] = spec.pop("share", None)
            created[key] = unit_create(actor=actor, **spec)

        def resolve(target) -> Unit:
            if isinstance(target, Unit):
                return target
            return created[target] if target != "new" or plan.successor is None else plan.successor

        successor = plan.successor or created.get("new")
        details = dict(plan.details)
        details.update(
            {
                "units_closed": [u.pk for u in plan.closes],
                "units_created": [u.pk for u in created.values()],
                "units_moved": [c.pk for c, _t in plan.moves],
                "units_in_moved_subtrees": plan.subtree_units_moved,
                "members_moved": len(plan.member_targets),
                "candidates_moved": len(plan.candidate_targets),
            }
        )
        if successor is not None:
            details["successor_id"] = successor.pk
        reorg = Reorganization.objects.create(
            kind=plan.kind,
            effective_date=day,
            decision_number=plan.decision.decision_number.strip(),
            decision_date=plan.decision.decision_date,
            issuer=plan.decision.issuer.strip(),
            note=plan.decision.note or "",
            # The unit a merge resulted in, or the unit split, renamed, moved or dissolved:
            # it places the record (and its audit entry) in the tree.
            unit=successor if plan.kind == ReorganizationKind.MERGE else plan.unit,
            details=details,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        for child, target in plan.moves:
            _move_subtree(child, resolve(target), day)
        if plan.member_targets:
            members = Member.objects.filter(pk__in=list(plan.member_targets)).select_related("unit")
            for member in members:
                member_reassign(
                    actor=actor,
                    member=member,
                    unit=resolve(plan.member_targets[member.pk]),
                    date=day,
                    reorganization=reorg,
                )
        if plan.candidate_targets:
            candidates = Candidate.objects.filter(
                pk__in=list(plan.candidate_targets)
            ).select_related("unit")
            for candidate in candidates:
                candidate_reassign(
                    actor=actor,
                    candidate=candidate,
                    unit=resolve(plan.candidate_targets[candidate.pk]),
                    date=day,
                )
        for unit in plan.closes:
            unit = Unit.objects.get(pk=unit.pk)
            _close_unit(unit, day)
            if plan.kind == ReorganizationKind.MERGE:
                Lineage.objects.create(reorganization=reorg, predecessor=unit, successor=successor)
            elif plan.kind == ReorganizationKind.SPLIT:
                for key, part in created.items():
                    Lineage.objects.create(
                        reorganization=reorg, predecessor=unit, successor=part, share=shares[key]
                    )
        if plan.kind == ReorganizationKind.RENAME:
            unit = Unit.objects.get(pk=plan.unit.pk)
            unit.name = plan.details["new_name"]
            unit.code = plan.details.get("new_code", unit.code)
            unit.save()
            UnitPlacement.objects.filter(unit=unit, valid_to__isnull=True).update(valid_to=day)
            UnitPlacement.objects.create(
                unit=unit,
                parent_id=unit.parent_id,
                path=unit.path,
                depth=unit.depth,
                name=unit.name,
                valid_from=day,
                unit_kind=unit.kind,
            )
    return reorg


def _commit(kind: str, *, actor, **arguments) -> Reorganization:
    with transaction.atomic():
        plan = _plan_for(kind, actor, arguments)
        # Subtrees moved under other top units: their roll-up counters are recomputed.
        before = rollup_tops_before(plan)
        with past_paused():
            reorganization = _apply(plan, actor=actor)
        rollup_after_reorganization(
            before, reorganization.details.get("units_created", []), reorganization.effective_date
        )
        return reorganization


def unit_merge(
    *,
    actor,
    sources: list[Unit],
    effective_date: dt.date,
    decision_number: str,
    decision_date: dt.date,
    issuer: str,
    into: Unit | None = None,
    new_code: str = "",
    new_name: str = "",
    new_parent: Unit | None = None,
    new_kind: str = "",
    new_cell_subtype: str = "",
    note: str = "",
) -> Reorganization:
    """Merge N units into one: a new unit (created from `effective_date`, under `new_parent`,
    by default the sources' common parent) or a surviving unit `into`, which stays open.

    The other sources are closed on `effective_date`, never deleted; a lineage row links each to
    the successor; their open sub-units move under the successor with their subtrees and their
    members' records move to it through recorded events.
    """
    return _commit(
        ReorganizationKind.MERGE,
        actor=actor,
        sources=sources,
        effective_date=effective_date,
        decision_number=decision_number,
        decision_date=decision_date,
        issuer=issuer,
        into=into,
        new_code=new_code,
        new_name=new_name,
        new_parent=new_parent,
        new_kind=new_kind,
        new_cell_subtype=new_cell_subtype,
        note=note,
    )


def unit_split(
    *,
    actor,
    source: Unit,
    parts: list[dict],
    effective_date: dt.date,
    decision_number: str,
    decision_date: dt.date,
    issuer: str,
    note: str = "",
) -> Reorganization:
    """Split a unit into new units. Each part: code, name, kind (default the source's), parent
    (default the source's), cell_subtype, cells (open units directly under the source) and
    members (active members directly in it). Every open sub-unit and every active member must
    go to exactly one part. The source closes; lineage rows carry each part's share of its
    members."""
    return _commit(
        ReorganizationKind.SPLIT,
        actor=actor,
        source=source,
        parts=parts,
        effective_date=effective_date,
        decision_number=decision_number,
        decision_date=decision_date,
        issuer=issuer,
        note=note,
    )


def unit_rename(
    *,
    actor,
    unit: Unit,
    new_name: str,
    effective_date: dt.date,
    decision_number: str,
    decision_date: dt.date,
    issuer: str,
    note: str = "",
    new_code: str = "",
) -> Reorganization:
    """Rename a unit from `effective_date` (a new name, a new code, or both); the tree of an
    earlier date keeps the old name, the record keeps the old name and code."""
    return _commit(
        ReorganizationKind.RENAME,
        actor=actor,
        unit=unit,
        new_name=new_name,
        new_code=new_code,
        effective_date=effective_date,
        decision_number=decision_number,
        decision_date=decision_date,
        issuer=issuer,
        note=note,
    )


def unit_move(
    *,
    actor,
    unit: Unit,
    new_parent: Unit,
    effective_date: dt.date,
    decision_number: str,
    decision_date: dt.date,
    issuer: str,
    note: str = "",
) -> Reorganization:
    """Move a unit with its whole subtree under another parent from `effective_date`.
    Refused: a cycle, a closed parent, a kind the parent may not hold."""
    return _commit(
        ReorganizationKind.MOVE,
        actor=actor,
        unit=unit,
        new_parent=new_parent,
        effective_date=effective_date,
        decision_number=decision_number,
        decision_date=decision_date,
        issuer=issuer,
        note=note,
    )


def unit_dissolve(
    *,
    actor,
    unit: Unit,
    effective_date: dt.date,
    decision_number: str,
    decision_date: dt.date,
    issuer: str,
    note: str = "",
) -> Reorganization:
    """Close a unit that no longer holds members or open sub-units."""
    return _commit(
        ReorganizationKind.DISSOLVE,
        actor=actor,
        unit=unit,
        effective_date=effective_date,
        decision_number=decision_number,
        decision_date=decision_date,
        issuer=issuer,
        note=note,
    )


REORGANIZATION_SERVICES = {
    ReorganizationKind.MERGE: unit_merge,
    ReorganizationKind.SPLIT: unit_split,
    ReorganizationKind.RENAME: unit_rename,
    ReorganizationKind.MOVE: unit_move,
    ReorganizationKind.DISSOLVE: unit_dissolve,
}
