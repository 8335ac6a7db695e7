"""The maturity model: its files' schema, the loader, and tables of it for display."""
