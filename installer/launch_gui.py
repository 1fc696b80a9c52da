"""Entry point of the built ``daryn-desktop`` executable (windowed)."""

import sys

from daryn_desktop.gui.app import main

if __name__ == "__main__":
    sys.exit(main())
