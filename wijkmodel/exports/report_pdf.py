"""The steering-group report as PDF (fpdf2): the deck's content as a document.

Searchable text (not only pictures), a table of contents with page numbers, page numbers in
the footer, bookmarks, a document title and the language set to Dutch.
"""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace, TextStyle
from fpdf.outline import TableOfContents
from PIL import Image

from wijkmodel.colours import ACCENT, rgb
from wijkmodel.exports.slides import Briefing, Slide, TableData

FONTS = Path(__file__).parent / "fonts"
FAMILY = "DejaVu"
INK = (17, 17, 17)
HEADER_FILL = rgb(ACCENT)
TOC_LINES_PER_PAGE = 38
MAX_CHART_HEIGHT = 120
"""mm: a chart followed by points or a table leaves them room on its page."""


class _Report(FPDF):
    def __init__(self, briefing: Briefing) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.briefing = briefing
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(auto=True, margin=20)
        self.set_text_color(*INK)

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        self.set_y(-14)
        self.set_font(FAMILY, "", 8.5)
        self.cell(0, 6, f"{self.briefing.title} · ronde {self.briefing.round_label}", align="L")
        self.set_x(self.l_margin)
        self.cell(0, 6, f"Pagina {self.page_no()} van {{nb}}", align="R")


def _cover(pdf: _Report, briefing: Briefing) -> None:
    pdf.add_page()
    pdf.set_y(80)
    pdf.set_font(FAMILY, "B", 26)
    pdf.multi_cell(0, 12, briefing.title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_font(FAMILY, "", 14)
    pdf.multi_cell(0, 8, briefing.subtitle, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    pdf.set_font(FAMILY, "", 10.5)
    pdf.multi_cell(
        0,
        6,
        f"Volwassenheidsmodel wijkgericht werken, versie {briefing.model_version}. Gemaakt met wijkmodel. "
        "Elke fase staat ook als tekst bij de cijfers, niet alleen als kleur.",
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )


def _heading(pdf: _Report, text: str, size: float) -> None:
    pdf.set_font(FAMILY, "B", size)
    pdf.multi_cell(0, size * 0.55, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _points(pdf: _Report, points: list[str], heading: str | None) -> None:
    if heading:
        _heading(pdf, heading, 12)
    pdf.set_font(FAMILY, "", 10.5)
    for point in points:
        pdf.set_x(pdf.l_margin + 4)
        pdf.multi_cell(pdf.epw - 4, 5.5, f"•  {point}", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)


def _column_widths(pdf: _Report, table: TableData, size: float) -> list[float]:
    """Column widths: first every column as wide as its longest word (bold in the heading), so no
    word breaks where that fits; what is left goes by the length of each column's text."""
    padding = 2.5  # mm, both sides of a cell together
    pdf.set_font(FAMILY, "B", size)
    heading = [max((pdf.get_string_width(w) for w in h.split()), default=0) for h in table.columns]
    pdf.set_font(FAMILY, "", size)
    words = [
        max((pdf.get_string_width(w) for row in table.rows for w in str(row[c]).split()), default=0)
        for c in range(len(table.columns))
    ]
    floor = [max(h, w) + padding for h, w in zip(heading, words, strict=True)]
    total = pdf.epw
    left = total - sum(floor)
    if left <= 0:  # too many long words: shrink everything alike
        return [f / sum(floor) for f in floor]
    shares = table.column_shares()
    return [(f + left * share) / total for f, share in zip(floor, shares, strict=True)]


def _table(pdf: _Report, table: TableData) -> None:
    many = len(table.columns) > 5
    needed = (len(table.rows) + 1) * (8 if many else 6) + 4
    if pdf.get_y() + needed > pdf.h - pdf.b_margin and needed < pdf.h / 2:
        pdf.add_page()  # a short table stays in one piece
    size = 7.5 if many else 9
    widths = _column_widths(pdf, table, size)
    pdf.set_font(FAMILY, "", size)
    headings = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=HEADER_FILL)
    with pdf.table(
        col_widths=widths,
        headings_style=headings,
        line_height=4.2 if many else 5,
        text_align="LEFT",
        repeat_headings=1,
    ) as grid:
        grid.row(table.columns)
        for values in table.rows:
            grid.row(values)
    pdf.ln(3)


def _slide(pdf: _Report, slide: Slide, png: bytes | None, new_section: bool) -> None:
    page_has_content = pdf.get_y() > pdf.t_margin + 1
    if page_has_content and (png is not None or new_section or pdf.get_y() > pdf.h - 80):
        pdf.add_page()
    if new_section:
        pdf.start_section(slide.section, level=0)
        _heading(pdf, slide.section, 18)
    pdf.start_section(slide.title, level=1)
    _heading(pdf, slide.title, 14)
    if png is not None:
        # RGB: the charts are opaque, and a PDF image without an alpha mask is half the work to embed
        image = Image.open(io.BytesIO(png)).convert("RGB")
        px_w, px_h = image.size
        width = pdf.epw
        height = width * px_h / px_w
        room = pdf.h - pdf.get_y() - 24
        if slide.bullets or slide.table is not None:
            room = min(room, MAX_CHART_HEIGHT)  # leave room for the points and the table on the same page
        if height > room:  # keep the chart on this page, smaller, rather than cut it
            width, height = width * room / height, room
        pdf.image(image, x=pdf.l_margin + (pdf.epw - width) / 2, w=width, h=height, alt_text=slide.alt_text)
        pdf.ln(3)
    if slide.bullets:
        _points(pdf, slide.bullets, "Gesprekspunten" if slide.key.startswith("profiel") else None)
    if slide.table is not None:
        _table(pdf, slide.table)


def build_report(briefing: Briefing, images: dict[str, bytes]) -> bytes:
    """The report as PDF bytes. `images`: PNG per slide key (from wijkmodel.exports.images)."""
    pdf = _Report(briefing)
    pdf.set_title(f"{briefing.title} · ronde {briefing.round_label}")
    pdf.set_subject(briefing.subtitle)
    pdf.set_author("wijkmodel")
    pdf.set_creator("wijkmodel")
    pdf.set_lang("nl-NL")
    pdf.set_display_mode(zoom="fullwidth")
    _cover(pdf, briefing)
    pdf.add_page()
    _heading(pdf, "Inhoud", 18)
    entries = len(briefing.slides) + len({s.section for s in briefing.slides})
    toc = TableOfContents(text_style=TextStyle(font_family=FAMILY, font_size_pt=10.5), level_indent=6)
    pdf.insert_toc_placeholder(toc.render_toc, pages=1 + entries // TOC_LINES_PER_PAGE, allow_extra_pages=True)
    section = None
    for slide in briefing.slides:
        _slide(pdf, slide, images.get(slide.key), new_section=slide.section != section)
        section = slide.section
    return bytes(pdf.output())
