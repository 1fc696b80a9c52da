"""The database key, kept only wrapped under the password and under the recovery code.

The key ring is a small JSON file beside the database (``daryn.db.keys``). Each wrap is
ChaCha20-Poly1305 under a key derived with Argon2id from the secret, with the parameters
recorded so that they can be raised in later versions without breaking old files.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from daryn_desktop.errors import UserError
from daryn_desktop.files import write_atomic
from daryn_desktop.i18n import N_

KEYRING_FORMAT = "daryn-keyring-1"
KEY_BYTES = 32
#: Crockford's base-32 alphabet: no I, L, O or U, so the code survives being read aloud.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECOVERY_CODE_GROUPS = 6
#: SQLCipher's per-file salt: the first bytes of the database file, fixed at its creation.
SALT_BYTES = 16


class WrongPassword(UserError):
    message = N_("The password is wrong.")
    hint = N_("Check the keyboard layout and Caps Lock, or use the recovery code.")


class WrongRecoveryCode(UserError):
    message = N_("The recovery code is wrong.")
    hint = N_("Type it exactly as printed; dashes and case do not matter.")


class KeyringMissing(UserError):
    message = N_("The key file {path} is missing, so the database cannot be opened.")
    hint = N_("Copy the .keys file that belongs to this database next to it.")


class KeyringDamaged(UserError):
    message = N_("The key file {path} is damaged or from an unknown version.")


class WeakPassword(UserError):
    message = N_("The password must have at least {min} characters.")


MIN_PASSWORD_LENGTH = 8


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost: about 0.3 s and 64 MiB on the PCs we target."""

    iterations: int = 3
    memory_kib: int = 64 * 1024
    lanes: int = 1

    def derive(self, secret: str, salt: bytes) -> bytes:
        kdf = Argon2id(
            salt=salt,
            length=KEY_BYTES,
            iterations=self.iterations,
            lanes=self.lanes,
            memory_cost=self.memory_kib,
        )
        return kdf.derive(secret.encode("utf-8"))

    def to_dict(self) -> dict[str, int]:
        return {"t": self.iterations, "m": self.memory_kib, "p": self.lanes}

    @classmethod
    def from_dict(cls, data: dict[str, int]) -> KdfParams:
        params = cls(int(data["t"]), int(data["m"]), int(data["p"]))
        # A tampered file must not make us allocate gigabytes or spin for minutes.
        if not (1 <= params.iterations <= 20 and 8 <= params.memory_kib <= 1024 * 1024
                and 1 <= params.lanes <= 8):
            raise ValueError("KDF parameters out of range")
        return params


DEFAULT_KDF = KdfParams()
#: Only for tests, which create hundreds of databases; never used by the product.
TEST_KDF = KdfParams(iterations=1, memory_kib=64, lanes=1)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def new_recovery_code() -> str:
    """A random code of 6 groups of 4 characters (120 bits), e.g. ``7KQ2-...``."""
    chars = [secrets.choice(_CODE_ALPHABET) for _ in range(4 * RECOVERY_CODE_GROUPS)]
    return "-".join("".join(chars[i : i + 4]) for i in range(0, len(chars), 4))


def normalize_recovery_code(code: str) -> str:
    """Accept lower case, spaces, and the letters people confuse with digits."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans("OIL", "011"))
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


def _wrap(secret: str, key: bytes, kdf: KdfParams, label: str, key_id: str) -> dict[str, Any]:
    salt, nonce = os.urandom(16), os.urandom(12)
    wrapping = kdf.derive(secret, salt)
    aad = f"{KEYRING_FORMAT}|{label}|{key_id}".encode()
    sealed = ChaCha20Poly1305(wrapping).encrypt(nonce, key, aad)
    return {"kdf": "argon2id", "params": kdf.to_dict(), "salt": _b64(salt), "nonce": _b64(nonce),
            "sealed": _b64(sealed)}


def _unwrap(entry: dict[str, Any], secret: str, label: str, key_id: str) -> bytes:
    kdf = KdfParams.from_dict(entry["params"])
    wrapping = kdf.derive(secret, _unb64(entry["salt"]))
    aad = f"{KEYRING_FORMAT}|{label}|{key_id}".encode()
    return ChaCha20Poly1305(wrapping).decrypt(_unb64(entry["nonce"]), _unb64(entry["sealed"]), aad)


@dataclass
class Keyring:
    """The wraps of one database key."""

    key_id: str
    password_wrap: dict[str, Any]
    recovery_wrap: dict[str, Any]
    #: The salt at the start of the database file this key opens (base64), noted so that a
    #: refusal can tell "this key file belongs to another database" from "the file is
    #: damaged". Not secret: it is in the database file itself. None in key files made
    #: before it was noted (it is added at the next open).
    db_salt: str | None = None

    @property
    def salt(self) -> bytes | None:
        return _unb64(self.db_salt) if self.db_salt else None

    def with_salt(self, salt: bytes) -> Keyring:
        return Keyring(self.key_id, self.password_wrap, self.recovery_wrap, _b64(salt))

    @classmethod
    def create(cls, password: str, kdf: KdfParams = DEFAULT_KDF) -> tuple[Keyring, bytes, str]:
        """A new random database key wrapped twice; returns the ring, the key and the code."""
        check_password_strength(password)
        key = secrets.token_bytes(KEY_BYTES)
        code = new_recovery_code()
        key_id = secrets.token_hex(8)
        ring = cls(key_id, _wrap(password, key, kdf, "password", key_id),
                   _wrap(normalize_recovery_code(code), key, kdf, "recovery", key_id))
        return ring, key, code

    def unlock(self, password: str) -> bytes:
        try:
            return _unwrap(self.password_wrap, password, "password", self.key_id)
        except InvalidTag:
            raise WrongPassword() from None

    def recover(self, code: str) -> bytes:
        try:
            return _unwrap(self.recovery_wrap, normalize_recovery_code(code), "recovery",
                           self.key_id)
        except InvalidTag:
            raise WrongRecoveryCode() from None

    def with_password(self, key: bytes, new_password: str, kdf: KdfParams = DEFAULT_KDF) -> Keyring:
        """The same key wrapped under a new password; the file itself is not re-encrypted."""
        check_password_strength(new_password)
        return Keyring(self.key_id, _wrap(new_password, key, kdf, "password", self.key_id),
                       self.recovery_wrap, self.db_salt)

    def to_json(self) -> str:
        document = {"format": KEYRING_FORMAT, "key_id": self.key_id,
                    "password": self.password_wrap, "recovery": self.recovery_wrap}
        if self.db_salt:
            document["db_salt"] = self.db_salt
        return json.dumps(document, indent=2)

    @classmethod
    def from_json(cls, text: str) -> Keyring:
        data = json.loads(text)
        if data.get("format") != KEYRING_FORMAT:
            raise ValueError("unknown key ring format")
        salt = data.get("db_salt")
        if salt is not None and (not isinstance(salt, str) or len(_unb64(salt)) != SALT_BYTES):
            raise ValueError("db_salt")
        return cls(data["key_id"], data["password"], data["recovery"], salt)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(min=MIN_PASSWORD_LENGTH)


def password_strength(password: str) -> int:
    """A rough 0–4 score for the strength hint shown while typing a new password."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return 0
    classes = sum(
        any(test(ch) for ch in password)
        for test in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
    )
    score = 1 + (len(password) >= 12) + (classes >= 3) + (len(set(password)) >= 10)
    return min(score, 4)


KEYS_SUFFIX = ".keys"


def keyring_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + KEYS_SUFFIX)


def is_key_file(path: Path) -> bool:
    """Whether ``path`` is a key file (named so, and JSON, where a database starts with its
    random salt)."""
    if path.suffix != KEYS_SUFFIX or not path.is_file():
        return False
    try:
        with open(path, "rb") as fh:
            return fh.read(1) == b"{"
    except OSError:
        return False


def load_keyring(db_path: Path) -> Keyring:
    path = keyring_path(db_path)
    if not path.exists():
        raise KeyringMissing(path=str(path))
    try:
        return Keyring.from_json(path.read_text(encoding="utf-8"))
    except (ValueError, KeyError, TypeError) as exc:
        raise KeyringDamaged(path=str(path)) from exc


def save_keyring(db_path: Path, ring: Keyring) -> None:
    """Write the key ring atomically and owner-only: a half-written key file would lose the
    database, and a failed write (a full disk) leaves the old one and no temporary copy."""
    write_atomic(keyring_path(db_path), ring.to_json().encode("utf-8"))
