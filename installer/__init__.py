"""Building the program for people: PyInstaller spec, its helpers, installers and checks."""
