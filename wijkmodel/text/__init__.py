"""Safe output of what users typed (markdown that shows as typed, spreadsheet cells that never run), and the
words the app explains (`glossary`)."""
