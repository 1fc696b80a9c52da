"""The cryptographic primitives of sync, in one place: Ed25519, age (X25519), key ids.

Ed25519 signs bundle headers, key cards and purges; age encrypts payloads to X25519
recipients; key ids are the first 8 bytes of the SHA-256 of a public key, in hex.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pyrage import x25519


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def canonical(data: Any) -> bytes:
    """The one byte form of a JSON value that is signed: sorted keys, no spaces, UTF-8."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def key_id(public: str) -> str:
    """A short, stable name of a public key (an Ed25519 key in base64 or an age recipient)."""
    return hashlib.sha256(public.encode("ascii")).hexdigest()[:16]


# -- Ed25519 ---------------------------------------------------------------------------------
def new_signing_key() -> tuple[str, str]:
    """A new Ed25519 key pair as (public, secret), both base64 of the raw 32 bytes."""
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return b64(public), b64(private.private_bytes_raw())


def sign(secret: str, message: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(unb64(secret)).sign(message)


def verify(public: str, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(unb64(public)).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


# -- age ---------------------------------------------------------------------------------------
def new_age_key() -> tuple[str, str]:
    """A new age X25519 identity as (recipient ``age1…``, secret ``AGE-SECRET-KEY-1…``)."""
    identity = x25519.Identity.generate()
    return str(identity.to_public()), str(identity)


def age_recipient_of(secret: str) -> str:
    return str(x25519.Identity.from_str(secret).to_public())


def is_age_recipient(text: str) -> bool:
    try:
        x25519.Recipient.from_str(text)
    except Exception:  # pyrage raises its own error types for malformed keys
        return False
    return True


def encrypt(plaintext: bytes, recipients: list[str]) -> bytes:
    sealed: bytes = pyrage.encrypt(plaintext, [x25519.Recipient.from_str(r) for r in recipients])
    return sealed


def decrypt(ciphertext: bytes, secrets: list[str]) -> bytes:
    """Decrypt with any of the identities; raises ``pyrage.DecryptError`` if none fits."""
    plain: bytes = pyrage.decrypt(ciphertext, [x25519.Identity.from_str(s) for s in secrets])
    return plain


def decrypt_stream(source: Any, sink: Any, secrets: list[str]) -> None:
    """Decrypt from ``source`` (``read``) into ``sink`` (``write``) a piece at a time, with
    any of the identities; raises ``pyrage.DecryptError`` if none fits, and whatever the
    sink raises."""
    pyrage.decrypt_io(source, sink, [x25519.Identity.from_str(s) for s in secrets])


DecryptError = pyrage.DecryptError
