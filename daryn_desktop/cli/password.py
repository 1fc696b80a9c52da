"""Passwords for commands: from DARYN_PASSWORD, or asked for on the terminal."""

from __future__ import annotations

import getpass
import os
import sys

from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_, _

PASSWORD_ENV = "DARYN_PASSWORD"


class PasswordNeeded(UserError):
    message = N_("A password is needed: set {variable} or run the command in a terminal.")


class PasswordsDiffer(UserError):
    message = N_("The two passwords differ.")


def read_password(*, confirm: bool = False, env: str = PASSWORD_ENV,
                  prompt: str = N_("Password: ")) -> str:
    """The password from the environment, or typed (twice when ``confirm``)."""
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise PasswordNeeded(variable=env)
    first = getpass.getpass(_(prompt))
    if confirm and getpass.getpass(_("Repeat the password: ")) != first:
        raise PasswordsDiffer()
    return first
