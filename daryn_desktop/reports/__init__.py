"""Printed documents made from the store: road maps (one or a batch) and pupil lists, as PDF."""
