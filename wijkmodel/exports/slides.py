"""The briefing's pieces: a slide, a table as text, and the briefing that holds the slides in order.
The slides are built in briefing, briefing_analysis and briefing_cycle; deck, report and
Presenteren show them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pandas as pd
import plotly.graph_objects as go

from wijkmodel.charts.base import without_title


@dataclass(frozen=True)
class TableData:
    """A table as text, ready for PowerPoint, PDF or the screen."""

    columns: list[str]
    rows: list[list[str]]

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=self.columns)

    def column_shares(self) -> list[float]:
        """Width share per column by its longest text (capped), but never so narrow that a word
        must break: a long text column such as an action's description gets room, a date does not."""

        def need(c: int) -> float:
            cells = [str(row[c]) for row in self.rows]
            longest_text = min(max((len(t) for t in cells), default=0), 45)
            longest_word = max((len(w) for t in cells for w in t.split()), default=0)
            heading_word = max((len(w) for w in self.columns[c].split()), default=0)
            # headings are bold: their longest word counts a third wider
            return max(longest_text, 1.15 * longest_word, 1.35 * heading_word) + 6

        lengths = [need(c) for c in range(len(self.columns))]
        return [n / sum(lengths) for n in lengths]


@dataclass(frozen=True)
class Slide:
    """One slide: a title, and a chart, a table and/or points; notes carry the numbers behind it."""

    key: str
    """Stable id, also the file name of its image ('overzicht', 'profiel-3', ...)."""
    section: str
    title: str
    figure: go.Figure | None = None
    table: TableData | None = None
    bullets: list[str] = field(default_factory=list)
    notes: str = ""
    alt_text: str = ""
    """The chart's title and its numbers in short, for screen readers."""


@dataclass(frozen=True)
class Briefing:
    """Everything for one steering meeting."""

    municipality: str
    round_label: str
    round_date: dt.date
    """The date of the round (its meeting or survey), on the title slide."""
    date: dt.date
    """The day the briefing was made, in the charts' captions."""
    model_version: str
    parts: list[Slide | Callable[[], Slide]]
    """The slides in order; a profile slide is built only when asked for (`slide`), so Presenteren
    stays fast for a municipality of a thousand wijken."""

    def __len__(self) -> int:
        return len(self.parts)

    def slide(self, index: int) -> Slide:
        """The slide at `index` (0-based), built now when it was left for later; its chart without
        the title inside (the slide's title says it)."""
        part = self.parts[index]
        slide = part if isinstance(part, Slide) else part()
        return slide if slide.figure is None else replace(slide, figure=without_title(slide.figure))

    @property
    def slides(self) -> list[Slide]:
        """Every slide, built (the deck and the report)."""
        return [self.slide(i) for i in range(len(self.parts))]

    @property
    def title(self) -> str:
        return f"Wijkgericht werken in {self.municipality}"

    @property
    def subtitle(self) -> str:
        return f"Waar staan we per wijk? · Ronde {self.round_label} · {self.round_date.strftime('%d-%m-%Y')}"

    def figures(self) -> list[tuple[Slide, go.Figure]]:
        return [(s, s.figure) for s in self.slides if s.figure is not None]
