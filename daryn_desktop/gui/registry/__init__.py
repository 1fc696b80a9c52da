"""The Pupils section: the registry with search, filters, a live count and the editor."""
