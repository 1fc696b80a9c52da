"""The ``daryn`` command: set-up, demo data, listing, checks — for scripts and IT staff."""
