"""Translations (gettext, kk by default, ru and en) for every layer, with no Qt involved.

Message ids are English. Mark strings with ``_()`` where they are shown, ``N_()`` where they
are defined before the language is known, and ``ngettext()`` for counts. Placeholders are
named (``{count}``) so that translators may reorder them.
"""

from __future__ import annotations

import gettext as _gettext
import io
import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path

from daryn_desktop.paths import resource_path

DOMAIN = "daryn"
LANGUAGES = ("kk", "ru", "en")
DEFAULT_LANGUAGE = "kk"
#: Names of the languages in themselves, for language pickers.
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}

_lock = threading.Lock()
_current = DEFAULT_LANGUAGE


def _compile_po(po_path: Path) -> _gettext.GNUTranslations:
    """Compile a .po catalogue in memory (source checkouts have no .mo files)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(po_path, "rb") as fh:
        catalog = read_po(fh)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


@cache
def translator(lang: str) -> _gettext.NullTranslations:
    """The translations of one language; unknown languages fall back to the message ids."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    folder = resource_path("translations", lang, "LC_MESSAGES")
    mo, po = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with open(mo, "rb") as fh:
            return _gettext.GNUTranslations(fh)
    if po.exists():
        return _compile_po(po)
    return _gettext.NullTranslations()


def set_language(lang: str) -> None:
    """Switch the language of every later ``_()`` call in this process."""
    global _current
    translator(lang)  # fail early on an unknown language
    with _lock:
        _current = lang


def current_language() -> str:
    return _current


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return translator(_current).gettext(message)


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext name
    """Mark ``message`` for extraction without translating it yet."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message whose form depends on the number ``n``."""
    return translator(_current).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """Translate ``message`` within a context, for words with several meanings."""
    return translator(_current).pgettext(context, message)


def gettext_for(lang: str) -> Callable[[str], str]:
    """A ``_`` bound to ``lang``: documents may be printed in a language other than the UI's."""
    return translator(lang).gettext
