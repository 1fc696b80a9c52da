"""Entry point of the built ``daryn`` executable (console)."""

import sys

from daryn_desktop.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
