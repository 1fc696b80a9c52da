"""The Sync section: pairing, export to a stick, import, conflicts, keys."""
