"""Road-map screens: the editor of one pupil's road map and the main window's section."""
