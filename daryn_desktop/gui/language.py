"""The interface language: our catalogues and Qt's own translations switched together.

Kept apart from ``gui/app.py`` (the start) so that the main window, which switches the
language from its menu, needs nothing from the module that creates it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from daryn_desktop.i18n import set_language

#: Qt's own translators currently installed (replaced on a language switch).
_qt_translators: list[QTranslator] = []


def install_translators(app: QCoreApplication, lang: str) -> None:
    """Qt's own dialogs (buttons, file pickers) in the same language as ours."""
    for old in _qt_translators:
        app.removeTranslator(old)
    _qt_translators.clear()
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase",):
        translator = QTranslator(app)
        if translator.load(QLocale(lang), name, "_", folder):
            app.installTranslator(translator)
            _qt_translators.append(translator)
    QLocale.setDefault(QLocale(lang))


def apply_language(app: QCoreApplication | None, lang: str) -> None:
    """Switch our texts and Qt's own to ``lang`` (windows made afterwards use it)."""
    set_language(lang)
    if app is not None:
        install_translators(app, lang)
