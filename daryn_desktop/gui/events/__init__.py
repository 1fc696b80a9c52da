"""The Events & achievements section: calendar, results, support, projects, staff."""
