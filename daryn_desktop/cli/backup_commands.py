"""``daryn backup`` and ``daryn restore``: a checked copy of the database and its key file,
and putting such a copy back."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from daryn_desktop.cli.commands import db_path
from daryn_desktop.cli.password import read_password
from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_, _
from daryn_desktop.storage.backups import BackupInfo, inspect_backup, make_backup, restore_backup
from daryn_desktop.storage.database import open_store


class RestoreNotConfirmed(UserError):
    message = N_("Restoring replaces the database {path}: pass --yes to confirm (the current"
                 " one is kept in the backups folder).")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help=_("a checked copy of the database and its key file"))
    p.add_argument("--out", required=True, metavar="DIR",
                   help=_("folder for the copy (e.g. the USB stick)"))
    p.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    p.set_defaults(func=backup)
    p = sub.add_parser("restore", help=_("put a backup in the place of the database"))
    p.add_argument("file", metavar="FILE", help=_("the backup's .db file (its .keys beside it)"))
    p.add_argument("--recovery", action="store_true",
                   help=_("open the backup with its recovery code instead of its password"))
    p.add_argument("--yes", action="store_true",
                   help=_("replace the current database without asking"))
    p.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    p.set_defaults(func=restore)


_db_path = db_path


def _describe(info: BackupInfo) -> dict[str, object]:
    return {"file": str(info.path), "keys": str(info.keys_path), "bytes": info.size,
            "installation": info.installation, "role": info.role, "pupils": info.pupils,
            "road_maps": info.road_maps, "last_change": info.last_change}


def _facts_line(info: BackupInfo) -> str:
    return _("{installation}: {pupils} pupils, {road_maps} road maps; last change"
             " {when}").format(installation=info.installation, pupils=info.pupils,
                                road_maps=info.road_maps,
                                when=(info.last_change or "—")[:16].replace("T", " "))


def backup(args: argparse.Namespace) -> int:
    path = _db_path(args)
    if not path.exists():
        open_store(path)  # says that there is no database there
    with open_store(path, password=read_password()) as store:
        info = make_backup(store, Path(args.out), name=_("daryn-backup"))
    if args.json:
        print(json.dumps(_describe(info), ensure_ascii=False))
        return 0
    print(_("Backup written and checked (it opens): {file}").format(file=info.path))
    print(_("Key file beside it: {file}").format(file=info.keys_path))
    print(_facts_line(info))
    print(_("Keep both files together, away from this computer. The backup opens with the"
            " password (or recovery code) the database has now."))
    return 0


def restore(args: argparse.Namespace) -> int:
    source = Path(args.file)
    target = _db_path(args)
    password = code = None
    if args.recovery:
        code = read_password(env="DARYN_RECOVERY_CODE", prompt=N_("Recovery code: "))
    else:
        password = read_password(prompt=N_("Password of the backup: "))
    info = inspect_backup(source, password=password, recovery_code=code)
    if not args.json:
        print(_("The backup opens: {facts}.").format(facts=_facts_line(info)))
    if target.exists() and not args.yes:
        if not sys.stdin.isatty():
            raise RestoreNotConfirmed(path=str(target))
        print(_("The database {path} will be set aside in the backups folder and replaced"
                " by this backup. Changes made since the backup are lost on this computer;"
                " the region's next bundle brings back what it had received. Close Daryn"
                " Desktop first if it is open.").format(path=target))
        if input(_("Replace it? [y/N] ")).strip().lower() not in ("y", "yes", "д", "да", "и",
                                                                   "иә"):
            print(_("Nothing was changed."))
            return 1
    kept = restore_backup(source, target, password=password, recovery_code=code)
    if args.json:
        print(json.dumps({**_describe(info), "restored_to": str(target),
                          "set_aside": str(kept) if kept else None}, ensure_ascii=False))
        return 0
    print(_("The backup was put in place: {path}").format(path=target))
    if kept is not None:
        print(_("The database it replaced was kept: {path}").format(path=kept))
    return 0
