"""What an import will do, checked: built by wijk_import, saved by import_save."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from wijkmodel.model.indicators import format_number, indicator_label, shared_decimals


@dataclass(frozen=True)
class ImportPlan:
    """What an import will do, checked: one row per wijk of the file that belongs to the municipality."""

    rows: pd.DataFrame
    """row (as the user sees it), code, name, unit (existing id or <NA>), status."""
    values: pd.DataFrame
    """Same index as rows; one float column per indicator key (NaN: no value)."""
    whole: dict[str, float]
    """Values of the municipality's own row (GM code), for 'Gemeente als geheel'."""
    indicators: list[str]
    population: str | None
    """Indicator key that also sets the number of inhabitants."""
    year: int
    source: str
    municipality_code: str | None
    """The GM code to store on a municipality that had none."""
    skipped: dict[str, int] = field(default_factory=dict)

    def summary(self) -> list[str]:
        """Dutch lines for the preview and the CLI."""
        new = int((self.rows["status"] == "nieuw").sum())
        lines = [
            f"{len(self.rows)} wijken: {len(self.rows) - new} bestaande, {new} nieuwe.",
            f"{len(self.indicators)} kerncijfers voor {self.year}: "
            + ", ".join(indicator_label(k) for k in self.indicators[:8])
            + (f" en {len(self.indicators) - 8} meer" if len(self.indicators) > 8 else "")
            + ".",
            f"Bron: {self.source}.",
        ]
        if self.whole:
            lines.append("De rij van de gemeente zelf gaat naar 'Gemeente als geheel'.")
        for what, count in self.skipped.items():
            lines.append(f"Overgeslagen, {what}: {format_number(count)}.")
        if (self.rows["status"] == "nieuw").any() and (self.rows["name"] == self.rows["code"]).any():
            lines.append("Wijken zonder naam in het bestand krijgen hun code als naam; pas die aan op Start.")
        return lines

    def preview(self) -> pd.DataFrame:
        """The rows as a Dutch table: Rij, Code, Naam, Wat gebeurt er, then the indicators."""
        table = pd.DataFrame(
            {
                "Rij": self.rows["row"],
                "Code": self.rows["code"].fillna(""),
                "Naam": self.rows["name"],
                "Wat gebeurt er": self.rows["status"].map(
                    {"nieuw": "nieuwe wijk", "bestaand": "bestaande wijk", "code": "bestaande wijk, krijgt code"}
                ),
            }
        )
        for key in self.indicators:
            decimals = shared_decimals(self.values[key])
            table[indicator_label(key)] = [format_number(v, decimals) for v in self.values[key]]
        return table.reset_index(drop=True)
