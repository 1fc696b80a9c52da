"""Parsing of the ``daryn`` command line and dispatch to the commands."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from daryn_desktop import __version__
from daryn_desktop.cli import (
    commands,
    events_commands,
    export_commands,
    import_commands,
    roadmap_commands,
    selftest,
    stats_commands,
    sync_commands,
    year_commands,
)
from daryn_desktop.errors import UserError
from daryn_desktop.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, set_language


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="daryn", description=_("Daryn Desktop: registry and road maps of gifted children."))
    parser.add_argument("--version", action="version", version=f"Daryn Desktop {__version__}")
    parser.add_argument("--db", help=_("database file (default: DARYN_DB or the data folder)"))
    parser.add_argument("--data-dir", help=_("keep all data in this folder (portable use)"))
    parser.add_argument("--lang", choices=LANGUAGES, help=_("language of messages"))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("init", help=_("create the database, the installation and its keys"))
    p.add_argument("--role", choices=("district", "region"), required=True)
    p.add_argument("--region", required=True, metavar="KATO", help=_("KATO code of the region"))
    p.add_argument("--district", metavar="KATO", help=_("KATO code of the district"))
    p.add_argument("--name", required=True, help=_("name of this installation"))
    p.set_defaults(func=commands.init)

    p = sub.add_parser("demo", help=_("fill a database with realistic synthetic data"))
    p.add_argument("--pupils", type=int, default=2000, metavar="N")
    p.add_argument("--seed", type=int, default=1, metavar="S")
    p.set_defaults(func=commands.demo)

    p = sub.add_parser("pupils", help=_("pupils in the registry"))
    pupils = p.add_subparsers(dest="pupils_command", required=True, metavar="COMMAND")
    q = pupils.add_parser("list", help=_("list pupils (the same search as the application)"))
    q.add_argument("--search", default="", metavar="TEXT",
                   help=_("words of the name, IIN or school"))
    q.add_argument("--limit", type=int, default=100)
    q.add_argument("--all", action="store_true", help=_("include archived pupils"))
    q.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    export_commands.add_list_options(q)
    q.set_defaults(func=commands.pupils_list)

    p = sub.add_parser("doctor", help=_("check the database: integrity, schema, keys, changes"))
    p.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    p.set_defaults(func=commands.doctor)

    p = sub.add_parser("passwd", help=_("change the password (with the old one or the code)"))
    p.add_argument("--recovery", action="store_true",
                   help=_("prove it with the recovery code instead of the old password"))
    p.set_defaults(func=commands.passwd)
    roadmap_commands.register(sub)
    events_commands.register(sub)
    sync_commands.register(sub)
    stats_commands.register(sub)
    selftest.register(sub)
    import_commands.register(sub)
    year_commands.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit code (0 on success)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    # The language must be set before the parser is built, since help texts are translated.
    lang = os.environ.get("DARYN_LANG", DEFAULT_LANGUAGE)
    if "--lang" in args_list:
        i = args_list.index("--lang")
        if i + 1 < len(args_list) and args_list[i + 1] in LANGUAGES:
            lang = args_list[i + 1]
    set_language(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)
    for stream in (sys.stdout, sys.stderr):
        # Kazakh letters must print on a Windows console whatever its code page.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    args = build_parser().parse_args(args_list)
    try:
        return args.func(args) or 0
    except UserError as exc:
        print(_("Error: {message}").format(message=exc.translated()), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(_("Interrupted."), file=sys.stderr)
        return 130
