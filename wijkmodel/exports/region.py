"""The region's documents (issue 20): a deck with the section 'Regio' and a workbook, made from one
`Comparison` (so only the members the person may see: `storage.regions.visible_members`)."""

from __future__ import annotations

import datetime as dt
import io
import math

from openpyxl import Workbook
from sqlalchemy.orm import Session

from wijkmodel.analysis.region import (
    BASES,
    BY_LABEL,
    BY_YEAR,
    MATCHES,
    MEAN_ROW,
    NO_ROUND,
    Comparison,
    RegionData,
    compare,
    condition_ids,
    display_table,
    has_conditions,
    heatmap_table,
    items,
    load_region,
    progress,
    progress_table,
    ranking,
    ranking_table,
    wijk_scores,
)
from wijkmodel.analysis.views import item_names, slug
from wijkmodel.charts.region import region_heatmap, region_progress, region_ranking
from wijkmodel.exports.slides import Slide, TableData
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.text import format_score, phase_label
from wijkmodel.storage.access import Actor
from wijkmodel.storage.regions import regions_of, revisions, sharing_members
from wijkmodel.text.spreadsheet import write_table

SECTION = "Regio"
ROWS_PER_SLIDE = 12


def _table_slides(
    comparison: Comparison, model: MaturityModel, which: list[str], title: str, key: str, *, conditions: bool = False
) -> list[Slide]:
    names = {c.id: c.name for c in model.randvoorwaarden.conditions_ordered()} if conditions else item_names(model)
    table = display_table(heatmap_table(comparison, model, conditions=conditions), comparison)
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
    prefix: str = "regio",
) -> list[Slide]:
    """The section 'Regio': the heatmap, the themes and the basic functions as tables, the
    Randvoorwaarden (heatmap and table) when answered, with `item` the municipalities ranked on it,
    and with `before` too the progress of each municipality on that item. `prefix` starts every
    slide's key (unique when a deck holds several regions)."""
    table = heatmap_table(comparison, model)
    heat = Slide(
        key=f"{prefix}-overzicht",
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
        comparison,
        model,
        [t.id for t in model.themes_ordered()],
        f"{comparison.region}: thema's per gemeente",
        f"{prefix}-themas",
    )
    slides += _table_slides(
        comparison,
        model,
        [b.id for b in model.basic_functions_ordered()],
        f"{comparison.region}: basisfuncties per gemeente",
        f"{prefix}-basisfuncties",
    )
    if has_conditions(comparison, model):
        slides.append(
            Slide(
                key=f"{prefix}-randvoorwaarden",
                section=SECTION,
                title=f"{comparison.region}: randvoorwaarden per gemeente",
                figure=region_heatmap(comparison, model, today, conditions=True),
                notes="Ingevuld voor de gemeente als geheel.",
            )
        )
        slides += _table_slides(
            comparison,
            model,
            condition_ids(model),
            f"{comparison.region}: randvoorwaarden per gemeente, als tabel",
            f"{prefix}-randvoorwaarden-tabel",
            conditions=True,
        )
    if item is not None:
        ranked = ranking_table(ranking(comparison, item), model)
        slides.append(
            Slide(
                key=f"{prefix}-volgorde",
                section=SECTION,
                title=f"{comparison.region}: gemeenten op volgorde, {items(model)[item]}",
                figure=region_ranking(comparison, item, model, today),
                notes="Gelijke scores delen een plaats.\n"
                + "\n".join(" · ".join(map(str, row)) for row in ranked.itertuples(index=False)),
            )
        )
    if before is not None and item is not None:
        moved = progress_table(progress(before, comparison, item), before, comparison)
        slides.append(
            Slide(
                key=f"{prefix}-voortgang",
                section=SECTION,
                title=f"{comparison.region}: voortgang per gemeente, {items(model)[item]}",
                figure=region_progress(before, comparison, item, model, today),
                notes="\n".join(" · ".join(map(str, row)) for row in moved.itertuples(index=False)),
            )
        )
    return slides


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


def municipality_regions(
    *, session: Session, municipality_id: int, model: MaturityModel, viewer: Actor
) -> list[RegionData]:
    """The regions of one municipality for its own documents (deck, report, Presenteren, workbook):
    itself and the members that share, as `viewer` may see them (`sharing_members`), each region with
    at least one other such member (alone there is nothing to compare)."""
    found = []
    for region in regions_of(session=session, municipality_id=municipality_id):
        members = sharing_members(session=session, region_id=region.id, municipality_id=municipality_id, actor=viewer)
        if len(members) >= 2 and any(m.municipality_id == municipality_id for m in members):
            found.append(load_region(session=session, region=region.name, members=members, model=model))
    return found


def regions_key(*, session: Session, municipality_id: int, viewer: Actor) -> tuple:
    """What `municipality_regions` depends on, for a cache key: each region with the revisions of
    the members that go in."""
    return tuple(
        (
            region.name,
            revisions(
                session=session,
                members=sharing_members(
                    session=session, region_id=region.id, municipality_id=municipality_id, actor=viewer
                ),
            ),
        )
        for region in regions_of(session=session, municipality_id=municipality_id)
    )


def for_round(data: RegionData, model: MaturityModel, label: str, year: int) -> Comparison:
    """The members in this municipality's round: matched by its label when another member has a round
    of that name, else by its year (the comparison says which, in its caption and tables)."""
    by_label = compare(data, model, key=label, match=BY_LABEL)
    if sum(r != NO_ROUND for r in by_label.rounds.values()) >= 2:
        return by_label
    return compare(data, model, key=str(year), match=BY_YEAR)


def briefing_region_slides(
    regions: list[RegionData], round_label: str, round_year: int, model: MaturityModel, today: dt.date
) -> list[Slide]:
    """The part 'regio' of a municipality's briefing: per region its members in this round (`for_round`),
    each as a whole."""
    slides: list[Slide] = []
    for n, data in enumerate(regions, start=1):
        slides += region_slides(for_round(data, model, round_label, round_year), model, today, prefix=f"regio{n}")
    return slides


def region_sheet_rows(regions: list[RegionData], rounds: list[tuple[str, int]], model: MaturityModel) -> list[list]:
    """The sheet 'Regio' of a municipality's workbook: per region and round (label, year) every member's
    score per item (each municipality as a whole), rounds matched as `for_round` does."""
    names = items(model)
    rows: list[list] = []
    for data in regions:
        for label, year in rounds:
            comparison = for_round(data, model, label, year)
            which = label if comparison.match == BY_LABEL else f"{label} (jaar {year})"
            for name, row in comparison.scores.iterrows():
                matched = comparison.rounds.get(str(name), "")
                rows += [
                    [data.region, which, str(name), matched, names[str(i)], _number(v), phase_label(v)]
                    for i, v in row.items()
                ]
    return rows


REGION_SHEET_HEADER = ["Regio", "Ronde", "Gemeente", "Ronde van de gemeente", "Onderdeel", "Score", "Fase"]
