"""The JSON backup of one municipality: export and all-or-nothing import."""
