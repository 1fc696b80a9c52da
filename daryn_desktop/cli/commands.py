"""The commands of ``daryn``; each takes the parsed arguments and returns an exit code."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from daryn_desktop.cli.password import read_password
from daryn_desktop.cli.sync_commands import show_escrow
from daryn_desktop.core.enums import Role
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.core.validation import check_installation_name
from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_, _, current_language, ngettext
from daryn_desktop.paths import default_db_path
from daryn_desktop.storage.database import (
    DatabaseExists,
    Store,
    create_store,
    open_store,
    orphan_database,
    set_aside_orphan,
)
from daryn_desktop.storage.health import health_report
from daryn_desktop.storage.keyring import is_key_file, keyring_path
from daryn_desktop.storage.search import count_pupils, search_pupils
from daryn_desktop.sync.identity import current_escrow, ensure_identity, forget_escrow_secret


class UnknownRegion(UserError):
    message = N_("{code} is not a region in the KATO classifier.")


class UnknownDistrict(UserError):
    message = N_("{code} is not a district in the KATO classifier.")


class DistrictNotInRegion(UserError):
    message = N_("District {district} does not belong to region {region}.")


class RegionWithDistrict(UserError):
    message = N_("A regional centre covers the whole region: “--district” is only for a"
                 " district installation.")
    hint = N_("Leave out “--district”, or use “--role district”.")


class DemoSize(UserError):
    message = N_("The number of pupils must be between 1 and {max} (not {count}).")


class DemoOnPairedInstallation(UserError):
    message = N_("{path} is paired with another installation: demo pupils added to it would"
                 " travel there in the next bundle.")
    hint = N_("Make demo data in a database of its own: daryn demo --db demo.db")


class DemoOnRealData(UserError):
    message = N_("{path} already holds pupils that are not demo data: demo pupils would mix"
                 " with them.")
    hint = N_("Make demo data in a database of its own: daryn demo --db demo.db")


class KeyFileGiven(UserError):
    message = N_("{path} is a key file, not a database.")
    hint = N_("Give the database itself: {database}")


class OrphanDatabase(UserError):
    message = N_("{path} has no key file ({keys}), so nobody can open it. This happens when"
                 " setting it up (“daryn init” or “daryn demo”) was interrupted, and then it"
                 " holds no data; or when its key file was moved or deleted.")
    hint = N_("If you do have its .keys file (a backup, another folder), copy it beside the"
              " database. Otherwise run “daryn doctor --remove-orphan”: the file is moved to"
              " the backups folder, and “daryn init” can set up the database again.")


#: A demo larger than the 100,000 pupils of a big region is a typing mistake.
MAX_DEMO_PUPILS = 1_000_000


def db_path(args: argparse.Namespace | None) -> Path:
    """The database a command works on: --db, else the data folder's (or DARYN_DB).

    A key file given in its place is refused: taken for a database without its key file, it
    would be moved aside by ``doctor --remove-orphan``, and the real database with it lost.
    """
    db = getattr(args, "db", None)
    path = Path(db) if db else default_db_path(getattr(args, "data_dir", None))
    if is_key_file(path):
        raise KeyFileGiven(path=str(path), database=str(path.with_suffix("")))
    return path


_db_path = db_path


def _open(args: argparse.Namespace) -> Store:
    path = _db_path(args)
    if not path.exists():
        # Fail before asking for a password that could not be used anyway.
        return open_store(path)
    return open_store(path, password=read_password())


def _show_recovery_code(code: str) -> None:
    print(_("Recovery code (shown only once — print or write it down and keep it safe):"))
    print(f"    {code}")
    print(_("With this code the database can be opened if the password is forgotten."))


def _check_territory(role: str, region: str, district: str | None) -> None:
    places = gazetteer()
    reg = places.find(region)
    if reg is None or reg.level != "region":
        raise UnknownRegion(code=region)
    if role == "district":
        dist = places.find(district)
        if dist is None or dist.level != "district":
            raise UnknownDistrict(code=district or "—")
        if dist.parent != region:
            raise DistrictNotInRegion(district=district, region=region)


def init(args: argparse.Namespace) -> int:
    if args.role == "region" and args.district:
        raise RegionWithDistrict()
    _check_territory(args.role, args.region, args.district)
    check_installation_name(args.name)
    path = _db_path(args)
    if orphan_database(path):
        raise OrphanDatabase(path=str(path), keys=keyring_path(path).name)
    if path.exists():
        raise DatabaseExists(path=str(path))  # before asking for a password in vain
    password = read_password(confirm=True)
    store, code = create_store(path, password, role=Role(args.role), region_kato=args.region,
                               district_kato=args.district if args.role == "district" else None,
                               name=args.name)
    with store:
        ensure_identity(store)
        print(_("Created the database {path}.").format(path=path))
        _show_recovery_code(code)
        escrow = current_escrow(store)
        if escrow is not None and escrow.pending_secret:
            show_escrow(escrow.pending_secret)
            forget_escrow_secret(store)
    return 0


def demo(args: argparse.Namespace) -> int:
    from daryn_desktop.demo.generator import DEMO_DATA, generate
    from daryn_desktop.sync.peers import peers

    if not 1 <= args.pupils <= MAX_DEMO_PUPILS:
        raise DemoSize(max=MAX_DEMO_PUPILS, count=args.pupils)
    path = _db_path(args)
    if path.exists():
        store = open_store(path, password=read_password())
    else:
        store, code = create_store(path, read_password(confirm=True), role=Role.REGION,
                                   region_kato="150000000", name=_("Demo installation"))
        print(_("Created the database {path}.").format(path=path))
        _show_recovery_code(code)
    with store:
        # Synthetic pupils have valid IINs and real schools' places: mixed into real data,
        # or sent to the region, nobody could tell them apart any more.
        if peers(store):
            raise DemoOnPairedInstallation(path=str(path))
        if store.state(DEMO_DATA) is None and store.repos.pupils.count():
            raise DemoOnRealData(path=str(path))
        summary = generate(store, args.pupils, seed=args.seed)
    print(ngettext("Added {count} pupil in {seconds:.1f} s.",
                   "Added {count} pupils in {seconds:.1f} s.", summary.pupils).format(
        count=summary.pupils, seconds=summary.seconds))
    return 0


def pupils_list(args: argparse.Namespace) -> int:
    from daryn_desktop.cli.export_commands import list_query, save_list

    with _open(args) as store:
        query = list_query(store, args)
        if getattr(args, "out", None):
            return save_list(store, query, args)
        total = count_pupils(store, query)
        rows = search_pupils(store, query, limit=args.limit if args.limit > 0 else total)
    if args.json:
        json.dump([{"id": r.id, "full_name": r.full_name, "surname": r.surname,
                    "given_name": r.given_name, "patronymic": r.patronymic, "iin": r.iin,
                    "grade": r.grade, "class_letter": r.class_letter, "school": r.school_name,
                    "status": r.status} for r in rows],
                  sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    for r in rows:
        grade = f"{r.grade}{r.class_letter or ''}"
        print(f"{r.iin}  {r.full_name:<40}  {grade:>4}  {r.school_name}")
    if len(rows) < total:
        print(ngettext("{shown} of {count} pupil shown; --limit 0 shows all",
                       "{shown} of {count} pupils shown; --limit 0 shows all", total).format(
            shown=len(rows), count=total))
    else:
        print(ngettext("{shown} of {count} pupil", "{shown} of {count} pupils", total).format(
            shown=len(rows), count=total))
    return 0


def doctor(args: argparse.Namespace) -> int:
    path = _db_path(args)
    if orphan_database(path):
        if not args.remove_orphan:
            raise OrphanDatabase(path=str(path), keys=keyring_path(path).name)
        kept = set_aside_orphan(path)
        print(_("The database without a key file was moved to {path}; “daryn init” can set"
                " up a new one now.").format(path=kept))
        return 0
    with _open(args) as store:
        report = health_report(store, lang=current_language())
    if args.json:
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        for line in report.lines():
            print(line)
    return 0 if report.healthy else 1


def passwd(args: argparse.Namespace) -> int:
    from daryn_desktop.storage.database import change_password

    path = _db_path(args)
    if not path.exists():
        open_store(path)  # raises the "no database" message
    if args.recovery:
        code = read_password(env="DARYN_RECOVERY_CODE", prompt=N_("Recovery code: "))
        new = read_password(confirm=True, env="DARYN_NEW_PASSWORD",
                            prompt=N_("New password: "))
        change_password(path, new, recovery_code=code)
    else:
        old = read_password()
        new = read_password(confirm=True, env="DARYN_NEW_PASSWORD", prompt=N_("New password: "))
        change_password(path, new, old_password=old)
    print(_("The password was changed."))
    return 0
