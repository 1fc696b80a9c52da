"""Background jobs now live with tasks in ``gui/tasks.py``, the one operation API; these names
stay importable here until the last callers (the Reports section) import them from there."""

from daryn_desktop.gui.tasks import BackgroundRunner, Work, cancel_all, run_after_queued

__all__ = ["BackgroundRunner", "Work", "cancel_all", "run_after_queued"]
