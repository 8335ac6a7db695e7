"""The region's documents (issue 20): a deck with the section 'Regio' and a workbook, made from one
`Comparison` (so only the members the person may see: `storage.regions.visible_members`)."""

from __future__ import annotations

import datetime as dt
import io
import math

from openpyxl import Workbook

from wijkmodel.analysis.region import (
    BASES,
    MATCHES,
    MEAN_ROW,
    Comparison,
    RegionData,
    display_table,
    has_conditions,
    heatmap_table,
    items,
    progress,
    progress_table,
    wijk_scores,
)
from wijkmodel.analysis.views import item_names, slug
from wijkmodel.charts.region import region_heatmap, region_progress
from wijkmodel.exports.deck import build_deck
from wijkmodel.exports.downloads import SLIDE_SCALE, for_slide
from wijkmodel.exports.images import Renderer
from wijkmodel.exports.slides import Briefing, Slide, TableData
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.text import format_score, phase_label
from wijkmodel.text.spreadsheet import write_table

SECTION = "Regio"
ROWS_PER_SLIDE = 12


def _table_slides(comparison: Comparison, model: MaturityModel, which: list[str], title: str, key: str) -> list[Slide]:
    names = item_names(model)
    table = display_table(heatmap_table(comparison, model), comparison)
    columns = ["Gemeente", "Ronde", *[names[i] for i in which]]
    rows = [[str(name), *[str(table.loc[name, c]) for c in columns[1:]]] for name in table.index]
    chunks = [rows[i : i + ROWS_PER_SLIDE] for i in range(0, len(rows), ROWS_PER_SLIDE)] or [[]]
    return [
        Slide(
            key=f"{key}-{n + 1}",
            section=SECTION,
            title=title if len(chunks) == 1 else f"{title} ({n + 1} van {len(chunks)})",
            table=TableData(columns, chunk),
            notes=f"{BASES[comparison.basis]}. {MEAN_ROW}: van de gemeenten met een score.",
        )
        for n, chunk in enumerate(chunks)
    ]


def region_slides(
    comparison: Comparison,
    model: MaturityModel,
    today: dt.date,
    *,
    before: Comparison | None = None,
    item: str | None = None,
) -> list[Slide]:
    """The section 'Regio': the heatmap, the themes and the basic functions as tables, and (with
    `before` and `item`) the progress of each municipality on that item."""
    table = heatmap_table(comparison, model)
    heat = Slide(
        key="regio-overzicht",
        section=SECTION,
        title=f"{comparison.region}: de gemeenten naast elkaar",
        figure=region_heatmap(comparison, model, today),
        bullets=[],
        notes=f"{BASES[comparison.basis]}. {MATCHES[comparison.match]}: {comparison.key}.",
        alt_text=(
            f"Scores per gemeente in {comparison.region}: "
            + "; ".join(
                f"{name}: " + ", ".join(f"{c} {format_score(v)}" for c, v in row.items() if not math.isnan(v))
                for name, row in table.iterrows()
            )
        )[:2000],
    )
    slides = [heat]
    slides += _table_slides(
        comparison, model, [t.id for t in model.themes_ordered()], "Thema's per gemeente", "regio-themas"
    )
    slides += _table_slides(
        comparison,
        model,
        [b.id for b in model.basic_functions_ordered()],
        "Basisfuncties per gemeente",
        "regio-basisfuncties",
    )
    if has_conditions(comparison, model):
        slides.append(
            Slide(
                key="regio-randvoorwaarden",
                section=SECTION,
                title="Randvoorwaarden per gemeente",
                figure=region_heatmap(comparison, model, today, conditions=True),
                notes="Ingevuld voor de gemeente als geheel.",
            )
        )
    if before is not None and item is not None:
        moved = progress_table(progress(before, comparison, item), before, comparison)
        slides.append(
            Slide(
                key="regio-voortgang",
                section=SECTION,
                title=f"Voortgang per gemeente: {items(model)[item]}",
                figure=region_progress(before, comparison, item, model, today),
                notes="\n".join(" · ".join(map(str, row)) for row in moved.itertuples(index=False)),
            )
        )
    return slides


def region_deck(
    comparison: Comparison,
    model: MaturityModel,
    today: dt.date,
    *,
    before: Comparison | None = None,
    item: str | None = None,
) -> bytes:
    """The region's deck (.pptx): a title slide and the section 'Regio', every chart as a picture."""
    slides = region_slides(comparison, model, today, before=before, item=item)
    briefing = Briefing(
        municipality=comparison.region,
        round_label=comparison.key,
        round_date=today,
        date=today,
        model_version=model.version,
        parts=list(slides),
    )
    drawn = [(s, for_slide(s, s.figure)) for s in briefing.slides if s.figure is not None]
    with Renderer() as renderer:
        pngs = renderer.render([figure for _, figure in drawn], scale=SLIDE_SCALE)
    return build_deck(briefing, {s.key: png for (s, _), png in zip(drawn, pngs, strict=True)})


def _number(value: float) -> float | None:
    return None if math.isnan(value) else round(float(value), 1)


def region_workbook(
    data: RegionData,
    comparison: Comparison,
    model: MaturityModel,
    today: dt.date,
    *,
    before: Comparison | None = None,
) -> bytes:
    """The region's workbook (.xlsx): about, the scores per municipality (numbers and phases), the
    progress since `before`, and the wijken of the municipalities that share them."""
    names = items(model)
    book = Workbook()
    about = book.active
    assert about is not None
    about.title = "Over dit bestand"
    write_table(
        about,
        ["Onderwerp", "Waarde"],
        [
            ["Regio", comparison.region],
            ["Gemeenten", ", ".join(m.name for m in data.members)],
            [MATCHES[comparison.match], comparison.key],
            ["Elke gemeente", BASES[comparison.basis]],
            [MEAN_ROW, "het gemiddelde van de gemeenten met een score"],
            ["Gemaakt op", today.strftime("%d-%m-%Y")],
            ["Versie van het model", model.version],
            ["Schaal", "0 tot 100; fase 1: 0–25, fase 2: 25–50, fase 3: 50–75, fase 4: 75–100"],
        ],
    )
    table = comparison.scores.copy()
    table.loc[MEAN_ROW] = comparison.mean
    rows = []
    for name, row in table.iterrows():
        for item, value in row.items():
            rows.append(
                [str(name), comparison.rounds.get(str(name), ""), names[str(item)], _number(value), phase_label(value)]
            )
    write_table(book.create_sheet("Regio"), ["Gemeente", "Ronde", "Onderdeel", "Score", "Fase"], rows)
    if before is not None:
        moved = []
        for item in item_names(model):
            for name, r in progress(before, comparison, item).iterrows():
                moved.append([str(name), names[item], _number(r["before"]), _number(r["after"]), _number(r["change"])])
        write_table(
            book.create_sheet("Regio voortgang"),
            ["Gemeente", "Onderdeel", f"Ronde {before.key}", f"Ronde {comparison.key}", "Verschil"],
            moved,
        )
    wijken = []
    for item in item_names(model):
        for r in wijk_scores(data, comparison, item, model).itertuples(index=False):
            wijken.append([r.Gemeente, r.Wijk, names[item], r.Score, r.Fase])
    write_table(book.create_sheet("Regio wijken"), ["Gemeente", "Wijk", "Onderdeel", "Score", "Fase"], wijken)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def region_file_name(comparison: Comparison, kind: str) -> str:
    """'wijkmodel-regio-voorbeeld-2026-presentatie.pptx'."""
    label = {"pptx": "presentatie", "xlsx": "gegevens"}[kind]
    return f"wijkmodel-{slug(comparison.region, comparison.key, label)}.{kind}"
