"""The rules a municipality can choose for a wijk's overall phase. Light (no libraries), so the command
line can offer them without loading the scoring engine."""

from __future__ import annotations

from enum import StrEnum


class OverallRule(StrEnum):
    """How the six theme scores combine into a wijk's overall phase."""

    MEAN = "gemiddelde"
    MEDIAN = "mediaan"
    WEAKEST_LINK = "zwakste schakel"

    @property
    def label(self) -> str:
        """Dutch label used in captions."""
        return {
            OverallRule.MEAN: "gemiddelde van de thema's",
            OverallRule.MEDIAN: "middelste waarde van de thema's",
            OverallRule.WEAKEST_LINK: "zwakste schakel (laagste thema)",
        }[self]
