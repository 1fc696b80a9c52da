"""The pupil editor: a pupil and everything recorded about them, edited and saved as one."""
