"""Step 10: the unit tree — root, provinces, blocs, communes and wards (a share formed by the
merges of 1 July 2025, with their closed predecessors, the reorganization, lineage rows and the
cells' placements before and after), agency and enterprise organizations, and their cells."""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field

from grassroots.core.text import fold
from grassroots.organizations.choices import CellSubtype, ReorganizationKind, UnitKind
from grassroots.organizations.models import Lineage, Reorganization, Unit, UnitPlacement

from .. import data
from ..registry import Context, generator_step

ROOT_CODE = "VN"

# National sizes at scale 1.0 (DESIGN.md, "Scale the design must hold").
NATIONAL_MEMBERS = 5_900_000
NATIONAL_COMMUNES = 3_321
NATIONAL_OTHER_GRASSROOTS = 48_700
MEMBERS_PER_CELL = 22
MERGED_SHARE = 0.6


@dataclass(slots=True)
class CellInfo:
    """A unit that holds members (a cell or a grassroots cell), as the member step needs it."""

    id: int
    subtype: str
    valid_from: int  # ordinal
    province: int  # index in Tree.provinces
    region: str
    members: int  # active members to generate
    path_now: tuple[int, ...]
    path_before: tuple[int, ...]  # before the reform (differs for cells of merged communes)
    issuer: str
    siblings_key: int  # id of the grassroots organization today (transfers prefer siblings)


@dataclass(slots=True)
class CommuneInfo:
    """A commune or ward of any time (open, a merge's successor, or a predecessor it closed),
    for the steps that give communes their own data (targets and figures)."""

    id: int
    code: str
    name: str
    province: int  # index in Tree.provinces
    ward: bool
    valid_from: dt.date
    valid_to: dt.date | None = None
    successor: int | None = None  # the commune a predecessor was merged into
    merge_decision: str = ""  # number of the merge decision (successors and predecessors)


@dataclass
class Tree:
    root_id: int = 0
    provinces: list[dict] = field(default_factory=list)  # id, name, region, path
    cells: list[CellInfo] = field(default_factory=list)
    cells_by_province: list[list[int]] = field(default_factory=list)  # indices into cells
    grassroots_ids: list[int] = field(default_factory=list)  # open grassroots organizations
    closed_grassroots_ids: list[int] = field(default_factory=list)
    merged_successor_ids: list[int] = field(default_factory=list)
    communes: list[CommuneInfo] = field(default_factory=list)  # communes and wards of any time


def split(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """`total` split in proportion to `weights` (largest remainder), each at least `minimum`."""
    if not weights:
        return []
    s = sum(weights) or 1.0
    raw = [total * w / s for w in weights]
    parts = [max(minimum, int(x)) for x in raw]
    remainder = total - sum(parts)
    order = sorted(range(len(raw)), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    i = 0
    while remainder > 0 and order:
        parts[order[i % len(order)]] += 1
        remainder -= 1
        i += 1
    return parts


def country_sizes(scale: float) -> dict[str, int]:
    provinces = max(2, min(len(data.PROVINCES), round(len(data.PROVINCES) * math.sqrt(scale))))
    return {
        "provinces": provinces,
        "communes": max(provinces, round(NATIONAL_COMMUNES * scale)),
        "other_grassroots": max(provinces, round(NATIONAL_OTHER_GRASSROOTS * scale)),
        "members": max(30 * provinces, round(NATIONAL_MEMBERS * scale)),
    }


class _TreeBuilder:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.w = ctx.writer
        self.now = ctx.now
        self.tree = Tree()
        self.w.declare(
            Unit,
            [
                "id",
                "code",
                "name",
                "name_folded",
                "kind",
                "cell_subtype",
                "parent_id",
                "path",
                "depth",
                "valid_from",
                "valid_to",
                "address",
                "created_at",
                "updated_at",
            ],
        )
        self.w.declare(
            UnitPlacement,
            [
                "id",
                "unit_id",
                "parent_id",
                "path",
                "depth",
                "name",
                "valid_from",
                "valid_to",
                "unit_kind",
            ],
        )
        self.w.declare(
            Reorganization,
            [
                "id",
                "kind",
                "effective_date",
                "decision_number",
                "decision_date",
                "issuer",
                "note",
                "unit_id",
                "details",
                "created_by_id",
                "created_at",
            ],
        )
        self.w.declare(
            Lineage, ["id", "reorganization_id", "predecessor_id", "successor_id", "share"]
        )
        self.units = 0

    # --- rows ---------------------------------------------------------------------------

    def unit(
        self,
        *,
        code: str,
        name: str,
        kind: str,
        parent: tuple[int, tuple[int, ...]] | None,
        valid_from: dt.date,
        valid_to: dt.date | None = None,
        subtype: str = "",
        address: str = "",
        placements: list[tuple[tuple[int, ...], int | None, dt.date, dt.date | None]] | None = None,
        uid: int | None = None,
    ) -> tuple[int, tuple[int, ...]]:
        """Write a unit and its placements; returns (id, path ids). `placements` overrides the
        single placement under `parent` (for units that moved on the reform date)."""
        uid = uid or self.w.next_id(Unit)
        ids = (*(parent[1] if parent else ()), uid)
        path = "/" + "/".join(map(str, ids)) + "/"
        self.w.add(
            Unit,
            (
                uid,
                code,
                name,
                fold(name),
                kind,
                subtype,
                parent[0] if parent else None,
                path,
                len(ids) - 1,
                valid_from,
                valid_to,
                address,
                self.now,
                self.now,
            ),
        )
        if placements is None:
            placements = [(ids, parent[0] if parent else None, valid_from, valid_to)]
        for p_ids, p_parent, p_from, p_to in placements:
            self.w.add(
                UnitPlacement,
                (
                    self.w.next_id(UnitPlacement),
                    uid,
                    p_parent,
                    "/" + "/".join(map(str, p_ids)) + "/",
                    len(p_ids) - 1,
                    name,
                    p_from,
                    p_to,
                    kind,
                ),
            )
        self.units += 1
        return uid, ids

    # --- names --------------------------------------------------------------------------

    @staticmethod
    def place(rng, region: str) -> str:
        if region == "north_mountain" and rng.random() < 0.5:
            return f"{rng.choice(data.MOUNTAIN_SYLLABLES)} {rng.choice(data.MOUNTAIN_SECOND)}"
        a, b = rng.sample(data.PLACE_SYLLABLES, 2)
        return f"{a} {b}"

    def cell_name(
        self, rng, subtype: str, region: str, ward: bool, n: int, owner_place: str, other: bool
    ) -> str:
        if other:
            return {
                CellSubtype.AGENCY: f"Chi bộ Phòng {n}",
                CellSubtype.ENTERPRISE: f"Chi bộ Phân xưởng {n}",
                CellSubtype.SCHOOL: f"Chi bộ Tổ bộ môn {n}",
                CellSubtype.HEALTH: f"Chi bộ Khoa {n}",
            }.get(subtype, f"Chi bộ số {n}")
        if subtype == CellSubtype.VILLAGE:
            if ward:
                return f"Chi bộ tổ dân phố số {n}"
            word = {
                "north_mountain": "bản",
                "mekong": "ấp",
                "southeast": "ấp",
                "highlands": "buôn",
            }.get(region, "thôn")
            if region == "highlands" and rng.random() < 0.6:
                word = "thôn"
            return f"Chi bộ {word} {self.place(rng, region)}"
        level = "phường" if ward else "xã"
        return {
            CellSubtype.SCHOOL: (
                "Chi bộ Trường "
                f"{rng.choice(['Mầm non', 'Tiểu học', 'Trung học cơ sở'])} {owner_place} {n}"
            ),
            CellSubtype.HEALTH: f"Chi bộ Trạm Y tế {level} {owner_place}",
            CellSubtype.POLICE: f"Chi bộ Công an {level} {owner_place}",
            CellSubtype.MILITARY: f"Chi bộ Quân sự {level} {owner_place}",
            CellSubtype.AGENCY: (
                "Chi bộ Cơ quan "
                f"{rng.choice(['Ủy ban nhân dân', 'Đảng ủy', 'Mặt trận Tổ quốc'])} {level} {n}"
            ),
            CellSubtype.RETIREES: f"Chi bộ Cán bộ hưu trí {n}",
            CellSubtype.ENTERPRISE: f"Chi bộ Hợp tác xã {self.place(rng, region)}",
        }.get(subtype, f"Chi bộ số {n}")

    # --- build --------------------------------------------------------------------------

    def build(self) -> Tree:
        ctx = self.ctx
        sizes = country_sizes(ctx.scale)
        ctx.counts.update({f"target_{k}": v for k, v in sizes.items()})
        provinces = data.PROVINCES[: sizes["provinces"]]
        weights = [w for _n, _r, w in provinces]
        members_p = split(sizes["members"], weights, 30)
        communes_p = split(sizes["communes"], weights, 1)
        others_p = split(sizes["other_grassroots"], weights, 1)
        root = self.unit(
            code=ROOT_CODE,
            name="Đảng Cộng sản Việt Nam",
            kind=UnitKind.CENTRAL,
            parent=None,
            valid_from=data.ROOT_START,
        )
        self.tree.root_id = root[0]
        self.tree.cells_by_province = [[] for _ in provinces]
        self.next_reorg = 0
        for pi, (pname, region, _w) in enumerate(provinces):
            rng = ctx.rng("tree", pi)
            code = f"{ROOT_CODE}-P{pi + 1:02d}"
            prov = self.unit(
                code=code,
                name=f"Đảng bộ {pname}",
                kind=UnitKind.PROVINCE,
                parent=root,
                valid_from=data.HISTORY_START,
                address=pname,
            )
            self.tree.provinces.append(
                {"id": prov[0], "name": pname, "region": region, "path": prov[1]}
            )
            short = pname.replace("Thành phố ", "thành phố ").replace("Tỉnh ", "tỉnh ")
            blocs = [
                self.unit(
                    code=f"{code}-K1",
                    name=f"Đảng bộ các cơ quan Đảng {short}",
                    kind=UnitKind.BLOC,
                    parent=prov,
                    valid_from=data.HISTORY_START,
                ),
                self.unit(
                    code=f"{code}-K2",
                    name=f"Đảng bộ Ủy ban nhân dân {short}",
                    kind=UnitKind.BLOC,
                    parent=prov,
                    valid_from=data.HISTORY_START,
                ),
            ]
            commune_members = int(members_p[pi] * 0.55)
            self.communes(pi, rng, code, prov, region, communes_p[pi], commune_members)
            self.others(
                pi, rng, code, prov, blocs, region, others_p[pi], members_p[pi] - commune_members
            )
            ctx.progress(f"  tree: {pname} — {self.units:,} units so far")
        self.w.flush_all()
        ctx.counts["units"] = self.units
        return self.tree

    def _cells(
        self,
        pi,
        rng,
        region,
        owner,
        owner_code,
        owner_place,
        ward,
        members,
        mix,
        other,
        issuer,
        moved_from=None,
    ):
        """Cells under a grassroots organization. `moved_from`: for a merge successor, the list
        of (predecessor id, predecessor path ids, valid_from) the cells came from."""
        n_cells = max(1, round(members / MEMBERS_PER_CELL))
        subtypes = [s for s, _w in mix]
        cum = [w for _s, w in mix]
        kinds = [rng.choices(subtypes, cum)[0] for _ in range(n_cells)]
        if not other:
            kinds[0] = CellSubtype.VILLAGE  # every commune has village or residential cells
        size_factor = {
            CellSubtype.RETIREES: 1.6,
            CellSubtype.HEALTH: 0.4,
            CellSubtype.MILITARY: 0.5,
            CellSubtype.SCHOOL: 0.6,
            CellSubtype.AGENCY: 0.7,
            CellSubtype.ENTERPRISE: 0.6,
        }
        sizes = split(
            members, [size_factor.get(k, 1.0) * rng.lognormvariate(0, 0.35) for k in kinds], 3
        )
        for i, (subtype, size) in enumerate(zip(kinds, sizes, strict=True), start=1):
            if subtype == CellSubtype.VILLAGE and ward:
                subtype = CellSubtype.RESIDENTIAL
            name = self.cell_name(rng, subtype, region, ward, i, owner_place, other)
            if moved_from:
                pred_id, pred_ids, pred_from = moved_from[(i - 1) % len(moved_from)]
                uid = self.w.next_id(Unit)
                placements = [
                    ((*pred_ids, uid), pred_id, pred_from, data.REFORM_DATE),
                    ((*owner[1], uid), owner[0], data.REFORM_DATE, None),
                ]
                cell = self.unit(
                    code=f"{owner_code}-{i:03d}",
                    name=name,
                    kind=UnitKind.CELL,
                    parent=owner,
                    valid_from=pred_from,
                    subtype=subtype,
                    placements=placements,
                    uid=uid,
                )
                before, valid_from = (*pred_ids, cell[0]), pred_from
            else:
                valid_from = self.owner_from
                cell = self.unit(
                    code=f"{owner_code}-{i:03d}",
                    name=name,
                    kind=UnitKind.CELL,
                    parent=owner,
                    valid_from=valid_from,
                    subtype=subtype,
                )
                before = cell[1]
            self.tree.cells_by_province[pi].append(len(self.tree.cells))
            self.tree.cells.append(
                CellInfo(
                    id=cell[0],
                    subtype=subtype,
                    valid_from=valid_from.toordinal(),
                    province=pi,
                    region=region,
                    members=size,
                    path_now=cell[1],
                    path_before=before,
                    issuer=issuer,
                    siblings_key=owner[0],
                )
            )
            self.moved_cells.append(cell[0])

    def communes(self, pi, rng, pcode, prov, region, n, members):
        urban = (
            region in {"delta_north", "southeast"} or "Thành phố" in self.tree.provinces[pi]["name"]
        )
        per = split(members, [rng.lognormvariate(0, 0.45) for _ in range(n)], 30)
        n_merged = max(1, round(n * MERGED_SHARE))
        for ci in range(n):
            ward = rng.random() < (0.45 if urban else 0.12)
            level = "phường" if ward else "xã"
            place = self.place(rng, region)
            code = f"{pcode}-X{ci + 1:04d}"
            name = f"Đảng bộ {level} {place}"
            issuer = f"Đảng ủy {level} {place}"
            self.moved_cells = []
            if ci < n_merged:
                # A commune formed on the reform date from 2–4 predecessors, which close.
                k = rng.choices([2, 3, 4], [35, 45, 20])[0]
                preds = []
                pred_names: list[str] = []
                for j in range(k):
                    pplace = self.place(rng, region)
                    p_from = dt.date(rng.randint(1960, 1995), 1, 1)
                    pred = self.unit(
                        code=f"{code}-C{j + 1}",
                        name=f"Đảng bộ {level} {pplace}",
                        kind=UnitKind.GRASSROOTS,
                        parent=prov,
                        valid_from=p_from,
                        valid_to=data.REFORM_DATE,
                        address=pplace,
                    )
                    preds.append((pred[0], pred[1], p_from))
                    pred_names.append(f"Đảng bộ {level} {pplace}")
                    self.tree.closed_grassroots_ids.append(pred[0])
                succ = self.unit(
                    code=code,
                    name=name,
                    kind=UnitKind.GRASSROOTS,
                    parent=prov,
                    valid_from=data.REFORM_DATE,
                    address=place,
                )
                self.owner_from = data.REFORM_DATE
                self._cells(
                    pi,
                    rng,
                    region,
                    succ,
                    code,
                    place,
                    ward,
                    per[ci],
                    data.COMMUNE_CELL_MIX,
                    False,
                    issuer,
                    moved_from=preds,
                )
                decision = self.merge(succ, preds)
                self.tree.merged_successor_ids.append(succ[0])
                self.tree.communes.append(
                    CommuneInfo(
                        succ[0], code, name, pi, ward, data.REFORM_DATE, merge_decision=decision
                    )
                )
                for j, (pred_id, _ids, p_from) in enumerate(preds):
                    self.tree.communes.append(
                        CommuneInfo(
                            pred_id,
                            f"{code}-C{j + 1}",
                            pred_names[j],
                            pi,
                            ward,
                            p_from,
                            data.REFORM_DATE,
                            successor=succ[0],
                            merge_decision=decision,
                        )
                    )
            else:
                commune = self.unit(
                    code=code,
                    name=name,
                    kind=UnitKind.GRASSROOTS,
                    parent=prov,
                    valid_from=data.HISTORY_START,
                    address=place,
                )
                self.owner_from = data.HISTORY_START
                self._cells(
                    pi,
                    rng,
                    region,
                    commune,
                    code,
                    place,
                    ward,
                    per[ci],
                    data.COMMUNE_CELL_MIX,
                    False,
                    issuer,
                )
                succ = commune
                self.tree.communes.append(
                    CommuneInfo(commune[0], code, name, pi, ward, data.HISTORY_START)
                )
            self.tree.grassroots_ids.append(succ[0])

    def merge(self, succ, preds) -> str:
        """The reorganization row and lineage, as `unit_merge` records them; returns the
        decision's number."""
        rid = self.w.next_id(Reorganization)
        self.next_reorg += 1
        moved = self.moved_cells
        details = {
            "units_closed": [p[0] for p in preds],
            "units_created": [succ[0]],
            "units_moved": moved,
            "units_in_moved_subtrees": len(moved),
            "members_moved": 0,
            "successor_id": succ[0],
        }
        decision = f"{1600 + self.next_reorg}/NQ-UBTVQH15"
        self.w.add(
            Reorganization,
            (
                rid,
                ReorganizationKind.MERGE,
                data.REFORM_DATE,
                decision,
                data.REFORM_DECISION_DATE,
                "Ủy ban Thường vụ Quốc hội",
                "",
                succ[0],
                json.dumps(details),
                None,
                self.now,
            ),
        )
        for pred in preds:
            self.w.add(Lineage, (self.w.next_id(Lineage), rid, pred[0], succ[0], None))
        return decision

    def others(self, pi, rng, pcode, prov, blocs, region, n, members):
        """Agency, school, hospital and enterprise organizations: grassroots committees with
        cells, and grassroots cells that hold their members directly."""
        is_cell = [rng.random() < 0.55 for _ in range(n)]
        cell_members = [rng.randint(8, 30) if c else 0 for c in is_cell]
        rest = max(0, members - sum(cell_members))
        big = split(rest, [rng.lognormvariate(0, 0.6) if not c else 0 for c in is_cell], 0)
        for oi in range(n):
            parent = blocs[0] if oi % 10 < 4 else blocs[1] if oi % 10 < 7 else prov
            prefix, subtype = rng.choice(data.OTHER_GRASSROOTS)
            topic = (
                rng.choice(data.OTHER_UNIT_TOPICS)
                if prefix in {"Sở", "Ban", "Chi cục"}
                else self.place(rng, region)
            )
            code = f"{pcode}-D{oi + 1:05d}"
            valid_from = dt.date(rng.randint(1960, 2015), 1, 1)
            parent_name = self.tree.provinces[pi]["name"]
            if is_cell[oi] or big[oi] < 30:
                size = cell_members[oi] or max(3, big[oi])
                unit = self.unit(
                    code=code,
                    name=f"Chi bộ {prefix} {topic}",
                    kind=UnitKind.GRASSROOTS_CELL,
                    parent=parent,
                    valid_from=valid_from,
                    subtype=subtype,
                )
                self.tree.grassroots_ids.append(unit[0])
                self.tree.cells_by_province[pi].append(len(self.tree.cells))
                self.tree.cells.append(
                    CellInfo(
                        id=unit[0],
                        subtype=subtype,
                        valid_from=valid_from.toordinal(),
                        province=pi,
                        region=region,
                        members=size,
                        path_now=unit[1],
                        path_before=unit[1],
                        issuer=f"Ban Thường vụ Đảng ủy {parent_name}",
                        siblings_key=parent[0],
                    )
                )
                continue
            unit = self.unit(
                code=code,
                name=f"Đảng bộ {prefix} {topic}",
                kind=UnitKind.GRASSROOTS,
                parent=parent,
                valid_from=valid_from,
            )
            self.tree.grassroots_ids.append(unit[0])
            self.owner_from = valid_from
            self.moved_cells = []
            mix = [(subtype, 70)] + [(s, w * 0.3) for s, w in data.OTHER_CELL_MIX if s != subtype]
            self._cells(
                pi,
                rng,
                region,
                unit,
                code,
                topic,
                False,
                big[oi],
                mix,
                True,
                f"Đảng ủy {prefix} {topic}",
            )


@generator_step("tree", order=10)
def build_tree(ctx: Context) -> None:
    """The unit tree of the whole country."""
    ctx.tree = _TreeBuilder(ctx).build()
