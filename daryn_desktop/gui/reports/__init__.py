"""The Reports section: the decree's statistics on screen, as files and on paper."""
