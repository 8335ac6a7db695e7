"""Storage: tables, migrations, saves with their history, conflicts and limits, reading into frames, SQLite copies."""
