"""Sync between district installations and their regional centre: keys, bundles, merge."""
