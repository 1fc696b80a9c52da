"""Key cards: an installation's public keys and place, self-signed, with a spoken fingerprint.

A card travels on the stick; the fingerprint (20 digits in five groups) is read aloud over
the phone so that both people know the card was not swapped on the way.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from daryn_desktop.core.validation import check_installation_name
from daryn_desktop.errors import UserError
from daryn_desktop.files import written_whole
from daryn_desktop.storage.health import key_fingerprint
from daryn_desktop.sync import crypto
from daryn_desktop.sync.bundle import ID, KATO
from daryn_desktop.sync.errors import NotAKeyCard
from daryn_desktop.sync.identity import age_key, current_escrow, signing_key

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

CARD_FORMAT = "daryn-key-card-1"
CARD_SUFFIX = ".dkc"
MAX_CARD_BYTES = 64 * 1024


@dataclass(frozen=True)
class KeyCard:
    site_id: str
    name: str
    role: str
    region_kato: str
    district_kato: str | None
    sign_key: str
    age_recipient: str
    escrow: str | None
    created_at: str

    def signed_part(self) -> dict[str, Any]:
        return {"format": CARD_FORMAT, **asdict(self)}

    @property
    def sign_key_id(self) -> str:
        return crypto.key_id(self.sign_key)

    @property
    def age_key_id(self) -> str:
        return crypto.key_id(self.age_recipient)

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.site_id, self.sign_key, self.age_recipient, self.escrow)


def fingerprint_of(site_id: str, sign_key: str, age_recipient: str, escrow: str | None) -> str:
    """Twenty digits in groups of four, from the SHA-256 of the keys (about 66 bits)."""
    return key_fingerprint(site_id, sign_key, age_recipient, escrow)


def normalize_fingerprint(text: str) -> str:
    digits = "".join(ch for ch in text if ch.isdigit())
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def my_card(store: Store) -> KeyCard:
    inst = store.installation
    escrow = current_escrow(store)
    return KeyCard(site_id=inst.site_id, name=inst.name, role=inst.role.value,
                   region_kato=inst.region_kato, district_kato=inst.district_kato,
                   sign_key=signing_key(store).public, age_recipient=age_key(store).public,
                   escrow=escrow.recipient if escrow else None, created_at=inst.created_at)


def card_bytes(store: Store) -> bytes:
    card = my_card(store)
    body = card.signed_part()
    signature = crypto.sign(signing_key(store).secret, crypto.canonical(body))
    return json.dumps({**body, "signature": crypto.b64(signature)}, ensure_ascii=False,
                      indent=2, sort_keys=True).encode()


def card_file_name(card: KeyCard) -> str:
    """A card's file name: the territory and the signing key's id, so that the cards of
    two installations (or one before and after new keys) never overwrite each other on a
    stick. (A site id starts with its creation time: its first digits are shared.)"""
    territory = card.district_kato or card.region_kato
    return f"daryn-card-{territory}-{card.sign_key_id[:8]}{CARD_SUFFIX}"


def write_card(store: Store, path: Path) -> Path:
    path = Path(path)
    if path.is_dir():
        path = path / card_file_name(my_card(store))
    # A card holds public keys only: readable by anyone who needs it, written whole.
    with written_whole(path) as part:
        part.write_bytes(card_bytes(store))
    return path


def parse_card(data: bytes) -> KeyCard:
    """A card from its file bytes, checked: well-formed, valid keys, valid self-signature."""
    if len(data) > MAX_CARD_BYTES:
        raise NotAKeyCard()
    try:
        raw = json.loads(data.decode("utf-8"))
        signature = crypto.unb64(raw.pop("signature"))
        if raw.pop("format") != CARD_FORMAT:
            raise ValueError("format")
        card = KeyCard(**raw)
        well_formed = (ID.fullmatch(card.site_id) and KATO.fullmatch(card.region_kato)
                       and (card.district_kato is None or KATO.fullmatch(card.district_kato))
                       and isinstance(card.created_at, str) and len(card.created_at) <= 40
                       and bool(check_installation_name(card.name)))
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError, UserError):
        raise NotAKeyCard() from None
    if (not well_formed or card.role not in ("district", "region")
            or not crypto.is_age_recipient(card.age_recipient)
            or (card.escrow is not None and not crypto.is_age_recipient(card.escrow))
            or not crypto.verify(card.sign_key, signature, crypto.canonical(card.signed_part()))):
        raise NotAKeyCard()
    return card


def read_card(path: Path) -> KeyCard:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError:
        raise NotAKeyCard() from None
    return parse_card(data)
