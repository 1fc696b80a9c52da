"""Two kinds of failure: expected ones a person can act on (UserError), and bugs."""

from __future__ import annotations

from typing import Any

from daryn_desktop.i18n import _


class DarynError(Exception):
    """Base of every error the product raises on purpose."""


class UserError(DarynError):
    """An expected failure (bad input, wrong password, full disk) with a translated message.

    The message is stored untranslated (marked with ``N_``) with named placeholders, and
    translated when shown, so that the language switch and the CLI both get it right.
    """

    message: str = "Something went wrong."
    hint: str | None = None

    def __init__(self, message: str | None = None, *, hint: str | None = None, **params: Any):
        if message is not None:
            self.message = message
        if hint is not None:
            self.hint = hint
        self.params = params
        super().__init__(self.message.format(**params) if params else self.message)

    def translated(self) -> str:
        """The message (and hint, if any) in the current language."""
        text = _(self.message).format(**self.params)
        if self.hint:
            text = f"{text} {_(self.hint).format(**self.params)}"
        return text
