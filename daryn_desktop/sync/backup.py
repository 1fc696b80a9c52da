"""Key backups: this installation's private keys in a file protected by a passphrase.

Argon2id with fixed parameters recorded in the file (not calibrated to the machine, so a
slower PC can still open it) and ChaCha20-Poly1305. Not age's scrypt recipient: its work
factor cannot be fixed through pyrage (see research/sync.md §0).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from daryn_desktop.storage import syncstate
from daryn_desktop.storage.keyring import DEFAULT_KDF, KdfParams
from daryn_desktop.sync import crypto
from daryn_desktop.sync.errors import NotABackup, WrongPassphrase
from daryn_desktop.sync.folders import write_atomic

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

BACKUP_FORMAT = "daryn-key-backup-1"
BACKUP_SUFFIX = ".dkb"
MAX_BACKUP_BYTES = 1024 * 1024


def write_key_backup(store: Store, path: Path, passphrase: str, *,
                     kdf: KdfParams = DEFAULT_KDF) -> Path:
    from daryn_desktop.storage.keyring import check_password_strength

    check_password_strength(passphrase)
    keys = [dict(zip(("key_id", "kind", "public", "secret", "status"), r))
            for r in syncstate.all_own_keys(store.db)]
    salt, nonce = os.urandom(16), os.urandom(12)
    aad = f"{BACKUP_FORMAT}|{store.site_id}".encode()
    sealed = ChaCha20Poly1305(kdf.derive(passphrase, salt)).encrypt(
        nonce, crypto.canonical(keys), aad)
    document = {"format": BACKUP_FORMAT, "site_id": store.site_id,
                "installation": store.installation.name, "kdf": "argon2id",
                "params": kdf.to_dict(), "salt": crypto.b64(salt), "nonce": crypto.b64(nonce),
                "sealed": crypto.b64(sealed)}
    path = Path(path)
    write_atomic(path, json.dumps(document, ensure_ascii=False, indent=2).encode())
    return path


def read_key_backup(path: Path, passphrase: str) -> list[dict[str, Any]]:
    """The keys in a backup (a test-decrypt when only checking); raises on a wrong phrase."""
    try:
        raw = Path(path).read_bytes()
        if len(raw) > MAX_BACKUP_BYTES:
            raise ValueError("too large")
        document = json.loads(raw)
        if document.get("format") != BACKUP_FORMAT:
            raise ValueError("format")
        kdf = KdfParams.from_dict(document["params"])
        salt, nonce = crypto.unb64(document["salt"]), crypto.unb64(document["nonce"])
        sealed = crypto.unb64(document["sealed"])
        aad = f"{BACKUP_FORMAT}|{document['site_id']}".encode()
    except (OSError, ValueError, KeyError, TypeError):
        raise NotABackup() from None
    try:
        plain = ChaCha20Poly1305(kdf.derive(passphrase, salt)).decrypt(nonce, sealed, aad)
    except InvalidTag:
        raise WrongPassphrase() from None
    keys: list[dict[str, Any]] = json.loads(plain)
    return keys


def restore_key_backup(store: Store, path: Path, passphrase: str) -> int:
    """Add the keys of a backup as old keys of this installation (to read old bundles).

    A restored database keeps its own new site id and current keys. Returns how many keys
    were added.
    """
    keys = read_key_backup(path, passphrase)
    added = 0
    with store.db.atomic():
        for key in keys:
            added += syncstate.restore_own_key(store.db, key["key_id"], key["kind"],
                                               key["public"], key["secret"])
    return added
