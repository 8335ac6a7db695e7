"""Layout of rendered charts: which texts overlap each other or stick out of their figure (issue 16).

A chart is measured where it is drawn, in Chromium: every visible text of a plotly figure (titles,
ticks, legend entries, annotations, value labels) with its box on the screen, and the box of the
figure itself. `findings` compares them: two texts whose boxes overlap, or a text that sticks out of
its figure, each by more than `TOLERANCE_PX`. The hover layer is left out (it shows on hover only).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Any

from playwright.sync_api import Page

TOLERANCE_PX = 1.0
"""Overlaps and overhangs up to this size are rounding, not a problem a person sees."""

MEASURE_JS = r"""() => [...document.querySelectorAll('.js-plotly-plot')].map((chart, index) => {
  const frame = chart.getBoundingClientRect();
  const title = chart.querySelector('.gtitle');
  const visible = el => {
    for (let node = el; node && node !== chart; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.display === 'none' || style.visibility === 'hidden' || parseFloat(style.opacity) === 0) return false;
    }
    return true;
  };
  const texts = [...chart.querySelectorAll('svg text')]
    .filter(t => !t.closest('.hoverlayer') && (t.textContent || '').trim() !== '' && visible(t))
    .map(t => {
      // the text's own box, turned as it is drawn (ticks may be rotated): four corners on the screen
      const b = t.getBBox();
      const m = t.getScreenCTM();
      const corner = (x, y) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f];
      const group = t.closest('g[class]');
      // the nearest clip on the way up (a legend, the plot area): text outside it is cut off
      let clip = null;
      for (let node = t; node && node !== chart && !clip; node = node.parentElement) {
        const ref = node.getAttribute && node.getAttribute('clip-path');
        const id = ref && ref.match(/url\(['"]?#([^'")]+)['"]?\)/);
        const rect = id && document.getElementById(id[1]) && document.getElementById(id[1]).querySelector('rect');
        if (rect) {
          const c = node.getScreenCTM();
          const x = rect.x.baseVal.value, y = rect.y.baseVal.value;
          const w = rect.width.baseVal.value, h = rect.height.baseVal.value;
          const xs = [c.a * x + c.c * y + c.e, c.a * (x + w) + c.c * (y + h) + c.e];
          const ys = [c.b * x + c.d * y + c.f, c.b * (x + w) + c.d * (y + h) + c.f];
          clip = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
        }
      }
      return {text: t.textContent, kind: (group && group.getAttribute('class')) || '',
              corners: [corner(b.x, b.y), corner(b.x + b.width, b.y),
                        corner(b.x + b.width, b.y + b.height), corner(b.x, b.y + b.height)],
              size: [b.width, b.height], clip};
    })
    .filter(t => t.size[0] > 0 && t.size[1] > 0);
  // the dashed lines a chart draws over its plot (the splits of the priority matrix): no text on them
  const lines = [...chart.querySelectorAll('.shapelayer path')]
    .filter(p => getComputedStyle(p).strokeDasharray !== 'none' && parseFloat(getComputedStyle(p).strokeWidth) >= 2)
    .map(p => { const r = p.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; });
  // category axes (wijk and item names) whose names plotly left out for lack of room
  const layout = chart._fullLayout || {};
  const unnamed = Object.keys(layout).filter(k => /^[xy]axis\d*$/.test(k)).map(k => layout[k])
    .filter(ax => ax.type === 'category' && ax.visible !== false && ax.showticklabels !== false && ax._categories)
    .map(ax => {
      const shown = [...chart.querySelectorAll('g.' + ax._id + 'tick text')].filter(t => t.textContent.trim()).length;
      return {axis: ax._id, categories: ax._categories.length, shown};
    })
    .filter(a => a.shown < a.categories);
  return {index, title: title ? title.textContent : '', box: [frame.left, frame.top, frame.right, frame.bottom],
          texts, lines, unnamed};
}).filter(c => c.box[2] > c.box[0] && c.box[3] > c.box[1])"""
"""Every plotly chart shown on the page (not one hidden by CSS, such as Presenteren's figure for the
other window height): its index among all charts, box, title, and visible texts with their boxes."""


Point = tuple[float, float]
Quad = tuple[Point, Point, Point, Point]


@dataclass(frozen=True)
class Text:
    """One text of a chart as drawn: its words, the plotly group it belongs to, and the four corners
    of its box on the screen (turned with the text when it is rotated)."""

    text: str
    kind: str
    corners: Quad
    clip: tuple[float, float, float, float] | None = None
    """The box of the clip the text is drawn in (a legend, the plot area), if any."""


@dataclass(frozen=True)
class Chart:
    """One drawn chart: where it was (page, size), its title, its box and its texts."""

    where: str
    title: str
    box: tuple[float, float, float, float]
    texts: tuple[Text, ...]
    index: int = 0
    """Its place among the page's plotly charts (hidden ones included)."""
    lines: tuple[tuple[float, float, float, float], ...] = ()
    """Boxes of the dashed lines over its plot (left, top, right, bottom)."""
    unnamed: tuple[tuple[str, int, int], ...] = ()
    """Category axes (wijken, items) that show fewer names than they have: axis, names, shown."""


@dataclass(frozen=True)
class Finding:
    """A text that overlaps another, or sticks out of its chart."""

    where: str
    chart: str
    problem: str

    def __str__(self) -> str:
        return f"{self.where} · {self.chart or '(zonder titel)'}: {self.problem}"


def _axes(quad: Quad) -> list[Point]:
    """The two directions of a box's sides (a rectangle has two)."""
    (x0, y0), (x1, y1), _, (x3, y3) = quad
    return [(x1 - x0, y1 - y0), (x3 - x0, y3 - y0)]


def overlap_depth(a: Quad, b: Quad) -> float:
    """How far two boxes (rotated or not) overlap, in px: the smallest overlap of their shadows on the
    axes of their sides (separating axis theorem); 0 when a line separates them."""
    depth = float("inf")
    for ax, ay in _axes(a) + _axes(b):
        length = (ax * ax + ay * ay) ** 0.5
        if length == 0:
            continue
        ux, uy = ax / length, ay / length
        pa = [x * ux + y * uy for x, y in a]
        pb = [x * ux + y * uy for x, y in b]
        depth = min(depth, min(max(pa), max(pb)) - max(min(pa), min(pb)))
        if depth <= 0:
            return 0.0
    return depth if depth != float("inf") else 0.0


def overhang(quad: Quad, box: tuple[float, float, float, float]) -> float:
    """How far a text's box sticks out of the figure's box (left, top, right, bottom), in px."""
    left, top, right, bottom = box
    return max(
        max(left - x for x, _ in quad),
        max(x - right for x, _ in quad),
        max(top - y for _, y in quad),
        max(y - bottom for _, y in quad),
    )


def findings(chart: Chart) -> list[Finding]:
    """Every pair of texts of `chart` that overlap, every text that sticks out of it or lies on a
    dashed line, and every axis that leaves names out."""
    out = [
        Finding(chart.where, chart.title, f"de as {axis} toont {shown} van de {names} namen")
        for axis, names, shown in chart.unnamed
    ]
    for a, b in combinations(chart.texts, 2):
        if overlap_depth(a.corners, b.corners) > TOLERANCE_PX:
            out.append(Finding(chart.where, chart.title, f"‘{a.text}’ overlapt ‘{b.text}’"))
    for t in chart.texts:
        for left, top, right, bottom in chart.lines:
            line = ((left, top), (right, top), (right, bottom), (left, bottom))
            if overlap_depth(t.corners, line) > TOLERANCE_PX:
                out.append(Finding(chart.where, chart.title, f"‘{t.text}’ ligt op een lijn"))
                break
        over = overhang(t.corners, chart.box)
        if over > TOLERANCE_PX:
            out.append(Finding(chart.where, chart.title, f"‘{t.text}’ valt {over:.0f} px buiten de grafiek"))
        elif t.clip is not None and (cut := overhang(t.corners, t.clip)) > TOLERANCE_PX:
            out.append(Finding(chart.where, chart.title, f"‘{t.text}’ is {cut:.0f} px afgesneden"))
    return out


def _quad(corners: list[list[float]]) -> Quad:
    (ax, ay), (bx, by), (cx, cy), (dx, dy) = corners
    return (ax, ay), (bx, by), (cx, cy), (dx, dy)


def measure(page: Page, where: str) -> list[Chart]:
    """Every chart drawn on `page` now, measured (call it once the charts are drawn)."""
    raw: list[dict[str, Any]] = page.evaluate(MEASURE_JS)
    return [
        Chart(
            where=where,
            title=c["title"],
            box=(c["box"][0], c["box"][1], c["box"][2], c["box"][3]),
            texts=tuple(
                Text(t["text"], t["kind"], _quad(t["corners"]), tuple(t["clip"]) if t["clip"] else None)
                for t in c["texts"]
            ),
            index=c["index"],
            lines=tuple((b[0], b[1], b[2], b[3]) for b in c["lines"]),
            unnamed=tuple((a["axis"], a["categories"], a["shown"]) for a in c["unnamed"]),
        )
        for c in raw
    ]


# --- figures drawn on their own, at the size of a picture in the deck or the PDF ----------------

FIGURE_PAGE = """<!doctype html><html><head><meta charset="utf-8"><script>{plotly}</script>
<style>body {{ margin: 0; background: #fff; }} .figure {{ margin: 0 0 16px 0; }}</style></head>
<body></body></html>"""

DRAW_JS = """async ([spec, width, height]) => {
  const div = document.createElement('div');
  div.className = 'figure';
  div.style.width = width + 'px';
  div.style.height = height + 'px';
  document.body.appendChild(div);
  const figure = JSON.parse(spec);
  await Plotly.newPlot(div, figure.data, figure.layout, {staticPlot: true});
  return document.querySelectorAll('.js-plotly-plot').length - 1;
}"""


def open_figure_page(page: Page) -> None:
    """An empty page with plotly.js (the version plotly.py and kaleido use), to draw figures on."""
    from plotly.offline import get_plotlyjs

    page.set_content(FIGURE_PAGE.format(plotly=get_plotlyjs()))


def draw_figure(page: Page, figure: Any) -> int:
    """Draw a plotly figure at its own width and height (as kaleido makes its picture); its index."""
    width = int(figure.layout.width or 1200)
    height = int(figure.layout.height or 600)
    index: int = page.evaluate(DRAW_JS, [figure.to_json(), width, height])
    return index


def measure_figures(page: Page, where: list[str]) -> list[Chart]:
    """Every figure drawn on the figure page, measured; `where` names each in drawing order."""
    return [
        Chart(
            where=name,
            title=chart.title,
            box=chart.box,
            texts=chart.texts,
            index=chart.index,
            lines=chart.lines,
            unnamed=chart.unnamed,
        )
        for name, chart in zip(where, measure(page, ""), strict=True)
    ]
