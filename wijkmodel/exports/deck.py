"""The steering-group deck: a 16:9 PowerPoint file built with python-pptx.

Titles, points and tables are real PowerPoint text and tables (editable); charts are PNG
images with alternative text; the numbers behind every chart are in the speaker notes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.presentation import Presentation as PresentationFile
from pptx.slide import Slide as PptxSlide
from pptx.util import Emu, Inches, Pt

from wijkmodel.charts.base import PHASE_TINTS
from wijkmodel.colours import ACCENT, rgb
from wijkmodel.exports.slides import Briefing, Slide, TableData

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
TITLE_TOP, TITLE_HEIGHT = Inches(0.3), Inches(0.9)
BODY_TOP = Inches(1.3)
BODY_HEIGHT = HEIGHT - BODY_TOP - Inches(0.35)
SIDE_WIDTH = Inches(4.7)
"""Width of the table or points beside a chart."""
ROWS_PER_SLIDE = 12
TABLE_ROW_HEIGHT = Inches(0.42)
"""Table rows on one slide; more go on a continuation slide."""
ROWS_BESIDE = 9
"""Table rows beside a chart (narrow cells wrap to two lines)."""
POINTS_BUDGET = 900
"""Characters of points on one slide at the normal size; more makes the text smaller, then splits."""
MAX_POINTS_BESIDE = 5
FONT = "Arial"
INK = RGBColor(0x11, 0x11, 0x11)
GREY = RGBColor(0x44, 0x44, 0x44)
LAYOUT_TITLE, LAYOUT_TITLE_ONLY = 0, 5


def _style(run_font: object, size: float, bold: bool = False, colour: RGBColor = INK) -> None:
    run_font.name = FONT  # type: ignore[attr-defined]
    run_font.size = Pt(size)  # type: ignore[attr-defined]
    run_font.bold = bold  # type: ignore[attr-defined]
    run_font.color.rgb = colour  # type: ignore[attr-defined]


def _title(slide: PptxSlide, text: str, size: float = 30) -> None:
    """The layout's own title placeholder, so PowerPoint and screen readers know the slide title."""
    title = slide.shapes.title
    assert title is not None
    title.left, title.top, title.width, title.height = MARGIN, TITLE_TOP, Emu(WIDTH - 2 * MARGIN), TITLE_HEIGHT
    frame = title.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    frame.text = text
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.LEFT
    _style(paragraph.runs[0].font, size, bold=True)


def _notes(slide: PptxSlide, text: str) -> None:
    frame = slide.notes_slide.notes_text_frame
    if text and frame is not None:
        frame.text = text


def _picture(slide: PptxSlide, png: bytes, alt: str, left: int, top: int, max_w: int, max_h: int) -> None:
    """The chart scaled to fit the box (never stretched), centred in it, with alternative text."""
    with Image.open(io.BytesIO(png)) as image:
        px_w, px_h = image.size
    scale = min(max_w / px_w, max_h / px_h)
    w, h = int(px_w * scale), int(px_h * scale)
    picture = slide.shapes.add_picture(io.BytesIO(png), Emu(left + (max_w - w) // 2), Emu(top), Emu(w), Emu(h))
    c_nv_pr = picture._element.nvPicPr.cNvPr  # type: ignore[union-attr]  # no alt-text API in python-pptx
    c_nv_pr.set("descr", alt)
    c_nv_pr.set("title", alt.split(",")[0])


def _points(slide: PptxSlide, heading: str | None, points: Sequence[str], left: int, top: int, width: int) -> None:
    box = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(max(BODY_HEIGHT - (top - BODY_TOP), 0)))
    frame = box.text_frame
    frame.word_wrap = True
    chars = sum(len(p) for p in points)
    size = 18 if chars < POINTS_BUDGET / 2 else 16 if chars < POINTS_BUDGET else 13
    if width < WIDTH / 2:
        size -= 2
    first = True
    if heading:
        frame.paragraphs[0].text = heading
        _style(frame.paragraphs[0].runs[0].font, size + 2, bold=True)
        first = False
    for point in points:
        paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
        first = False
        paragraph.text = f"• {point}"
        paragraph.space_after = Pt(8)
        _style(paragraph.runs[0].font, size)


def _phase_tint(text: str) -> RGBColor | None:
    for number, tint in PHASE_TINTS.items():
        if f"fase {number}" in text:
            return RGBColor.from_string(tint.lstrip("#"))
    return None


def _table(slide: PptxSlide, table: TableData, left: int, top: int, width: int, size: float | None = None) -> None:
    """An editable table; cells with a phase get that phase's light tint (the text names it too)."""
    n_rows, n_cols = len(table.rows) + 1, len(table.columns)
    size = size or (12 if n_cols > 5 else 14)
    row_height = TABLE_ROW_HEIGHT
    shape = slide.shapes.add_table(n_rows, n_cols, Emu(left), Emu(top), Emu(width), Emu(row_height * n_rows))
    grid = shape.table
    for c, share in enumerate(table.column_shares()):
        grid.columns[c].width = Emu(int(width * share))
    for c, heading in enumerate(table.columns):
        cell = grid.cell(0, c)
        cell.text = heading
        _style(cell.text_frame.paragraphs[0].runs[0].font, size, bold=True, colour=RGBColor(0xFF, 0xFF, 0xFF))
        cell.fill.solid()
        cell.fill.fore_color.rgb = RGBColor(*rgb(ACCENT))
    for r, row in enumerate(table.rows, start=1):
        for c, value in enumerate(row):
            cell = grid.cell(r, c)
            cell.text = value
            cell.text_frame.word_wrap = True
            first = cell.text_frame.paragraphs[0]
            _style(first.runs[0].font if first.runs else first.font, size, bold=c == 0)  # an empty cell has no run
            tint = _phase_tint(value) if c > 0 else None
            cell.fill.solid()
            cell.fill.fore_color.rgb = tint or RGBColor(0xFF, 0xFF, 0xFF)


def _chunks(rows: list[list[str]], size: int) -> list[list[list[str]]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)] or [[]]


def _point_chunks(points: list[str], budget: int) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    used = 0
    for point in points:
        if chunks[-1] and used + len(point) > budget:
            chunks.append([])
            used = 0
        chunks[-1].append(point)
        used += len(point)
    return chunks


def _title_slide(prs: PresentationFile, briefing: Briefing) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE])
    _title(slide, briefing.title, size=40)
    title = slide.shapes.title
    assert title is not None
    title.top, title.height = Inches(2.2), Inches(1.4)
    subtitle = slide.placeholders[1]
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = MARGIN, Inches(3.7), WIDTH - 2 * MARGIN, Inches(1.6)
    frame = subtitle.text_frame
    frame.word_wrap = True
    frame.text = briefing.subtitle
    frame.paragraphs[0].alignment = PP_ALIGN.LEFT
    _style(frame.paragraphs[0].runs[0].font, 24)
    extra = frame.add_paragraph()
    extra.text = f"Volwassenheidsmodel wijkgericht werken, versie {briefing.model_version} · gemaakt met wijkmodel"
    extra.alignment = PP_ALIGN.LEFT
    _style(extra.runs[0].font, 16, colour=GREY)
    _notes(slide, f"{briefing.title}. {briefing.subtitle}.")


def has_side_panel(slide: Slide) -> bool:
    """Points or a narrow table go beside the chart; otherwise the chart takes the full width."""
    return bool(slide.bullets) or (slide.table is not None and len(slide.table.columns) <= 4)


def picture_box(slide: Slide) -> tuple[float, float]:
    """Width and height (inches) the slide's chart gets, so images can be made to fit it."""
    body_w = WIDTH - 2 * MARGIN
    width = body_w - SIDE_WIDTH - Inches(0.3) if has_side_panel(slide) else body_w
    return width / 914400, BODY_HEIGHT / 914400


def rows_notes(columns: list[str], rows: list[list[str]], first: int, total: int) -> str:
    """Notes of a continuation slide: which rows of the table it shows, and those rows."""
    last = first + len(rows) - 1
    where = f"Rij {first} van {total}." if last == first else f"Rij {first} tot en met {last} van {total}."
    return "\n".join([f"Vervolg van de tabel. {where} Kolommen: {', '.join(columns)}.", *(" · ".join(r) for r in rows)])


def points_notes(points: list[str], first: int, total: int) -> str:
    """Notes of a continuation slide of points: which points it shows, and those points."""
    last = first + len(points) - 1
    where = f"Punt {first} van {total}." if last == first else f"Punt {first} tot en met {last} van {total}."
    return "\n".join([f"Vervolg. {where}", *points])


def _content_slides(prs: PresentationFile, slide: Slide, png: bytes | None) -> int:
    """One or more deck slides for one briefing slide; returns how many. The first gets the slide's
    notes; a continuation slide ('(vervolg)') gets notes about its own rows or points."""
    layout = prs.slide_layouts[LAYOUT_TITLE_ONLY]
    body_w = WIDTH - 2 * MARGIN
    side_left = WIDTH - MARGIN - SIDE_WIDTH
    count = 0
    table_rows = slide.table.rows if slide.table else []
    shown = 0  # table rows on earlier deck slides
    beside_table = slide.table is not None and not slide.bullets and has_side_panel(slide)
    if png is not None:
        out = prs.slides.add_slide(layout)
        count += 1
        _title(out, slide.title)
        box_w, box_h = picture_box(slide)
        _picture(out, png, slide.alt_text, MARGIN, BODY_TOP, int(box_w * 914400), int(box_h * 914400))
        if slide.bullets:
            heading = "Gesprekspunten" if slide.key.startswith("profiel") else None
            points = slide.bullets[:MAX_POINTS_BESIDE]
            if len(slide.bullets) > MAX_POINTS_BESIDE:
                points.append(f"En nog {len(slide.bullets) - MAX_POINTS_BESIDE}: zie de notities bij deze dia.")
            _points(out, heading, points, side_left, BODY_TOP, SIDE_WIDTH)
        elif beside_table and slide.table is not None:
            first = table_rows[:ROWS_BESIDE]
            _table(out, TableData(slide.table.columns, first), side_left, BODY_TOP, SIDE_WIDTH, size=11)
            table_rows = table_rows[ROWS_BESIDE:]
            shown = len(first)
        _notes(out, slide.notes)
        if not beside_table:
            table_rows = []  # a wide table (or a profile's) is in the notes; the PDF report prints it
    if slide.table is not None and (png is None or table_rows):
        chunks = _chunks(table_rows, ROWS_PER_SLIDE)
        total = len(slide.table.rows)
        for i, rows in enumerate(chunks):
            out = prs.slides.add_slide(layout)
            count += 1
            continued = png is not None or i > 0
            _title(out, slide.title + (" (vervolg)" if continued else ""))
            _table(out, TableData(slide.table.columns, rows), MARGIN, BODY_TOP, body_w)
            if png is None and slide.bullets and len(table_rows) <= ROWS_BESIDE:
                # a short table without a chart (Beleid en praktijk): its points fit below it
                below = BODY_TOP + TABLE_ROW_HEIGHT * (len(rows) + 1) + Inches(0.3)
                _points(out, "Gesprekspunten", slide.bullets, MARGIN, below, body_w)
            split = continued or len(chunks) > 1
            _notes(out, rows_notes(slide.table.columns, rows, shown + 1, total) if split and rows else slide.notes)
            shown += len(rows)
    if png is None and slide.table is None:
        done = 0
        for i, points in enumerate(_point_chunks(slide.bullets, POINTS_BUDGET)):
            out = prs.slides.add_slide(layout)
            count += 1
            _title(out, slide.title + (" (vervolg)" if i > 0 else ""))
            _points(out, None, points, MARGIN, BODY_TOP, body_w)
            _notes(out, points_notes(points, done + 1, len(slide.bullets)) if i > 0 else slide.notes)
            done += len(points)
    return count


def build_deck(briefing: Briefing, images: dict[str, bytes]) -> bytes:
    """The deck as .pptx bytes. `images`: PNG per slide key (from wijkmodel.exports.images)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    prs.core_properties.title = briefing.title
    prs.core_properties.subject = briefing.subtitle
    prs.core_properties.language = "nl-NL"
    prs.core_properties.author = "wijkmodel"
    _title_slide(prs, briefing)
    for slide in briefing.slides:
        _content_slides(prs, slide, images.get(slide.key))
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
