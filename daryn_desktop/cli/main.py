"""Parsing of the ``daryn`` command line and dispatch to the commands."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from daryn_desktop import __version__
from daryn_desktop.cli import (
    backup_commands,
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
from daryn_desktop.cli.output import guard_output, quiet_broken_pipe
from daryn_desktop.errors import UserError
from daryn_desktop.files import explain_os_error
from daryn_desktop.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, _, set_language
from daryn_desktop.storage.database import explain_failure, is_sqlite_error


class UsageError(UserError):
    message = N_("{problem}")
    hint = N_("“daryn --help” lists the commands, “daryn COMMAND --help” their options.")


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake on the command line is one line and exit code 1, like every
    other refusal (argparse itself prints its usage and exits with 2)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(problem=f"{self.prog}: {message}")


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """--db, --data-dir and --lang, accepted before the sub-command and after it.

    After a sub-command that has an option of the same name (``roadmap pdf --lang``: the
    document's language), that option keeps its meaning there.
    """
    default = argparse.SUPPRESS if suppress else None
    options = (("--db", {"help": _("database file (default: DARYN_DB or the data folder)")}),
               ("--data-dir", {"help": _("keep all data in this folder (portable use)")}),
               ("--lang", {"choices": LANGUAGES, "help": _("language of messages")}))
    for flag, extra in options:
        if flag not in parser._option_string_actions:
            parser.add_argument(flag, default=default, **extra)


def _after_sub_commands(parser: argparse.ArgumentParser) -> None:
    """Give every sub-command (at any depth) the global options; given there, they win."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in {id(c): c for c in action.choices.values()}.values():
                _global_options(child, suppress=True)
                _after_sub_commands(child)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="daryn", description=_("Daryn Desktop: registry and road maps of gifted children."))
    parser.add_argument("--version", action="version", version=f"Daryn Desktop {__version__}")
    _global_options(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("init", help=_("create the database, the installation and its keys"))
    p.add_argument("--role", choices=("district", "region"), required=True)
    p.add_argument("--region", required=True, metavar="KATO", help=_("KATO code of the region"))
    p.add_argument("--district", metavar="KATO", help=_("KATO code of the district"))
    p.add_argument("--name", required=True, help=_("name of this installation"))
    p.set_defaults(func=commands.init)

    p = sub.add_parser("demo", help=_("fill a database with realistic synthetic data"))
    p.add_argument("--pupils", type=int, default=2000, metavar="N",
                   help=_("how many pupils (1 to {max})").format(max=commands.MAX_DEMO_PUPILS))
    p.add_argument("--seed", type=int, default=1, metavar="S")
    p.set_defaults(func=commands.demo)

    p = sub.add_parser("pupils", help=_("pupils in the registry"))
    pupils = p.add_subparsers(dest="pupils_command", required=True, metavar="COMMAND")
    q = pupils.add_parser("list", help=_("list pupils (the same search as the application)"))
    q.add_argument("--search", default="", metavar="TEXT",
                   help=_("words of the name, IIN or school"))
    q.add_argument("--limit", type=int, default=100, metavar="N",
                   help=_("show at most N pupils (default 100; 0 shows all)"))
    q.add_argument("--all", action="store_true", help=_("include archived pupils"))
    q.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    export_commands.add_list_options(q)
    q.set_defaults(func=commands.pupils_list)

    p = sub.add_parser("doctor", help=_("check the database: integrity, schema, keys, changes"))
    p.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    p.add_argument("--remove-orphan", action="store_true",
                   help=_("move a database without its key file out of the way (it is kept"
                          " in the backups folder)"))
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
    backup_commands.register(sub)
    _after_sub_commands(parser)
    return parser


def _language(args: list[str]) -> str:
    """The language asked for anywhere on the line (``--lang ru`` or ``--lang=ru``), for
    the help texts, which are translated before the parser exists; an unknown one is
    refused by the parser, in the language of DARYN_LANG (or Kazakh)."""
    lang = os.environ.get("DARYN_LANG", DEFAULT_LANGUAGE)
    for i, arg in enumerate(args):
        if arg == "--":
            break
        asked = args[i + 1] if arg == "--lang" and i + 1 < len(args) else (
            arg.split("=", 1)[1] if arg.startswith("--lang=") else None)
        if asked in LANGUAGES:
            lang = asked
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit code (0 on success)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    # The language must be set before the parser is built, since help texts are translated.
    set_language(_language(args_list))
    for stream in (sys.stdout, sys.stderr):
        # Kazakh letters must print on a Windows console whatever its code page.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    args: argparse.Namespace | None = None
    with guard_output():
        try:
            args = build_parser().parse_args(args_list)
            if args.lang:
                set_language(args.lang)
            return args.func(args) or 0
        except UserError as exc:
            return _refuse(exc)
        except KeyboardInterrupt:
            print(_("Interrupted."), file=sys.stderr)
            return 130
        except BrokenPipeError:
            # The reader went away (``daryn pupils list | head``): nothing more to say.
            return quiet_broken_pipe()
        except OSError as exc:
            return _refuse(explain_os_error(exc))
        except Exception as exc:
            if not is_sqlite_error(exc):
                raise
            return _refuse(explain_failure(exc, commands.db_path(args)))


def _refuse(exc: UserError) -> int:
    print(_("Error: {message}").format(message=exc.translated()), file=sys.stderr)
    return 1
