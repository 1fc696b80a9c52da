"""Daryn Desktop: registry and road maps of gifted children, offline, with USB sync."""

__version__ = "0.1.0"

APP_NAME = "Daryn Desktop"
APP_ID = "kz.daryn.desktop"
