"""Safe output of what users typed: markdown that shows as typed, spreadsheet cells that never run."""
