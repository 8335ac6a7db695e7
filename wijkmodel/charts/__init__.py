"""Plotly charts: the shared style, profiles, comparisons, the cycle, maps, the priority matrix."""
