"""The JSON backup of one municipality (docs/backup-format.md): its format, the export, the checks on a
file, and the all-or-nothing restore."""
