"""Big member imports on PostgreSQL: the file streamed into a temporary table with COPY, every
rule checked set-wise in SQL, the rows written with INSERT … SELECT.

The Python path of `imports` (`_BulkImporter`) parses and checks every row in Python and
builds every row it writes, tens of microseconds a row; here Python only reads the file and
copies it into a staging table, and the database does the rest, a chunk of CHUNK rows at a time:

1. Coded cells (choices, dates) take few distinct values next to the rows: each distinct value
   is read once by the very functions of the Python path (the folded labels of both languages
   and the aliases, `_date`, and `add_working_days` / `add_months` for the dates the rules count
   from) and then looked up in a dictionary, so that the staging row carries the values.
   Unit codes are resolved a chunk at a time by the Python path's lookup (the actor's roles,
   `within`, the case-insensitive fallback) into a small table.
2. One statement over the chunk flags every row the rules refuse — the rules of `member_admit`
   and `member_recognize`: a cell open on the decision date, the age rule, the ceremony's delay,
   no date in the future, recognition after probation, party card numbers unique in the file
   and among members (the rules' values from `rule()`).
3. The flagged rows — few, in any file meant to be imported — are checked again one by one by
   the Python path's own `parse` and `check`, which call the services' rule functions: the
   errors carry the services' messages (one source of truth) and the same row and column. A
   row flagged in SQL that Python finds valid would be a bug: it raises rather than import it.
4. While no error was found, the chunk's members, their admission and recognition events,
   membership intervals and audit entries are written by INSERT … SELECT; at the end the
   roll-up counters and figures versions of the top units move in one statement.

Everything runs in the caller's transaction: all or nothing, as the Python path; the tests
compare both paths row by row and error by error.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core.dates import add_months, add_working_days, holiday_dates
from grassroots.core.querysets import Action
from grassroots.core.rules import rule
from grassroots.organizations.choices import CELL_KINDS
from grassroots.organizations.models import Unit, UnitPlacement

CHUNK = 100_000
# What str.strip() strips (every character whose isspace() is true; a test checks the list):
# btrim() with these characters trims a cell exactly as the Python path.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
DATE_KEYS = ("birth_date", "decision_date", "ceremony_date", "official_date")
TABLES = (
    "import_rows",
    "import_units",
    "import_cards",
    "import_chunk",
    "import_new",
    "import_unit_tops",
    "import_places",
    "import_place_tops",
    "import_versions",
)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


class SqlImport:
    """One import on PostgreSQL; `checker` is the Python path's importer, used for the header,
    the lookups of distinct values, the messages of the rows in error and the error count."""

    def __init__(self, checker, *, file_name: str, within: Unit | None):
        from .imports import COLUMNS

        self.checker = checker
        self.columns = [c.key for c in COLUMNS]
        self.file_name = file_name
        self.within = within
        self.cursor = connection.cursor()
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.working_days, self.months = (
            rule("ceremony_within_working_days"),
            rule("probation_months"),
        )
        # Read before any COPY starts: the rows are resolved while COPY holds the connection.
        self.holidays = holiday_dates()
        self.seen_units: set = set()
        self.mapped_units: set = set()
        required = {c.key for c in COLUMNS if c.required}
        index = {k: i for i, k in enumerate(self.columns)}
        self.choice_slots = [(k, index[k], k in required) for k in self.choice_keys()]
        self.date_slots = [(index[k], k in required) for k in DATE_KEYS]
        self.name_index, self.unit_index = index["full_name"], index["unit_code"]
        self.last_row = 0  # the last row written

    def choice_keys(self) -> list[str]:
        return list(self.checker.choice_maps)

    # --- tables -----------------------------------------------------------------------------

    def create_tables(self) -> None:
        c = self.cursor
        # Sorts and hashes of a chunk in memory; no JIT compilation for statements run once.
        c.execute("SET LOCAL work_mem = '256MB'")
        c.execute("SET LOCAL jit = off")
        for table in TABLES:
            c.execute(f"DROP TABLE IF EXISTS {table}")
        raw = ", ".join(f"{_q(k)} text" for k in self.columns)
        values = ", ".join(f"v_{k} text" for k in self.choice_keys())
        days = ", ".join(f"d_{k} date" for k in DATE_KEYS)
        # Temporary tables: never written to the WAL, private to this session, gone with it.
        c.execute(
            f"CREATE TEMPORARY TABLE import_rows (n integer, {raw}, name_folded text, "
            f"{values}, {days}, wd_limit date, probation_end date, values_ok boolean)"
        )
        c.execute(
            "CREATE TEMPORARY TABLE import_units (raw text PRIMARY KEY, unit_id bigint, "
            "is_cell boolean, path text, valid_from date, valid_to date)"
        )
        c.execute("CREATE TEMPORARY TABLE import_cards (card text, n integer)")
        c.execute("CREATE INDEX ON import_cards (card)")
        c.execute("""CREATE TEMPORARY TABLE import_new (member_id bigint, n integer, unit_id bigint,
            unit_path text, full_name text, name_folded text, gender text, birth date,
            ethnicity text, religion text, general_education text, professional_education text,
            theory_level text, occupation text, card text, decision date, ceremony date,
            official date, probation_end date, decision_number text, age_exception text)""")

    def drop_tables(self) -> None:
        for table in TABLES:
            self.cursor.execute(f"DROP TABLE IF EXISTS {table}")

    # --- reading ----------------------------------------------------------------------------

    def _resolver(self, key: str, required: bool):
        """How a cell of a coded column reads: raw → (value or None, whether the row may be
        admitted as far as this cell goes[, the date a rule counts from it]). Resolved once per
        distinct raw value by the Python path's own functions — the folded text looked up among
        the labels of both languages and the aliases, `_date` — then read from a dictionary."""
        from .imports import _date, _text

        checker = self.checker
        cache: dict[Any, tuple] = {}
        if key in DATE_KEYS:
            holidays = self.holidays

            def working_days(day, count):
                return add_working_days(day, count, holidays)

            shift = {
                "decision_date": (working_days, self.working_days),
                "ceremony_date": (add_months, self.months),
            }.get(key)

            def resolve(raw):
                if not _text(raw):
                    hit = (None, not required)
                else:
                    try:
                        day = _date(raw)
                    except ValueError:
                        day = None
                    hit = (day, day is not None)
                if shift is not None:
                    # The working days after the decision, the months after the ceremony (a
                    # future date is refused before these matter).
                    day = hit[0]
                    hit = (
                        *hit,
                        shift[0](day, shift[1]) if day is not None and day <= self.today else None,
                    )
                cache[raw] = hit
                return hit
        else:
            labels = checker.choice_maps[key]

            def resolve(raw):
                text = _text(raw)
                value = labels.get(checker.fold(text)) if text else None
                hit = cache[raw] = (value, value is not None or (not text and not required))
                return hit

        return cache, resolve

    def staging(self, positions: list[int | None], xlsx: bool):
        """The function that turns a file row into its staging row: the template's cells as
        text (for the messages and the free texts), the folded name, each coded cell's value,
        the two dates the rules count from, and whether every coded cell holds an allowed
        value. It runs for every row: it is written for speed."""
        from .imports import _text

        columns = self.columns
        absent = 1 << 30  # the position of a column the file does not have
        where = [absent if p is None else p for p in positions]
        fold = self.checker.fold
        name_index, unit_index = self.name_index, self.unit_index
        slots = [
            (self.columns.index(k), *self._resolver(k, required))
            for k, _i, required in self.choice_slots
        ]
        date_slots = [
            (self.columns.index(k), *self._resolver(k, required))
            for k, (_i, required) in zip(DATE_KEYS, self.date_slots, strict=True)
        ]
        decision_slot, ceremony_slot = 1, 2
        seen_units = self.seen_units

        def cell(key: str, raw: Any) -> Any:
            if raw is None:
                return None
            if key in DATE_KEYS and isinstance(raw, dt.date):
                day = raw.date() if isinstance(raw, dt.datetime) else raw
                return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"  # `_date` reads it back
            return _text(raw)

        def staged(number: int, values: list[Any]) -> tuple:
            width = len(values)
            raws = [values[p] if p < width else None for p in where]
            if xlsx:
                raws = [cell(k, r) for k, r in zip(columns, raws, strict=True)]
            ok = True
            out = [number, *raws, fold(raws[name_index] or "")]
            for index, cache, resolve in slots:
                raw = raws[index]
                hit = cache.get(raw) or resolve(raw)
                out.append(hit[0])
                ok = ok and hit[1]
            extra = []
            for i, (index, cache, resolve) in enumerate(date_slots):
                raw = raws[index]
                hit = cache.get(raw) or resolve(raw)
                out.append(hit[0])
                ok = ok and hit[1]
                if i == decision_slot or i == ceremony_slot:
                    extra.append(hit[2])
            out += extra
            out.append(ok)
            seen_units.add(raws[unit_index])
            return tuple(out)

        return staged

    def copy_rows(self, rows) -> int:
        """COPY a chunk of rows into the staging table (emptied first); returns how many."""
        self.cursor.execute("TRUNCATE import_rows")
        count = 0
        with self.cursor.cursor.copy("COPY import_rows FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count

    def _copy(self, table: str, columns: str, rows: list[tuple]) -> None:
        if rows:
            with self.cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)

    def resolve_units(self) -> None:
        """Map the unit codes seen since the last chunk with the Python path's lookup: the units
        the actor may change (within `within`), exact codes first in bulk, then its
        case-insensitive fallback."""
        from .imports import _text

        checker = self.checker
        raws = [r for r in self.seen_units - self.mapped_units if r is not None]
        self.mapped_units.update(raws)
        self.seen_units = set()
        missing = list({t for t in map(_text, raws) if t and t not in checker.units})
        if missing:
            units = Unit.objects.visible_to(checker.actor, Action.CHANGE)
            if self.within is not None:
                units = units.filter(path__startswith=self.within.path)
            for i in range(0, len(missing), 5000):
                checker.units.update(
                    {u.code: u for u in units.filter(code__in=missing[i : i + 5000])}
                )
        rows = []
        for raw in raws:
            text = _text(raw)
            unit = checker.unit(text) if text else None
            if unit is not None:
                rows.append(
                    (
                        raw,
                        unit.pk,
                        unit.kind in CELL_KINDS,
                        unit.path,
                        unit.valid_from,
                        unit.valid_to,
                    )
                )
        self._copy("import_units", "raw, unit_id, is_cell, path, valid_from, valid_to", rows)
        self.cursor.execute("ANALYZE import_units")

    # --- checking ---------------------------------------------------------------------------

    def check_chunk(self) -> tuple[int, int]:
        """Flag the staged rows that a rule refuses; returns (rows, rows flagged)."""
        c = self.cursor
        c.execute("DROP TABLE IF EXISTS import_chunk")
        ws = WHITESPACE
        choice_columns = ", ".join(f"r.v_{k} AS {_q(k)}" for k in self.choice_keys())
        c.execute(
            f"""
            CREATE TEMPORARY TABLE import_chunk AS
            WITH p AS MATERIALIZED (
                SELECT r.n, btrim(r.full_name, %(ws)s) AS full_name, r.name_folded,
                       COALESCE(btrim(r.occupation, %(ws)s), '') AS occupation,
                       COALESCE(btrim(r.party_card_number, %(ws)s), '') AS card,
                       COALESCE(btrim(r.decision_number, %(ws)s), '') AS decision_number,
                       COALESCE(btrim(r.age_exception, %(ws)s), '') AS age_exception,
                       u.unit_id, u.path AS unit_path,
                       u.valid_from AS unit_from, u.valid_to AS unit_to,
                       {choice_columns},
                       r.d_birth_date AS birth, r.d_decision_date AS decision, r.wd_limit,
                       r.d_ceremony_date AS ceremony, r.probation_end,
                       r.d_official_date AS official,
                       COALESCE(r.values_ok AND u.is_cell AND btrim(r.full_name, %(ws)s) <> '',
                                FALSE) AS parse_ok
                FROM import_rows r LEFT JOIN import_units u ON u.raw = r.unit_code
            ), first_card AS (
                -- the first row of the chunk that parsed, for each card number
                SELECT card, MIN(n) AS n FROM p WHERE parse_ok AND card <> '' GROUP BY card
            ), d AS MATERIALIZED (
                SELECT p.*,
                       p.birth > %(today)s AS future_birth,
                       p.decision > %(today)s AS future_decision,
                       p.ceremony > %(today)s AS future_ceremony,
                       -- an earlier row of the file that parsed holds the same card number
                       p.card <> ''
                           AND (p.n > COALESCE(fc.n, p.n) OR earlier.found IS NOT NULL)
                           AS duplicate_card
                FROM p LEFT JOIN first_card fc ON fc.card = p.card
                LEFT JOIN LATERAL (  -- in an earlier chunk: one probe of the index
                    SELECT 1 AS found FROM import_cards k
                    WHERE p.card <> '' AND k.card = p.card LIMIT 1
                ) earlier ON TRUE
            ), e AS (
                SELECT d.*,
                       NOT (d.unit_from <= d.decision
                            AND (d.unit_to IS NULL OR d.unit_to > d.decision)) AS cell_closed,
                       -- months_of_age(): months between, less one before the day of the month
                       -- of birth; over the maximum only without the recorded exception
                       NOT d.future_birth AND NOT d.future_decision AND (
                           (date_part('year', d.decision) - date_part('year', d.birth)) * 12
                           + date_part('month', d.decision) - date_part('month', d.birth)
                           - CASE WHEN date_part('day', d.decision) < date_part('day', d.birth)
                                  THEN 1 ELSE 0 END
                       ) NOT BETWEEN %(min_months)s AND
                           CASE WHEN d.age_exception <> '' THEN 2147483647
                                ELSE %(max_months)s END AS age_refused,
                       NOT d.future_decision AND NOT d.future_ceremony
                           AND (d.ceremony < d.decision OR d.ceremony > d.wd_limit)
                           AS ceremony_refused
                FROM d
            ), f AS (
                SELECT e.*,
                       e.parse_ok AND NOT (e.future_birth OR e.future_decision OR e.future_ceremony
                                           OR e.cell_closed OR e.age_refused OR e.ceremony_refused
                                           OR e.duplicate_card) AS admit_ok
                FROM e
            ), g AS MATERIALIZED (
                SELECT f.*,
                       COALESCE(f.admit_ok, FALSE)
                       AND NOT COALESCE(f.official > %(today)s OR f.official < f.decision
                                        OR f.official < f.probation_end, FALSE) AS check_ok
                FROM f
            ), h AS (
                SELECT g.*, taken.found IS NOT NULL AS card_taken
                FROM g LEFT JOIN LATERAL (  -- held by a member: one probe of the unique index
                    SELECT 1 AS found FROM {_q("members_member")} m
                    WHERE g.check_ok AND g.card <> '' AND m.party_card_number = g.card LIMIT 1
                ) taken ON TRUE
            )
            SELECT h.*, NOT (h.parse_ok AND h.check_ok AND NOT h.card_taken) AS bad FROM h
            """,
            {
                "ws": ws,
                "today": self.today,
                "min_months": rule("admission_min_age") * 12,
                "max_months": rule("admission_max_age") * 12,
            },
        )
        c.execute(
            "INSERT INTO import_cards (card, n) "
            "SELECT card, n FROM import_chunk WHERE parse_ok AND card <> ''"
        )
        c.execute("ANALYZE import_cards")
        c.execute("SELECT COUNT(*), COUNT(*) FILTER (WHERE bad) FROM import_chunk")
        rows, flagged = c.fetchone()
        return rows, flagged

    def explain_flagged(self) -> int:
        """Check the flagged rows of the chunk again with the Python path (for its messages);
        returns how many rows it refused."""
        checker = self.checker
        columns = ", ".join(f"r.{_q(k)}" for k in self.columns)
        self.cursor.execute(
            f"SELECT r.n, {columns}, k.duplicate_card, k.card_taken FROM import_chunk k "
            f"JOIN import_rows r ON r.n = k.n WHERE k.bad ORDER BY k.n"
        )
        canonical = {k: i for i, k in enumerate(self.columns)}
        file_positions, checker.positions = checker.positions, canonical
        refused = 0
        try:
            for row in self.cursor.fetchall():
                number, values, duplicate, taken = row[0], list(row[1:-2]), row[-2], row[-1]
                before = checker.error_count
                data = checker.parse(number, values)
                if data is not None:
                    card = data.get("party_card_number")
                    checker.cards_seen = {card} if duplicate and card else set()
                    if checker.check(number, data) and taken and card:
                        checker.error(
                            number,
                            "party_card_number",
                            _("Another member holds this party card number."),
                        )
                if checker.error_count == before:
                    raise RuntimeError(
                        f"Row {number} was refused by the SQL check but passes the rules."
                    )
                refused += 1
        finally:
            checker.positions = file_positions
        return refused

    # --- writing ----------------------------------------------------------------------------

    def write_chunk(self, actor_id: int | None, member_type: int) -> int:
        c = self.cursor
        sequence = self._sequence("members_member")
        c.execute(
            """
            INSERT INTO import_new
            SELECT nextval(%(seq)s::regclass), n, unit_id, unit_path, full_name, name_folded,
                   gender, birth, ethnicity, COALESCE(religion, 'none'),
                   COALESCE(general_education, ''), COALESCE(professional_education, 'none'),
                   COALESCE(theory_level, 'none'),
                   occupation, NULLIF(card, ''), decision, ceremony, official, probation_end,
                   decision_number, age_exception
            FROM import_chunk WHERE NOT bad ORDER BY n
        """,
            {"seq": sequence},
        )
        new = f"FROM import_new WHERE n > {int(self.last_row)}"
        params = {
            "now": self.now,
            "actor": actor_id,
            "type": member_type,
            "now_text": self.now.isoformat(),
            "note": (_("Imported from %(file)s") % {"file": self.file_name})[:300],
        }
        status = "CASE WHEN official IS NOT NULL THEN 'official' ELSE 'probationary' END"
        end = "CASE WHEN official IS NOT NULL THEN probation_end END"
        c.execute(
            f"""
            INSERT INTO {_q("members_member")} (id, full_name, name_folded, gender, birth_date,
                ethnicity, religion, general_education, professional_education, theory_level,
                occupation, party_card_number, unit_id, status, transit_to_id, transit_since,
                attending_unit_id, first_admission_decision_date, admission_decision_date,
                ceremony_date, official_date, readmission_count, created_at, updated_at)
            SELECT member_id, full_name, name_folded, gender, birth, ethnicity, religion,
                   general_education, professional_education, theory_level, occupation, card,
                   unit_id, {status}, NULL, NULL, NULL,
                   decision, decision, ceremony, {end}, 0, %(now)s, %(now)s
            {new} ORDER BY member_id
        """,
            params,
        )
        c.execute(
            f"""
            INSERT INTO {_q("members_memberevent")} (member_id, kind, date, unit_id, transfer_mode,
                discipline_level, decision_number, decision_date, issuer, reason, details,
                created_by_id, created_at)
            SELECT member_id, 'admit', decision, unit_id, '', '', decision_number, decision, '', '',
                   jsonb_build_object('ceremony_date', to_char(ceremony, 'YYYY-MM-DD'))
                   || CASE WHEN age_exception <> ''
                           THEN jsonb_build_object('age_exception', age_exception)
                           ELSE '{{}}'::jsonb END,
                   %(actor)s, %(now)s
            {new}
            UNION ALL
            SELECT member_id, 'recognize', official, unit_id, '', '', '', official, '', '',
                   jsonb_build_object('official_date', to_char(probation_end, 'YYYY-MM-DD'),
                                      'probation_end', to_char(probation_end, 'YYYY-MM-DD')),
                   %(actor)s, %(now)s
            {new} AND official IS NOT NULL
            ORDER BY 1, 2
        """,
            params,
        )
        c.execute(
            f"""
            INSERT INTO {_q("members_membership")} (member_id, unit_id, status, standing,
                start, "end", birth_date)
            SELECT member_id, unit_id, 'probationary', 'probationary', decision, {end}, birth
            {new}
            UNION ALL
            SELECT member_id, unit_id, 'official', 'official', probation_end, NULL, birth
            {new} AND official IS NOT NULL
            ORDER BY 1, 5
        """,
            params,
        )
        dates = ", ".join(
            f"'{name}', to_char({column}, 'YYYY-MM-DD')"
            for name, column in (
                ("birth_date", "birth"),
                ("first_admission_decision_date", "decision"),
                ("admission_decision_date", "decision"),
                ("ceremony_date", "ceremony"),
                ("official_date", end),
            )
        )
        c.execute(
            f"""
            INSERT INTO {_q("core_auditentry")} (timestamp, actor_id, action, content_type_id,
                object_id, object_repr, unit_path, before, after, note)
            SELECT %(now)s, %(actor)s, 'create', %(type)s, member_id::text, left(full_name, 300),
                   unit_path, NULL,
                   jsonb_build_object(
                       'id', member_id, 'full_name', full_name, 'gender', gender,
                       'ethnicity', ethnicity,
                       'religion', religion, 'general_education', general_education,
                       'professional_education', professional_education,
                       'theory_level', theory_level,
                       'occupation', occupation, 'party_card_number', card, 'unit_id', unit_id,
                       'status', {status}, 'transit_to_id', NULL, 'transit_since', NULL,
                       'attending_unit_id', NULL,
                       'readmission_count', 0, 'created_at', %(now_text)s, {dates}),
                   %(note)s
            {new} ORDER BY member_id
        """,
            params,
        )
        c.execute(f"SELECT COUNT(*), COALESCE(MAX(n), 0) {new}")
        written, last = c.fetchone()
        self.last_row = max(self.last_row, last)
        return written

    def _sequence(self, table: str) -> str:
        self.cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [_q(table)])
        return self.cursor.fetchone()[0]

    def write_rollups(self) -> None:
        """Move the counters of the top units above the new members' cells (members of today's
        tree; events on the tree of their day) and their figures versions, in one statement."""
        from grassroots.rollups.models import SubtreeCount
        from grassroots.rollups.past import past_add_selection
        from grassroots.rollups.services import (
            VERSION,
            VERSION_MODULUS,
            tops_of_paths,
            version_steps,
        )

        c = self.cursor
        c.execute("SELECT DISTINCT unit_id FROM import_new")
        unit_ids = [row[0] for row in c.fetchall()]
        if not unit_ids:
            return
        units = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "path"))
        places = list(
            UnitPlacement.objects.filter(unit_id__in=unit_ids)
            .order_by("unit_id", "valid_from", "pk")
            .values_list("pk", "unit_id", "valid_from", "valid_to", "path")
        )
        tops = tops_of_paths(
            {
                **{("u", k): p for k, p in units.items()},
                **{("p", pk): p for pk, _u, _f, _t, p in places},
            }
        )
        c.execute("CREATE TEMPORARY TABLE import_unit_tops (unit_id bigint, top_id bigint)")
        c.execute(
            "CREATE TEMPORARY TABLE import_places (place_id bigint, unit_id bigint, ord integer, "
            "valid_from date, valid_to date)"
        )
        c.execute("CREATE TEMPORARY TABLE import_place_tops (place_id bigint, top_id bigint)")
        c.execute("CREATE TEMPORARY TABLE import_versions (top_id bigint, step bigint)")
        self._copy(
            "import_unit_tops",
            "unit_id, top_id",
            [(u, t) for (kind, u), ts in tops.items() if kind == "u" for t in ts],
        )
        self._copy(
            "import_places",
            "place_id, unit_id, ord, valid_from, valid_to",
            [(pk, u, i, f, t) for i, (pk, u, f, t, _p) in enumerate(places)],
        )
        self._copy(
            "import_place_tops",
            "place_id, top_id",
            [(pk, t) for (kind, pk), ts in tops.items() if kind == "p" for t in ts],
        )
        steps = version_steps(set().union(*tops.values()))
        self._copy("import_versions", "top_id, step", [(u, n) for (u, _d, _v), n in steps.items()])
        c.execute("CREATE INDEX ON import_places (unit_id, ord)")
        c.execute("CREATE INDEX ON import_unit_tops (unit_id)")
        c.execute("CREATE INDEX ON import_place_tops (place_id)")
        for table in ("import_unit_tops", "import_places", "import_place_tops", "import_versions"):
            c.execute(f"ANALYZE {table}")
        table = _q(SubtreeCount._meta.db_table)
        attributes = (
            "gender",
            "ethnicity",
            "religion",
            "general_education",
            "professional_education",
            "theory_level",
        )
        values = ", ".join(
            [
                "('status', CASE WHEN official IS NOT NULL THEN 'official' "
                "ELSE 'probationary' END)",
                *(f"('{a}', {a})" for a in attributes),
                "('birth_date', to_char(birth, 'YYYY-MM-DD'))",
            ]
        )
        c.execute(
            f"""
            WITH per_unit AS (
                SELECT unit_id, dimension, value, COUNT(*) AS n
                FROM import_new, LATERAL (VALUES {values}) AS v(dimension, value)
                GROUP BY 1, 2, 3
            ), events AS (
                SELECT unit_id, decision AS day, 'ev:admissions' AS dimension, COUNT(*) AS n
                FROM import_new GROUP BY 1, 2
                UNION ALL
                SELECT unit_id, official, 'ev:recognitions', COUNT(*) FROM import_new
                WHERE official IS NOT NULL GROUP BY 1, 2
            ), placed AS (
                -- The unit's place on the event's day (its first placement then), else today's.
                SELECT events.*, (
                    SELECT p.place_id FROM import_places p
                    WHERE p.unit_id = events.unit_id AND p.valid_from <= events.day
                      AND (p.valid_to IS NULL OR p.valid_to > events.day)
                    ORDER BY p.ord LIMIT 1
                ) AS place_id
                FROM events
            ), moved AS (
                SELECT t.top_id AS unit_id, m.dimension, m.value, m.n
                FROM per_unit m JOIN import_unit_tops t ON t.unit_id = m.unit_id
                UNION ALL
                SELECT t.top_id, e.dimension, to_char(e.day, 'YYYY-MM'), e.n
                FROM placed e JOIN import_place_tops t ON t.place_id = e.place_id
                UNION ALL
                SELECT t.top_id, e.dimension, to_char(e.day, 'YYYY-MM'), e.n
                FROM placed e JOIN import_unit_tops t ON t.unit_id = e.unit_id
                WHERE e.place_id IS NULL
                UNION ALL
                SELECT top_id, '{VERSION}', '', step FROM import_versions
            )
            INSERT INTO {table} (unit_id, dimension, value, n)
            SELECT unit_id, dimension, value, SUM(n) FROM moved GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (unit_id, dimension, value) DO UPDATE SET n = CASE
                WHEN {table}.dimension = '{VERSION}'
                    THEN (CAST({table}.n AS BIGINT) + excluded.n) %% {VERSION_MODULUS}
                ELSE {table}.n + excluded.n END
        """,
            {},
        )
        # The past-day counters: the new members' intervals, counted on the database.
        past_add_selection("i.member_id IN (SELECT member_id FROM import_new)", [])


def members_import_sql(checker, *, rows, file_name: str, within: Unit | None, progress) -> None:
    """Import `rows` (the file's rows after its header, as `read_rows` gives them) with SqlImport,
    a chunk at a time; fills `checker.result` and counts errors in `checker.error_count`, as the
    Python path does. `progress(rows=…, valid=…, errors=…)` once each chunk is checked."""
    from .imports import _text

    result = checker.result
    job = SqlImport(checker, file_name=file_name, within=within)
    job.create_tables()
    positions = [checker.positions.get(k) for k in job.columns]
    xlsx = file_name.lower().endswith(".xlsx")
    actor_id = getattr(checker.actor, "pk", None)

    def blank(values: list[Any]) -> bool:
        if xlsx:
            return not any(_text(v) for v in values)
        return not any(v and not v.isspace() for v in values)  # CSV cells are text

    stage_row = job.staging(positions, xlsx)

    def chunk(source):
        count = 0
        for number, values in source:
            if blank(values):
                continue
            result.rows += 1
            count += 1
            yield stage_row(number, values)
            if count == CHUNK:
                return

    timings = result.timings

    def timed(phase: str, fn, *args):
        started = time.perf_counter()
        try:
            return fn(*args)
        finally:
            timings[phase] = timings.get(phase, 0.0) + time.perf_counter() - started

    source = iter(rows)
    while True:
        if not timed("reading and staging", job.copy_rows, chunk(source)):
            break
        timed("checking", job.resolve_units)
        staged, flagged = timed("checking", job.check_chunk)
        if flagged:
            timed("checking", job.explain_flagged)
        result.valid_rows += staged - flagged
        if not checker.error_count:
            timed("writing", job.write_chunk, actor_id, checker.member_type)
        if progress:
            progress(rows=result.rows, valid=result.valid_rows, errors=checker.error_count)
        if staged < CHUNK:
            break
    if not checker.error_count and result.valid_rows:
        timed("roll-ups", job.write_rollups)
    job.drop_tables()
