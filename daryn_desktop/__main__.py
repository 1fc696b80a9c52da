"""``python -m daryn_desktop`` runs the ``daryn`` command."""

from daryn_desktop.cli.main import main

raise SystemExit(main())
