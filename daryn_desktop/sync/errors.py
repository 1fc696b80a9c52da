"""Why a bundle, a key card or a key backup was refused: specific, translated reasons."""

from __future__ import annotations

from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_


class SyncError(UserError):
    """A sync operation that cannot go on; the database is unchanged."""


class BundleRefused(SyncError):
    """A bundle that was not imported; ``code`` names the reason for scripts and tests."""

    code = "refused"
    hint = N_("The file was kept in the quarantine folder; nothing was imported from it.")


class TooLarge(BundleRefused):
    code = "too_large"
    message = N_("The file is too large to be a sync bundle.")


class NotABundle(BundleRefused):
    code = "not_a_bundle"
    message = N_("The file is not a Daryn sync bundle.")


class Unreadable(BundleRefused):
    code = "unreadable"
    message = N_("The file could not be read ({reason}).")
    hint = N_("Check the stick or folder it is on and import it again.")


class Truncated(BundleRefused):
    code = "truncated"
    message = N_("The bundle is incomplete (the file was cut short, perhaps by removing the"
                 " stick too early).")


class Damaged(BundleRefused):
    code = "damaged"
    message = N_("The bundle is damaged: its beginning is not what a bundle's is (a byte of it"
                 " changed, perhaps on a failing stick).")
    hint = N_("Ask for the bundle again (the next one repeats everything); the damaged file"
              " was kept in the quarantine folder.")


class BadHeader(BundleRefused):
    code = "bad_header"
    message = N_("The bundle's signed header holds values no Daryn Desktop writes (for"
                 " example an id that is not an id).")
    hint = N_("The file was kept in the quarantine folder; nothing was imported from it. Tell"
              " whoever looks after the sending installation.")


class NewerFormat(BundleRefused):
    code = "newer_format"
    message = N_("The bundle was written by a newer version of Daryn Desktop.")
    hint = N_("Install the newest version of the program and import the file again.")


class UnknownSender(BundleRefused):
    code = "unknown_sender"
    message = N_("The bundle is signed with a key this installation does not know: it comes"
                 " from an installation this one is not paired with (or its header was"
                 " damaged).")
    hint = N_("Pair the two installations with their key cards first; the file was kept.")


class RevokedKey(BundleRefused):
    code = "revoked_key"
    message = N_("The bundle was signed with a key that has been revoked.")


class BadSignature(BundleRefused):
    code = "bad_signature"
    message = N_("The bundle's signature is not valid: it was changed or forged.")


class NotAddressedToUs(BundleRefused):
    code = "not_addressed_to_us"
    message = N_("The bundle is addressed to another installation.")
    hint = N_("Give it to the installation it was made for; the file was kept.")


class AnotherRegion(BundleRefused):
    code = "another_region"
    message = N_("The bundle comes from another region ({region}).")


class TamperedPayload(BundleRefused):
    code = "tampered_payload"
    message = N_("The bundle's contents were changed after it was signed.")


class CannotDecrypt(BundleRefused):
    code = "cannot_decrypt"
    message = N_("The bundle cannot be decrypted with this installation's keys.")


class InnerMismatch(BundleRefused):
    code = "inner_mismatch"
    message = N_("The bundle's contents do not match its signed header.")


class FromOurselves(BundleRefused):
    code = "from_ourselves"
    message = N_("This bundle was written by this installation itself.")
    hint = N_("Take it to the installation it is addressed to.")


class SenderRolledBack(BundleRefused):
    code = "sender_rolled_back"
    message = N_("The sending installation's database is older than what was already received"
                 " from it (it was restored from a copy): its new changes reuse numbers of"
                 " earlier ones.")
    hint = N_("The file was kept in the quarantine folder. Bring a bundle from this"
              " installation to that one: it then renumbers its new changes, and its next"
              " bundle is accepted. An older file from before the copy was put back stays"
              " refused: its changes clash with ones already received.")


class CardRefused(SyncError):
    """A key card that cannot be trusted."""


class NotAKeyCard(CardRefused):
    message = N_("The file is not a valid Daryn key card.")


class CardOfAnotherRegion(CardRefused):
    message = N_("The key card belongs to another region ({region}).")


class CardWrongRole(CardRefused):
    message = N_("A district installation pairs only with its regional centre, and a regional"
                 " centre only with its districts.")


class CardOfOurselves(CardRefused):
    message = N_("This is this installation's own key card.")


class FingerprintMismatch(CardRefused):
    message = N_("The fingerprint does not match the card: do not pair.")
    hint = N_("Ask for a new key card; someone may have changed this one.")


class NoPeer(SyncError):
    """Nothing to export to: the region has no district paired yet."""

    message = N_("This installation is not paired with any district installation yet.")
    hint = N_("Import the other side's key card in the Sync section (or with “daryn keys"
              " trust”).")


class NoRegionPeer(NoPeer):
    """A district not yet paired with its regional centre."""

    message = N_("This installation is not paired with the regional centre yet.")


class UnknownPeer(SyncError):
    message = N_("No paired installation matches “{site}”.")


class PeerRevoked(SyncError):
    message = N_("The installation “{name}” has been revoked; nothing is sent to it.")


class OnlyRegion(SyncError):
    message = N_("Only a regional centre can do this.")


class WrongPassphrase(SyncError):
    message = N_("The passphrase is wrong or the key backup file is damaged.")


class NotABackup(SyncError):
    message = N_("The file is not a Daryn key backup.")


class VerifyFailed(SyncError):
    message = N_("The bundle written to {path} could not be read back correctly.")
    hint = N_("The stick may be failing or full: try another one before removing it.")
