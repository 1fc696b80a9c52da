"""The spreadsheet import wizard."""
