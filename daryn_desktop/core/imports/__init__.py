"""Rules for importing spreadsheets: headers, cell values, matching, and what a row would change.

Nothing here reads a file or a database: the rows come in as lists of cell values (from
``daryn_desktop.spreadsheets``) and the records already registered through the small lookup
protocols of :mod:`daryn_desktop.core.imports.plan`; what comes out is a plan of writes with a
reason for every row that cannot be imported.
"""
