"""Message catalogues: extract marked strings, update the kk/ru/en .po files, compile, check.

    python tools/i18n.py extract   # daryn_desktop/**.py -> resources/translations/daryn.pot
    python tools/i18n.py update    # merge the template into kk, ru and en catalogues
    python tools/i18n.py compile   # .po -> .mo (done by the build; the app also reads .po)
    python tools/i18n.py check     # every message translated, placeholders kept, template fresh
    python tools/i18n.py merge BASE OURS THEIRS   # git merge driver for the catalogues

The catalogues name the files a message comes from but not the line numbers, so that an
edit elsewhere in a file does not touch them; two branches that add messages are merged by
the driver (``.gitattributes``), which keeps every message and translation of both sides:

    git config merge.daryn-po.driver "python tools/i18n.py merge %O %A %B"
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "daryn_desktop"
TRANSLATIONS = ROOT / "resources" / "translations"
TEMPLATE = TRANSLATIONS / "daryn.pot"
LANGUAGES = ("kk", "ru", "en")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "tr": None}
_PLACEHOLDER = re.compile(r"\{(\w+)(?:[:!][^}]*)?\}")


def po_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "daryn.po"


def extract() -> Catalog:
    """Every marked message of the package, with where it is used."""
    catalog = Catalog(project="Daryn Desktop", charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            str(SOURCE), method_map=[("**.py", "python")], keywords=KEYWORDS,
            comment_tags=("Translators:",), strip_comment_tags=True):
        path = f"daryn_desktop/{filename}"
        catalog.add(message, None, [(path, lineno)], auto_comments=comments, context=context)
    return catalog


def write_template(catalog: Catalog) -> None:
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    with open(TEMPLATE, "wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False, sort_output=True,
                 include_lineno=False)


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with open(path, "rb") as fh:
        return read_po(fh, locale=locale)


def update() -> None:
    template = extract()
    write_template(template)
    for lang in LANGUAGES:
        path = po_path(lang)
        if path.exists():
            catalog = read_catalog(path, lang)
        else:
            catalog = Catalog(locale=lang, project="Daryn Desktop", charset="utf-8", fuzzy=False)
        # Matching by similarity would mark guesses as fuzzy; we prefer an honest blank.
        catalog.update(template, no_fuzzy_matching=True)
        if lang == "en":  # English is the message ids themselves
            for message in catalog:
                if message.id and not any(message.string if message.pluralizable
                                          else [message.string]):
                    message.string = tuple(message.id) if message.pluralizable else message.id
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            write_po(fh, catalog, width=100, sort_output=True, ignore_obsolete=True,
                     include_lineno=False)


def merge(ours: Path, theirs: Path) -> None:
    """Write into ``ours`` the union of both catalogues: every message of either side, with
    the translation of the side that has one (ours when both do). Messages that neither
    side's code uses any more are dropped by the next ``update``."""
    mine, other = read_catalog(ours), read_catalog(theirs)
    for message in other:
        if not message.id:
            continue
        kept = mine.get(message.id, context=message.context)
        if kept is None:
            mine[message.id] = message
            continue
        strings = kept.string if isinstance(kept.string, (list, tuple)) else [kept.string]
        if (kept.fuzzy or not all(strings)) and not message.fuzzy:
            kept.string = message.string
            kept.flags.discard("fuzzy")
        kept.locations = sorted(set(kept.locations) | set(message.locations))
    with open(ours, "wb") as fh:
        write_po(fh, mine, width=100, omit_header=False, sort_output=True,
                 include_lineno=False)


def compile_all() -> None:
    for lang in LANGUAGES:
        catalog = read_catalog(po_path(lang), lang)
        with open(po_path(lang).with_suffix(".mo"), "wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)


def _placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def problems() -> list[str]:
    """Untranslated, fuzzy or mismatched messages, and a stale template; empty when all good."""
    found: list[str] = []
    current = {m.id if isinstance(m.id, str) else m.id[0] for m in extract() if m.id}
    for lang in LANGUAGES:
        catalog = read_catalog(po_path(lang), lang)
        ids = set()
        for message in catalog:
            if not message.id:
                continue
            ids.add(message.id if isinstance(message.id, str) else message.id[0])
            singular = message.id if isinstance(message.id, str) else message.id[0]
            strings = message.string if isinstance(message.string, (list, tuple)) else [
                message.string]
            if message.fuzzy or not all(strings):
                found.append(f"{lang}: untranslated: {singular!r}")
                continue
            wanted = _placeholders(singular)
            for s in strings:
                if _placeholders(s) - wanted - _placeholders(
                        message.id[1] if isinstance(message.id, tuple) else ""):
                    found.append(f"{lang}: unknown placeholder in translation of {singular!r}")
                elif wanted - _placeholders(s) - {"count", "n"}:
                    found.append(f"{lang}: placeholder missing in translation of {singular!r}")
        for missing in sorted(current - ids):
            found.append(f"{lang}: not in catalogue (run update): {missing!r}")
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("extract", "update", "compile", "check", "merge"))
    parser.add_argument("files", nargs="*", type=Path,
                        help="merge: the common ancestor, ours (written) and theirs")
    args = parser.parse_args()
    action = args.action
    if action == "merge":
        if len(args.files) != 3:
            parser.error("merge needs BASE OURS THEIRS")
        merge(args.files[1], args.files[2])
    elif action == "extract":
        write_template(extract())
    elif action == "update":
        update()
    elif action == "compile":
        compile_all()
    else:
        found = problems()
        for line in found:
            print(line)
        print(f"{len(found)} problem(s)")
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
