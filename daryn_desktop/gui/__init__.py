"""The desktop application (PySide6): the only layer that imports Qt."""
