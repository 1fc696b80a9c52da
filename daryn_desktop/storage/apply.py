"""Applying versions received from other installations: merged per field, logged as theirs.

A bundle's versions go through the same bookkeeping as local writes (``writer.py``) without
being logged as local changes: each is stored in the change log under its origin's
``(site, seq)``, the versions it supersedes are linked, and the heads of its fields merged
(``core/merge.py``); the rows then show each field's winner. New rows nothing else touches
are inserted in bulk (a district's first bundle is mostly those).
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from daryn_desktop.core.merge import Head, VersionId, merge_heads, needs_person, winner
from daryn_desktop.core.text import clean_fields
from daryn_desktop.storage.changelog import decode_id, encode_at, encode_id, log_json
from daryn_desktop.storage.heads import HeadCache
from daryn_desktop.storage.records import (
    DERIVED,
    allowed_columns,
    chunks,
    column_set,
    current_rows,
    insert_table_rows,
    set_many,
)
from daryn_desktop.storage.schema import SYNCED_COLUMNS

if TYPE_CHECKING:
    from daryn_desktop.storage.writer import Writer

#: Rows that belong to a parent (column → parent table): a purged parent, or a pupil moved
#: to another district, takes them along (see ``apply_remote``).
PARENT_COLUMNS = {"pupil_id": "pupils", "road_map_id": "road_maps"}


class ReusedVersionIds(Exception):
    """Versions arrived under numbers already held for other versions from the same origin:
    that installation's database went back to an older copy (see ``sync/rollback.py``)."""


@dataclass(slots=True)
class RemoteChange:
    """One row of another installation's change log, as a bundle carries it."""

    origin_site: str
    origin_seq: int
    hlc: int
    tbl: str
    row_id: str
    op: str
    data: dict[str, Any]
    author: str | None = None
    at: str = ""
    prio: int = 0
    supersedes: dict[str, list[VersionId]] = field(default_factory=dict)
    #: ``log_json(data)`` when the reader already has it (the text a bundle carried, checked
    #: to be exactly that): stored in the log as it is instead of being encoded again.
    data_json: str | None = None

    @property
    def id(self) -> VersionId:
        return (self.origin_site, self.origin_seq)


# Getters for whole batches of remote versions (a million in a district's first bundle).
_VERSION = operator.attrgetter("origin_site", "origin_seq")
_HLC = operator.attrgetter("hlc")
_TABLE = operator.attrgetter("tbl")


@dataclass
class ApplyResult:
    """What applying remote versions did."""

    received: int = 0
    new: int = 0
    duplicates: int = 0
    dropped_purged: int = 0
    dropped_away: int = 0
    rows_inserted: int = 0
    rows_updated: int = 0
    conflicts_touched: int = 0
    tables: dict[str, int] = field(default_factory=dict)
    #: The fields touched that need a person, as (table, row id, column): when one import
    #: applies its versions batch by batch, a field touched again counts once, as it stands.
    conflict_fields: set[tuple[str, str, str]] = field(default_factory=set, repr=False)



class RemoteApply:
    """Applies remote versions within a writer's transaction (its log positions and clock)."""

    def __init__(self, writer: Writer):
        self.db = writer.db
        self.codec = writer.codec
        self.clock = writer.clock
        self._positions: Callable[[int], range] = writer.positions
        #: The first log position of the versions recorded by this apply.
        self._recorded_from: int | None = None
        self._tables = writer.tables  # what the window's views learn was written

    def apply(self, changes: Iterable[RemoteChange], *, received_from: str,
                     tombstones: dict[tuple[str, str], str] | None = None,
                     away: dict[tuple[str, str], str] | None = None,
                     result: ApplyResult | None = None) -> ApplyResult:
        """Merge versions written elsewhere; nothing is logged as a local change.

        Idempotent (a version already known is skipped by its ``(site, seq)``) and
        order-independent. Versions of purged rows (``tombstones``: (table, id) → purge id)
        and of rows removed because their pupil moved to another district (``away``:
        (table, id) → pupil id) are dropped, as are new rows under such a parent.

        A large bundle is applied a batch at a time, each call adding to the same
        ``result`` (the marks of rows dropped are read again for each batch: those a batch
        passes on to new rows are stored).
        """
        result = result if result is not None else ApplyResult()
        incoming = list(changes)
        result.received += len(incoming)
        fresh = self._unknown_versions(incoming)
        result.duplicates += len(incoming) - len(fresh)
        kept = self._drop_marked(fresh, tombstones or {}, away or {}, result)
        result.new += len(kept)
        if not kept:
            return result
        _clean_remote(kept)
        # The clock only moves forward: observing the latest is observing them all.
        self.clock.observe(max(map(_HLC, kept)))
        for tbl, count in Counter(map(_TABLE, kept)).items():
            result.tables[tbl] = result.tables.get(tbl, 0) + count
            self._tables.add(tbl)
        fast, slow = self._split_fast_inserts(kept)
        self._record_remote(kept, received_from, self._held_by_rows(fast))
        unknown: set[tuple[str, str]] = set()
        for tbl, group in fast.items():
            self._insert_remote_rows(tbl, group, unknown)
            result.rows_inserted += len(group)
        if slow:
            inserted, updated = self._apply_slow(slow, result.conflict_fields)
            result.rows_inserted += inserted
            result.rows_updated += updated
            result.conflicts_touched = len(result.conflict_fields)
            unknown |= _unknown_columns(slow)
        if unknown:
            # Columns of a newer schema stay in the log only (see materialize_pending).
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO pending_columns (tbl, col) VALUES (?, ?)", sorted(unknown))
        return result

    def _drop_marked(self, changes: list[RemoteChange], tombstones: dict[tuple[str, str], str],
                     away: dict[tuple[str, str], str],
                     result: ApplyResult) -> list[RemoteChange]:
        """The versions of rows neither purged nor moved away (nor new rows under those)."""
        if not tombstones and not away:
            return changes
        tombstones, away = dict(tombstones), dict(away)
        kept: list[RemoteChange] = []
        new_tombs: list[tuple[str, str, str]] = []
        new_away: list[tuple[str, str, str]] = []
        for change in changes:
            if _mark_of(change, tombstones, new_tombs) is not None:
                result.dropped_purged += 1
            elif _mark_of(change, away, new_away) is not None:
                result.dropped_away += 1
            else:
                kept.append(change)
        if new_tombs:
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO tombstones (tbl, row_id, purge_id) VALUES (?, ?, ?)",
                new_tombs)
        if new_away:
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO moved_rows (tbl, row_id, pupil_id) VALUES (?, ?, ?)",
                new_away)
        return kept

    def _unknown_versions(self, incoming: list[RemoteChange]) -> list[RemoteChange]:
        """The versions not yet in the log (and each only once)."""
        ids = list(map(_VERSION, incoming))
        by_site: dict[str, list[int]] = {}
        if ids and all(site == ids[0][0] for site, _seq in ids):
            by_site[ids[0][0]] = [seq for _site, seq in ids]  # the usual case: one site
        else:
            for site, seq in ids:
                by_site.setdefault(site, []).append(seq)
        known: dict[VersionId, int] = {}
        for site, seqs in by_site.items():
            num = self.codec.known_site(site)
            if num is None:
                continue  # nothing of that installation held yet
            known.update(((site, seq), hlc) for seq, hlc in self.db.execute(
                "SELECT origin_seq, hlc FROM change_log WHERE site = ? AND origin_seq"
                " BETWEEN ? AND ?", [num, min(seqs), max(seqs)]))
        if not known and len(set(ids)) == len(ids):
            return incoming  # the usual case: all new, each once
        fresh = []
        for change, version in zip(incoming, ids):
            held = known.get(version)
            if held is None:
                known[version] = change.hlc
                fresh.append(change)
            elif held != change.hlc:
                # The same number, another edit: never drop it as a duplicate.
                raise ReusedVersionIds(change.origin_site)
        return fresh

    def _held_by_rows(self, fast: dict[str, list[RemoteChange]]) -> set[int]:
        """The new rows (by ``id()`` of their change) that will hold exactly the values of
        their insert, so that the log leaves them out."""
        held: set[int] = set()
        synced_of = SYNCED_COLUMNS
        for tbl, group in fast.items():
            by_names: dict[tuple[str, ...], list[RemoteChange]] = {}
            for change in group:
                by_names.setdefault(tuple(change.data), []).append(change)
            synced = synced_of[tbl]
            for names, same in by_names.items():
                if not set(names) <= set(synced):
                    continue  # a newer schema's fields stay in the log
                columns = zip(*(c.data.values() for c in same))
                if self.codec.held_exactly(tbl, names, columns):
                    held.update(map(id, same))
        return held

    def _record_remote(self, changes: list[RemoteChange], received_from: str,
                       held: set[int]) -> None:
        codec = self.codec
        sender = codec.site_num(received_from)
        sites: dict[str, int] = {}
        shapes: dict[tuple[str, str, tuple[str, ...]], int] = {}

        links: list[tuple[int, int, str, int, int]] = []

        def row(position: int, c: RemoteChange) -> tuple[Any, ...]:
            site = sites.get(c.origin_site)
            if site is None:
                site = sites[c.origin_site] = codec.site_num(c.origin_site)
            key = (c.tbl, c.op, tuple(c.data))
            shape = shapes.get(key)
            if shape is None:
                shape = shapes[key] = codec.shape_num(*key)
            data = None if id(c) in held else c.data_json or log_json(c.data)
            supersedes = None
            if c.supersedes:
                # LogCodec.encode_supersedes and LogCodec.links in one pass, sites looked
                # up once: an edit bundle supersedes a version in every change.
                numbered: dict[str, list[list[int]]] = {}
                for col, ids in c.supersedes.items():
                    pairs = numbered[col] = []
                    for base_site, base_seq in ids:
                        base = sites.get(base_site)
                        if base is None:
                            base = sites[base_site] = codec.site_num(base_site)
                        pairs.append([base, base_seq])
                        links.append((base, base_seq, col, site, c.origin_seq))
                supersedes = log_json(numbered)
            return (position, site, c.origin_seq, c.hlc, shape, encode_id(c.row_id), data,
                    c.author, encode_at(c.at), c.prio, supersedes, sender)

        positions = self._positions(len(changes))
        # Each version that keeps data keeps all it wrote (see HeadCache.whole_from).
        self._recorded_from = positions.start
        self.db.conn.executemany(
            "INSERT INTO change_log (seq, site, origin_seq, hlc, shape, row_id, data, author,"
            " at, prio, supersedes, received_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row(position, c) for position, c in zip(positions, changes)))
        if links:
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO log_links (base, base_seq, col, child, child_seq)"
                " VALUES (?, ?, ?, ?, ?)", links)

    def _split_fast_inserts(self, changes: list[RemoteChange],
                            ) -> tuple[dict[str, list[RemoteChange]], list[RemoteChange]]:
        """New rows of known tables that nothing else touches are inserted in bulk."""
        candidates: dict[str, list[RemoteChange]] = {}
        for change in changes:
            if change.op == "insert" and change.tbl in SYNCED_COLUMNS:
                candidates.setdefault(change.tbl, []).append(change)
        # Rows that exist or have heads already, and rows inserted twice in this batch (two
        # installations, one id), need the slow path.
        excluded: set[tuple[str, str]] = set()
        for tbl, group in candidates.items():
            ids = [c.row_id for c in group]
            if len(set(ids)) != len(ids):
                counts = Counter(ids)
                excluded.update((tbl, row_id) for row_id, n in counts.items() if n > 1)
            excluded.update((tbl, row_id) for row_id in self._touched_rows(tbl, ids))
        fast = candidates
        if excluded:
            fast = {}
            for tbl, group in candidates.items():
                free = [c for c in group if (tbl, c.row_id) not in excluded]
                if free:
                    fast[tbl] = free
        slow = [c for c in changes if c.op != "insert" or c.tbl not in SYNCED_COLUMNS
                or (c.tbl, c.row_id) in excluded]
        return fast, slow

    def _touched_rows(self, tbl: str, ids: list[str]) -> set[str]:
        """Those of ``ids`` that are rows of ``tbl`` already or have explicit field heads."""
        found: set[str] = set()
        # Nothing there yet is the usual case of a region's first bundle of a district (its
        # first batch; the later ones find rows but, as a rule, no heads).
        rows = self.db.execute(f"SELECT 1 FROM [{tbl}] LIMIT 1").fetchone() is not None
        heads = self.db.execute("SELECT 1 FROM log_heads WHERE tbl = ? LIMIT 1",
                                [tbl]).fetchone() is not None
        if not rows and not heads:
            return found
        for part in chunks(ids):
            marks = ",".join("?" * len(part))
            if rows:
                found.update(r[0] for r in self.db.execute(
                    f"SELECT id FROM [{tbl}] WHERE id IN ({marks})", list(part)))
            if heads:
                found.update(decode_id(r[0]) for r in self.db.execute(
                    f"SELECT DISTINCT row_id FROM log_heads WHERE tbl = ? AND row_id IN"
                    f" ({marks})", [tbl, *map(encode_id, part)]))
        return found

    def _insert_remote_rows(self, table: str, changes: list[RemoteChange],
                            unknown: set[tuple[str, str]]) -> None:
        """Insert new rows straight from their insert versions, grouped by column set.

        Columns of a newer schema stay in the log only; they are added to ``unknown``.
        """
        synced = SYNCED_COLUMNS[table]
        allowed = allowed_columns(synced)
        derived = DERIVED.get(table)
        groups: dict[tuple[str, ...], list[RemoteChange]] = {}
        for change in changes:
            groups.setdefault(tuple(change.data), []).append(change)
        for names, group in groups.items():
            cols = [name for name in names if name in synced]
            unknown.update((table, name) for name in names if name not in allowed)
            all_cols = [*cols, "id", *(["sort_key"] if derived else [])]
            sql = "INSERT INTO [{}] ({}) VALUES ({})".format(
                table, ", ".join(f"[{c}]" for c in all_cols), ", ".join("?" for _ in all_cols))
            if len(cols) == len(names):  # the usual case: same schema both sides
                if derived:
                    key = derived[1]
                    params = [(*c.data.values(), c.row_id, key(c.data)["sort_key"])
                              for c in group]
                else:
                    params = [(*c.data.values(), c.row_id) for c in group]
            else:
                params = [(*[c.data[name] for name in cols], c.row_id,
                           *([derived[1](c.data)["sort_key"]] if derived else []))
                          for c in group]
            self.db.conn.executemany(sql, params)

    def _apply_slow(self, changes: list[RemoteChange],
                    conflicts: set[tuple[str, str, str]]) -> tuple[int, int]:
        """Per-field merge of updates (and of inserts of rows already touched); the fields
        touched that need a person are added to ``conflicts`` (the others taken out)."""
        ids: dict[str, set[str]] = {}
        for c in changes:
            ids.setdefault(c.tbl, set()).add(c.row_id)
        # The rows touched, read once: for the values the log left out, and to update them.
        rows_now = {tbl: current_rows(self.db, tbl, sorted(found)) for tbl, found in ids.items()
                    if tbl in SYNCED_COLUMNS}
        heads = HeadCache(self.db, self.codec, rows_now, self._recorded_from)
        heads.load({(c.tbl, c.row_id) for c in changes})
        # Inserts applied in this batch are the rows' implicit heads from now on; the
        # ones being merged here join as they are processed.
        superseded: set[tuple[str, int, str]] = set()
        by_site: dict[str, list[int]] = {}
        for c in changes:
            by_site.setdefault(c.origin_site, []).append(c.origin_seq)
        for site, seqs in by_site.items():
            num = self.codec.known_site(site)
            if num is None:
                continue
            for part in chunks(sorted(set(seqs))):
                marks = ",".join("?" * len(part))
                superseded.update((site, seq, col) for seq, col in self.db.execute(
                    f"SELECT base_seq, col FROM log_links WHERE base = ? AND base_seq"
                    f" IN ({marks})", [num, *part]))
        # Each field's heads are merged in a local map (read from the cache once, written
        # back once): a bundle of edits touches thousands of fields.
        merged: dict[tuple[str, str, str], list[Head]] = {}
        touched: dict[tuple[str, str], list[str]] = {}
        inserted_here: set[tuple[str, str]] = set()
        for c in changes:
            key = (c.tbl, c.row_id)
            cols = touched.get(key)
            if cols is None:
                cols = touched[key] = []
            site, seq, hlc, prio = c.origin_site, c.origin_seq, c.hlc, c.prio
            supersedes = c.supersedes
            for col, value in c.data.items():
                field_key = (c.tbl, c.row_id, col)
                current = merged.get(field_key)
                if current is None:
                    current = heads.get(c.tbl, c.row_id, col)
                    cols.append(col)
                bases = supersedes.get(col)
                later = bool(superseded) and (site, seq, col) in superseded
                if (bases and len(bases) == 1 and len(current) == 1
                        and current[0].site == bases[0][0] and current[0].seq == bases[0][1]):
                    # The usual edit: written after seeing the field's one head. What
                    # merge_heads gives, without building its sets.
                    merged[field_key] = [] if later else [Head(site, seq, hlc, prio, value)]
                else:
                    merged[field_key] = merge_heads(
                        list(current), Head(site, seq, hlc, prio, value),
                        {(s, n) for s, n in bases} if bases else set(), later)
            if c.op == "insert":
                heads.add_insert(c.tbl, c.row_id, Head(site, seq, hlc, prio, None), c.data)
                inserted_here.add(key)
        heads.put_all(merged)
        heads.flush()
        by_table: dict[str, list[tuple[str, list[str]]]] = {}
        for (tbl, row_id), cols in touched.items():
            for col in cols:
                field_heads = merged[(tbl, row_id, col)]
                # One head (the usual case) never waits for a person.
                if len(field_heads) > 1 and needs_person(tbl, col, field_heads):
                    conflicts.add((tbl, row_id, col))
                elif conflicts:
                    conflicts.discard((tbl, row_id, col))
            if tbl in SYNCED_COLUMNS:
                by_table.setdefault(tbl, []).append((row_id, cols))
        inserted = updated = 0
        for tbl, rows in by_table.items():
            known = column_set(SYNCED_COLUMNS[tbl])
            existing = rows_now[tbl]
            wanted: dict[str, dict[str, Any]] = {}
            new_rows = []
            for row_id, cols in rows:
                if row_id in existing:
                    values = {c: h[0].value if len(h) == 1 else winner(h, tbl, c).value
                              for c in cols if c in known
                              and (h := merged[(tbl, row_id, c)])}
                    if values:
                        wanted[row_id] = values
                elif (tbl, row_id) in inserted_here:
                    row = {c: winner(h, tbl, c).value for c in heads.columns(tbl, row_id)
                           if c in known and (h := heads.get(tbl, row_id, c))}
                    row["id"] = row_id
                    new_rows.append(row)
            set_many(self.db, self.codec, tbl, wanted, existing, heads.logged.get(tbl))
            updated += len(wanted)
            if new_rows:
                insert_table_rows(self.db, tbl, new_rows)
                inserted += len(new_rows)
        return inserted, updated

    def materialize_pending(self) -> int:
        """Apply the stored versions of columns this program now knows (after an upgrade).

        Returns the number of fields written.
        """
        written = 0
        for tbl, col in self.db.execute("SELECT tbl, col FROM pending_columns").fetchall():
            if col not in SYNCED_COLUMNS.get(tbl, ()):
                continue
            shapes = self.codec.shapes_of(tbl, col=col)
            row_ids = [decode_id(r[0]) for r in self.db.execute(
                "SELECT DISTINCT row_id FROM change_log WHERE shape IN"
                f" ({','.join('?' * len(shapes))})", shapes)]
            heads = HeadCache(self.db, self.codec)
            heads.load((tbl, r) for r in row_ids)
            for row_id in row_ids:
                found = heads.get(tbl, row_id, col)
                if found and self.db.execute(f"SELECT 1 FROM [{tbl}] WHERE id = ?",
                                             [row_id]).fetchone():
                    set_many(self.db, self.codec, tbl,
                             {row_id: {col: winner(found, tbl, col).value}},
                             current_rows(self.db, tbl, [row_id]))
                    self._tables.add(tbl)
                    written += 1
            self.db.execute("DELETE FROM pending_columns WHERE tbl = ? AND col = ?", [tbl, col])
        return written



def _mark_of(change: RemoteChange, marks: dict[tuple[str, str], str],
             inherited: list[tuple[str, str, str]]) -> str | None:
    """The mark (a purge, a pupil moved away) that keeps ``change`` out, if any.

    A new row under a marked parent takes the parent's mark; it is added to ``marks`` and
    to ``inherited`` (to be stored) so that the rest of the batch sees it too.
    """
    key = (change.tbl, change.row_id)
    mark = marks.get(key)
    if mark is None and change.op == "insert":
        for col, parent_table in PARENT_COLUMNS.items():
            parent = change.data.get(col)
            if parent is not None and (parent_table, parent) in marks:
                mark = marks[key] = marks[(parent_table, parent)]
                inherited.append((*key, mark))
                break
    return mark


#: What a version's JSON text shows of a character ``clean_fields`` may remove: an escaped
#: control character (``\u001b``, ``\r``, and the line breaks and tabs single-line fields
#: lose) or a C1, bidirectional or invisible one as it is. Most versions have none.
_SUSPECT = re.compile(r'\\u00[01]|\\[bfnrt]|[\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064'
                      r'\u2066-\u2069\ufeff]')


def _clean_remote(changes: list[RemoteChange]) -> None:
    """Clean the texts of versions from elsewhere as local writes are cleaned (a bundle
    from an older program, or a hostile one, may hold control characters).

    The version keeps its number; every installation but its origin keeps the cleaned text.
    Only versions whose text shows a suspect character are looked at value by value.
    """
    for change in changes:
        text = change.data_json
        if (text is not None and not _SUSPECT.search(text)
                and (text.isascii() or unicodedata.is_normalized("NFC", text))):
            continue
        cleaned = clean_fields(change.data)
        if cleaned is not change.data:
            change.data = cleaned
            change.data_json = None


def _unknown_columns(changes: list[RemoteChange]) -> set[tuple[str, str]]:
    """The (table, column) pairs of ``changes`` that this version does not know."""
    unknown: set[tuple[str, str]] = set()
    allowed: dict[str, frozenset[str]] = {}
    for c in changes:
        known = allowed.get(c.tbl)
        if known is None:
            known = allowed[c.tbl] = allowed_columns(SYNCED_COLUMNS.get(c.tbl, ()))
        if not known.issuperset(c.data):
            unknown.update((c.tbl, col) for col in c.data if col not in known)
    return unknown
