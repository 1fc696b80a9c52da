"""The one SQLite (SQLCipher) file: opening, keys, migrations, the write path, repositories."""
