"""Spreadsheets in: reading class lists, schools, staff and results from Excel, OpenDocument
and CSV files, and importing them through the write path (the rules are in core.imports;
every spreadsheet the program writes is made by reports.xlsx)."""
