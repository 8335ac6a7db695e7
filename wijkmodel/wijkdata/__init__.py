"""Figures and boundaries of wijken: files, mapping, import and save, country import, CBS, boundaries, template."""
