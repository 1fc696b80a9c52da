"""The ``daryn keys`` and ``daryn sync`` commands: pairing, key care, bundles."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from daryn_desktop.cli.arguments import file_ending
from daryn_desktop.cli.password import read_password
from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_, _, ngettext
from daryn_desktop.paths import default_db_path
from daryn_desktop.storage.database import Store, open_store


class NotConfirmed(UserError):
    message = N_("Pairing needs the fingerprint compared: pass --fingerprint with the digits"
                 " the other side reads out, or --yes after comparing them.")


class Declined(UserError):
    message = N_("Not paired: the fingerprints were not confirmed.")


def _open(args: argparse.Namespace) -> Store:
    path = Path(args.db) if args.db else default_db_path(args.data_dir)
    if not path.exists():
        return open_store(path)
    store = open_store(path, password=read_password())
    from daryn_desktop.sync.identity import ensure_identity

    ensure_identity(store)  # a database made before sync existed gets its keys now
    return store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("keys", help=_("this installation's keys and pairing"))
    keys = p.add_subparsers(dest="keys_command", required=True, metavar="COMMAND")
    q = keys.add_parser("card", help=_("write this installation's key card"))
    q.add_argument("--out", required=True, metavar="FILE",
                   help=_("file or folder (e.g. the USB stick)"))
    q.set_defaults(func=keys_card)
    q = keys.add_parser("trust", help=_("pair with the installation of a key card"))
    q.add_argument("file", metavar="FILE")
    q.add_argument("--fingerprint", metavar="DIGITS",
                   help=_("the fingerprint the other side read out"))
    q.add_argument("--yes", action="store_true",
                   help=_("the fingerprints were compared and are the same"))
    q.set_defaults(func=keys_trust)
    q = keys.add_parser("list", help=_("this installation's keys and the paired installations"))
    q.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    q.set_defaults(func=keys_list)
    q = keys.add_parser("revoke", help=_("revoke a lost or stolen installation (region)"))
    q.add_argument("site", metavar="SITE", help=_("site id (or its start) or name"))
    q.set_defaults(func=keys_revoke)
    q = keys.add_parser("rotate", help=_("make new keys; the old ones are kept for old bundles"))
    q.set_defaults(func=keys_rotate)
    backup_help = _("save the private keys in a passphrase-protected file (the passphrase is"
                    " asked for, or taken from DARYN_BACKUP_PASSPHRASE)")
    q = keys.add_parser("backup", help=backup_help, description=backup_help)
    q.add_argument("--out", required=True, metavar="FILE")
    q.set_defaults(func=keys_backup)
    q = keys.add_parser("check-backup", help=_("test that a key backup opens"))
    q.add_argument("file", metavar="FILE")
    q.set_defaults(func=keys_check_backup)
    q = keys.add_parser("restore-backup",
                        help=_("add the keys of a backup (to read bundles for an old PC)"))
    q.add_argument("file", metavar="FILE")
    q.set_defaults(func=keys_restore_backup)
    q = keys.add_parser("escrow", help=_("make a new escrow key and its printable sheet (region)"))
    q.add_argument("--out", required=True, metavar="FILE.pdf", type=file_ending(".pdf"))
    q.set_defaults(func=keys_escrow)

    p = sub.add_parser("sync", help=_("encrypted bundles to and from the region"))
    sync = p.add_subparsers(dest="sync_command", required=True, metavar="COMMAND")
    q = sync.add_parser("export", help=_("write a bundle of everything not yet acknowledged"))
    q.add_argument("--out", required=True, metavar="DIR")
    q.add_argument("--to", metavar="SITE", help=_("the installation (region: each district)"))
    q.add_argument("--full", action="store_true",
                   help=_("repeat everything (a full restore for a new PC)"))
    q.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    q.set_defaults(func=sync_export)
    q = sync.add_parser("import", help=_("import bundles"))
    q.add_argument("files", nargs="+", metavar="FILE")
    q.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    q.set_defaults(func=sync_import)
    q = sync.add_parser("status", help=_("peers, acknowledgements, conflicts, refused files"))
    q.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    q.set_defaults(func=sync_status)
    q = sync.add_parser("now", help=_("export to the outbox and import the inbox"))
    q.add_argument("--outbox", metavar="DIR")
    q.add_argument("--inbox", metavar="DIR")
    q.set_defaults(func=sync_now)


# -- keys ------------------------------------------------------------------------------------
def keys_card(args: argparse.Namespace) -> int:
    from daryn_desktop.sync.card import my_card, write_card

    with _open(args) as store:
        path = write_card(store, Path(args.out))
        card = my_card(store)
    print(_("Key card written to {path}.").format(path=path))
    print(_("Fingerprint to read aloud: {fingerprint}").format(fingerprint=card.fingerprint))
    return 0


def keys_trust(args: argparse.Namespace) -> int:
    from daryn_desktop.sync.card import my_card, read_card
    from daryn_desktop.sync.peers import check_card, trust_card

    card = read_card(Path(args.file))
    with _open(args) as store:
        check_card(store, card)
        print(_("Card of “{name}” ({role}, {territory}).").format(
            name=card.name, role=card.role, territory=card.district_kato or card.region_kato))
        print(_("Its fingerprint: {fingerprint}").format(fingerprint=card.fingerprint))
        print(_("Our fingerprint: {fingerprint}").format(fingerprint=my_card(store).fingerprint))
        if args.fingerprint is None and not args.yes:
            if not sys.stdin.isatty():
                raise NotConfirmed()
            answer = input(_("Does the other side read exactly this fingerprint? [y/N] "))
            if answer.strip().lower() not in ("y", "yes", "и", "иә", "д", "да"):
                raise Declined()
        peer = trust_card(store, card, fingerprint=args.fingerprint)
    print(_("Paired with “{name}”.").format(name=peer.name))
    return 0


def keys_list(args: argparse.Namespace) -> int:
    from daryn_desktop.sync.card import my_card
    from daryn_desktop.sync.identity import own_keys
    from daryn_desktop.sync.peers import peers

    with _open(args) as store:
        card = my_card(store)
        own: list[dict[str, Any]] = [{"key_id": k.key_id, "kind": k.kind, "status": k.status}
               for kind in ("sign", "age") for k in own_keys(store, kind)]
        paired: list[dict[str, Any]] = [{"site_id": p.site_id, "name": p.name, "role": p.role,
                   "district_kato": p.district_kato, "status": p.status,
                   "acknowledged": p.their_ack} for p in peers(store)]
    if args.json:
        json.dump({"fingerprint": card.fingerprint, "site_id": card.site_id, "keys": own,
                   "peers": paired}, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    print(_("Fingerprint: {fingerprint}").format(fingerprint=card.fingerprint))
    for key in own:
        print(f"  {key['kind']:4}  {key['key_id']}  {key['status']}")
    print(ngettext("{count} paired installation:", "{count} paired installations:",
                   len(paired)).format(count=len(paired)))
    for peer in paired:
        print(f"  {peer['site_id'][:12]}  {peer['role']:8}  {peer['status']:8}  {peer['name']}")
    return 0


def keys_revoke(args: argparse.Namespace) -> int:
    from daryn_desktop.sync.peers import find_peer, revoke

    with _open(args) as store:
        peer = revoke(store, find_peer(store, args.site).site_id)
    print(_("Revoked “{name}”: its bundles will be refused.").format(name=peer.name))
    return 0


def keys_rotate(args: argparse.Namespace) -> int:
    from daryn_desktop.sync.card import my_card
    from daryn_desktop.sync.identity import rotate_keys

    with _open(args) as store:
        rotate_keys(store)
        card = my_card(store)
    print(_("New keys made; the old ones are kept to read old bundles."))
    print(_("New fingerprint: {fingerprint}").format(fingerprint=card.fingerprint))
    return 0


def _passphrase(confirm: bool) -> str:
    return read_password(confirm=confirm, env="DARYN_BACKUP_PASSPHRASE",
                         prompt=N_("Backup passphrase: "))


def keys_backup(args: argparse.Namespace) -> int:
    from daryn_desktop.sync.backup import write_key_backup

    with _open(args) as store:
        path = write_key_backup(store, Path(args.out), _passphrase(True))
    print(_("Key backup written to {path}. Keep it and its passphrase apart.").format(path=path))
    return 0


def keys_check_backup(args: argparse.Namespace) -> int:
    from daryn_desktop.sync.backup import read_key_backup

    keys = read_key_backup(Path(args.file), _passphrase(False))
    print(ngettext("The backup opens: {count} key.", "The backup opens: {count} keys.",
                   len(keys)).format(count=len(keys)))
    return 0


def keys_restore_backup(args: argparse.Namespace) -> int:
    from daryn_desktop.sync.backup import restore_key_backup

    with _open(args) as store:
        added = restore_key_backup(store, Path(args.file), _passphrase(False))
    print(ngettext("{count} key added.", "{count} keys added.", added).format(count=added))
    return 0


def show_escrow(secret: str) -> None:
    """Print a region's escrow secret once, as text and as a QR code, to be printed."""
    from daryn_desktop.sync.escrow import terminal_qr

    print(_("Escrow key of the regional centre (shown only once — print it and keep it in a"
            " safe):"))
    print(f"    {secret}")
    print(terminal_qr(secret))


def keys_escrow(args: argparse.Namespace) -> int:
    from daryn_desktop.sync.escrow import write_escrow_sheet
    from daryn_desktop.sync.identity import forget_escrow_secret, new_escrow_key

    with _open(args) as store:
        escrow = new_escrow_key(store)
        path = write_escrow_sheet(Path(args.out), escrow.pending_secret or "", escrow.recipient,
                                  store.installation.name)
        forget_escrow_secret(store)
    print(_("Escrow sheet written to {path}: print it, lock it away, then delete the file.")
          .format(path=path))
    return 0


# -- sync ------------------------------------------------------------------------------------
def sync_export(args: argparse.Namespace) -> int:
    from daryn_desktop.sync.export import export_bundle, recipients_for_export

    results = []
    with _open(args) as store:
        for peer in recipients_for_export(store, args.to):
            results.append(export_bundle(store, Path(args.out), peer, full=args.full))
    if args.json:
        json.dump([{"file": str(r.path), "bundle_id": r.bundle_id, "to": r.peer.site_id,
                    "changes": r.changes, "tables": r.tables, "size": r.size, "since": r.since,
                    "upto": r.upto} for r in results], sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    for r in results:
        print(ngettext("{file}: {count} change for “{name}” ({size} bytes), checked.",
                       "{file}: {count} changes for “{name}” ({size} bytes), checked.",
                       r.changes).format(file=r.path, count=r.changes, name=r.peer.name,
                                         size=r.size))
    print(_("Safe to remove the stick."))
    return 0


def sync_import(args: argparse.Namespace) -> int:
    from daryn_desktop.sync.importer import REFUSED, import_files

    with _open(args) as store:
        outcomes = import_files(store, [Path(f) for f in args.files])
    if args.json:
        json.dump([{"file": str(o.path), "status": o.status, "reason": o.reason,
                    "message": o.message, "new_changes": o.new_changes, "tables": o.tables,
                    "conflicts": o.conflicts} for o in outcomes],
                  sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        for o in outcomes:
            print(o.describe(), file=sys.stderr if o.status == REFUSED else sys.stdout)
    return 1 if any(o.status == REFUSED for o in outcomes) else 0


def _shown(value: object) -> str:
    """A field's value in one line of text (conflict lists)."""
    if value is None or value == "":
        return "—"
    text = str(value).replace("\n", " ")
    return text if len(text) <= 60 else text[:59] + "…"


def sync_status(args: argparse.Namespace) -> int:
    from daryn_desktop.storage.health import unacknowledged_changes
    from daryn_desktop.sync.conflicts import list_conflicts
    from daryn_desktop.sync.folders import quarantined
    from daryn_desktop.sync.peers import peers

    with _open(args) as store:
        conflicts: list[dict[str, Any]] = [
            {"record": c.record, "table": c.tbl, "row_id": c.row_id, "field": c.col,
             "values": [{"value": v.value, "from": v.source, "shown": v.shown}
                        for v in c.candidates]}
            for c in list_conflicts(store)]
        facts: dict[str, Any] = {"unacknowledged_changes": unacknowledged_changes(store),
                 "conflicts": len(conflicts), "conflict_list": conflicts,
                 "quarantined": [{"file": q["file"], "reason": q["reason"],
                                  "message": q.get("message")} for q in quarantined(store)],
                 "peers": [{"name": p.name, "site_id": p.site_id, "status": p.status,
                            "last_import_at": p.last_import_at,
                            "last_export_at": p.last_export_at} for p in peers(store)]}
    if args.json:
        json.dump(facts, sys.stdout, ensure_ascii=False, indent=2, default=str)
        print()
        return 0
    print(_("Changes not yet acknowledged by the region: {count}").format(
        count=facts["unacknowledged_changes"]))
    print(_("Conflicts waiting for a decision: {count}").format(count=facts["conflicts"]))
    for conflict in conflicts:
        values = "  |  ".join(
            _("“{value}” from {source}").format(value=_shown(v["value"]), source=v["from"])
            + (" " + _("(shown)") if v["shown"] else "") for v in conflict["values"])
        print("  " + _("{record}, {field}: {values}").format(
            record=conflict["record"], field=_field_label(conflict["table"], conflict["field"]),
            values=values))
    print(_("Refused files in quarantine: {count}").format(count=len(facts["quarantined"])))
    for peer in facts["peers"]:
        print(_("{name}: last imported {imported}, last exported {exported}").format(
            name=peer["name"], imported=peer["last_import_at"] or "—",
            exported=peer["last_export_at"] or "—"))
    return 0


def _field_label(table: str, column: str) -> str:
    """A field's name as the application shows it, where it has one."""
    from daryn_desktop.core.fields import FIELD_NAMES

    label = FIELD_NAMES.get(column)
    return _(label) if label else f"{table}.{column}"


def sync_now(args: argparse.Namespace) -> int:
    from daryn_desktop.sync.importer import REFUSED
    from daryn_desktop.sync.transport import folders, set_folders
    from daryn_desktop.sync.transport import sync_now as run

    with _open(args) as store:
        if args.outbox or args.inbox:
            outbox, inbox = folders(store)
            set_folders(store, Path(args.outbox or outbox), Path(args.inbox or inbox))
        result = run(store)
    for o in result.imported:
        print(o.describe())
    for r in result.exported:
        print(_("Exported {count} changes for “{name}” to {file}.").format(
            count=r.changes, name=r.peer.name, file=r.path))
    for peer in result.nothing_new:
        print(_("Nothing new for “{name}”: no file written.").format(name=peer.name))
    if result.removed:
        print(ngettext("{count} bundle the other side acknowledged was removed from the outbox.",
                       "{count} bundles the other side acknowledged were removed from the"
                       " outbox.", len(result.removed)).format(count=len(result.removed)))
    for error in result.errors:
        print(error, file=sys.stderr)
    return 1 if any(o.status == REFUSED for o in result.imported) else 0
