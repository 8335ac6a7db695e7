"""The scoring engine: one scale of 0 to 100, phases, profiles, and how a slider shows a stored value."""
