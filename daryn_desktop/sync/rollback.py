"""A database restored from an older copy: its version numbers must not be used twice.

Every bundle names the newest of the recipient's own versions the sender holds: its number
and clock (``held`` in the manifest). If this installation would still give that number to
a new version, or holds a version of that number written at another time, its database has
gone back in time (a copy restored after a failure): the versions written since carry
numbers the peer already holds for other edits, and would be dropped there as duplicates.
So, in the import's transaction, the versions written here that the peer has not
acknowledged get new numbers and new log positions (they are sent again), the counters jump
past what the peer has seen, and a district asks the region for a full restore to get back
its own edits that the copy lacked. A peer that receives colliding numbers before that
refuses the bundle (:class:`~daryn_desktop.sync.errors.SenderRolledBack`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from daryn_desktop.storage import syncstate
from daryn_desktop.storage.changelog import LogCodec, decode_id, encode_id, log_json

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store
    from daryn_desktop.storage.writer import Writer

#: ``local_state`` key: this district asks the region to send everything again.
RESTORE_WANTED = "restore_wanted"


def held_of(store: Store, peer_site: str) -> list[int]:
    """``[number, clock]`` of the newest of ``peer_site``'s own versions held here, or []."""
    num = LogCodec(store.db).known_site(peer_site)
    row = None if num is None else syncstate.newest_version_of(store.db, num)
    return list(row) if row else []


def rolled_back(store: Store, writer: Writer, held: Any) -> int | None:
    """The highest number of ours the peer holds, if this database is older than that."""
    try:
        number, clock = (int(v) for v in held)
    except (TypeError, ValueError):
        return None  # nothing of ours there (or a bundle of an older program)
    if number >= writer.next_seq:
        return number
    ours = syncstate.version_clock(store.db, writer.codec.site_num(store.site_id), number)
    # A version erased here (a purged pupil, one moved away) is no evidence either way.
    return number if ours is not None and ours != clock else None


def _older_copy(store: Store) -> None:
    if store.installation.role.value == "district":
        syncstate.set_local(store.db, RESTORE_WANTED, "1")


def reposition_if_acked_beyond(store: Store, peer_site: str, ack: int) -> int:
    """The acknowledgement to record from ``peer_site``: ``ack``, or less if this database
    never sent that far (an older copy, its log positions used again since).

    Then the rows after what this database did send move above ``ack``, so that they are
    sent and the positions the peer acknowledged are never given again. Must run inside the
    import's ``store.transaction()``.
    """
    sent = syncstate.sent_upto(store.db, peer_site)
    if ack <= sent:
        return ack
    top = syncstate.top_position(store.db, ack)
    rows = syncstate.positions_after(store.db, sent)
    # Every target is above every row, so no two rows ever share a position.
    syncstate.move_positions(store.db, [(top + n, seq) for n, seq in enumerate(rows, 1)],
                             top + len(rows))
    _older_copy(store)
    return sent


def renumber_if_rolled_back(store: Store, writer: Writer, *, held: Any,
                            acked: int) -> int:
    """Renumber our versions the peer may hold under the same numbers for other edits.

    ``held``: the manifest's ``[number, clock]`` of the newest of ours the peer holds;
    ``acked``: the log position up to which the peer acknowledged our versions. Versions
    it acknowledged keep their numbers (it holds them); the others with a number the peer
    has seen get new numbers and new log positions (they are sent again), and the counters
    jump past what the peer has seen. Some of those it may hold already, under the old
    number and with the same content (sent before the copy was taken): they arrive twice,
    which agrees with itself (no conflict) unless the peer holds a later edit over them.
    Must run inside the import's ``store.transaction()``. Returns the number renumbered.
    """
    newest_held = rolled_back(store, writer, held)
    if newest_held is None:
        return 0
    me, codec = store.site_id, writer.codec
    mine = codec.site_num(me)
    writer.next_seq = max(writer.next_seq, newest_held + 1)
    # What we sent is no proof: a bundle of clashing numbers is sent, and refused.
    rows = [(seq, number, sup, codec.shape(shape).tbl, decode_id(row_id))
            for seq, number, sup, shape, row_id in syncstate.own_unreceived_after(
                store.db, mine, acked)]
    top = syncstate.top_position(store.db, acked)
    renamed: dict[int, int] = {}
    for _seq, number, _sup, _tbl, _row in rows:
        if number <= newest_held:
            renamed[number] = writer.next_seq
            writer.next_seq += 1

    def mapped(number: int) -> int:
        return renamed.get(number, number)

    moves = []
    for position, (seq, number, sup, _tbl, _row) in enumerate(rows, top + 1):
        if sup:
            links = json.loads(sup)
            sup = log_json({col: [[s, mapped(q) if s == mine else q] for s, q in ids]
                            for col, ids in links.items()})
        moves.append((position, mapped(number), sup, seq))
    # New positions above everything the peer acknowledged: they are exported again. Every
    # target is above every row, so no two rows ever share a position.
    # The heads and links of the renamed versions (found through their rows' keys), and the
    # links between our own versions (a later edit over an earlier one).
    syncstate.renumber_versions(
        store.db, mine, moves,
        [(renamed[number], tbl, encode_id(row), number) for _s, number, _p, tbl, row
         in rows if number in renamed], renamed, top + len(rows))
    _older_copy(store)
    return len(renamed)
