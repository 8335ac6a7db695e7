"""The steering-meeting exports in one place, for the app and the command line alike:
deck (.pptx), report (.pdf) and workbook (.xlsx) of one municipality."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from sqlalchemy.orm import Session

from wijkmodel.analysis.summary import MunicipalityProfile
from wijkmodel.analysis.views import slug
from wijkmodel.charts.base import sized
from wijkmodel.exports.briefing import build_briefing, chosen_units
from wijkmodel.exports.deck import build_deck, picture_box
from wijkmodel.exports.images import Renderer
from wijkmodel.exports.parts import chosen_parts
from wijkmodel.exports.region import briefing_region_slides, municipality_regions
from wijkmodel.exports.report_pdf import build_report
from wijkmodel.exports.slides import Briefing, Slide
from wijkmodel.exports.workbook import build_workbook
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.access import EVERYONE, Actor
from wijkmodel.storage.municipalities import find_municipality
from wijkmodel.wijkdata.boundaries import load_unit_geometries


class ExportKind(StrEnum):
    PPTX = "pptx"
    PDF = "pdf"
    XLSX = "xlsx"

    @property
    def mime(self) -> str:
        return {
            ExportKind.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            ExportKind.PDF: "application/pdf",
            ExportKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }[self]

    @property
    def label(self) -> str:
        return {ExportKind.PPTX: "presentatie", ExportKind.PDF: "verslag", ExportKind.XLSX: "gegevens"}[self]


@dataclass(frozen=True)
class Illustrated:
    """A briefing with a PNG of each of its charts."""

    briefing: Briefing
    images: dict[str, bytes]


PIXELS_PER_INCH = 128
"""Chart pixels per inch of slide: with fonts 1.5x larger, chart text reads at about 12 pt."""
SLIDE_SCALE = 1.5
"""Pixel scale of slide images: 192 pixels per inch, sharper than a 1920-pixel beamer needs (144)
and a quarter of the pixels of 2x, which is most of the time an image takes."""


def for_slide(slide: Slide, figure: go.Figure) -> go.Figure:
    """The chart sized to its box on the deck slide (the report uses the same image, full width)."""
    width, height = picture_box(slide)
    return sized(figure, round(width * PIXELS_PER_INCH), round(height * PIXELS_PER_INCH))


def slide_figures(briefing: Briefing) -> list[tuple[Slide, go.Figure]]:
    """Every chart of the briefing as its picture is made: sized to its box on the slide."""
    return [(slide, for_slide(slide, figure)) for slide, figure in briefing.figures()]


def illustrated_briefing(
    mp: MunicipalityProfile,
    round_id: int,
    model: MaturityModel,
    *,
    today: dt.date,
    wijken: list[str] | None = None,
    geometries: dict[int, dict[str, Any]] | None = None,
    parts: Collection[str] | None = None,
    region: Sequence[Slide] = (),
) -> Illustrated:
    """Build the slides of the chosen parts while the browser starts, then render every chart in that one browser."""
    chosen_units(mp, wijken)  # an unknown wijk or part is refused before a browser starts
    chosen_parts(parts)
    with Renderer() as renderer:
        briefing = build_briefing(
            mp, round_id, model, today=today, wijken=wijken, geometries=geometries, parts=parts, region=region
        )
        figures = slide_figures(briefing)
        pngs = renderer.render([figure for _, figure in figures], scale=SLIDE_SCALE)
    return Illustrated(briefing, {slide.key: png for (slide, _), png in zip(figures, pngs, strict=True)})


def file_name(kind: ExportKind, municipality: str, round_label: str | None) -> str:
    """'wijkmodel-voorbeeldstad-2026-presentatie.pptx': safe on every file system."""
    return f"wijkmodel-{slug(municipality, round_label or 'alle-rondes', kind.label)}.{kind.value}"


def export(
    kind: ExportKind,
    *,
    session: Session,
    mp: MunicipalityProfile,
    round_id: int | None,
    model: MaturityModel,
    today: dt.date,
    wijken: list[str] | None = None,
    parts: Collection[str] | None = None,
    viewer: Actor = EVERYONE,
) -> bytes:
    """The file's bytes. The deck and report show one round (the latest when None) and the chosen
    `parts` (wijkmodel.exports.parts; None: the default ones); the workbook holds every round unless
    one is chosen, and every part. `viewer`: who downloads (with login, the account): the part 'regio'
    and the workbook's sheet 'Regio' hold only the municipalities it may see."""
    municipality = find_municipality(session=session, name=mp.name)
    regions = (
        municipality_regions(session=session, municipality_id=municipality.id, model=model, viewer=viewer)
        if municipality is not None and (kind is ExportKind.XLSX or "regio" in chosen_parts(parts))
        else []
    )
    if kind is ExportKind.XLSX:
        unit_ids = chosen_units(mp, wijken) if wijken else None
        return build_workbook(
            session=session,
            mp=mp,
            model=model,
            today=today,
            round_ids=None if round_id is None else [round_id],
            unit_ids=unit_ids,
            regions=regions,
        )
    if round_id is None:
        round_id = int(mp.frames.rounds["round"].iloc[-1])
    geometries = load_unit_geometries(session=session, unit_ids=[int(u) for u in mp.frames.units["unit"]])
    chosen = mp.frames.rounds.set_index("round").loc[round_id]
    year = pd.Timestamp(chosen["date"]).year
    region = briefing_region_slides(regions, str(chosen["label"]), year, model, today) if regions else []
    illustrated = illustrated_briefing(
        mp, round_id, model, today=today, wijken=wijken, geometries=geometries, parts=parts, region=region
    )
    build = build_deck if kind is ExportKind.PPTX else build_report
    return build(illustrated.briefing, illustrated.images)
