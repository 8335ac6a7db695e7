"""The layout check itself (tests/layout.py): when two text boxes overlap, and when one sticks out."""

from __future__ import annotations

import math

import pytest

from tests.layout import Chart, Quad, Text, findings, overhang, overlap_depth


def box(left: float, top: float, right: float, bottom: float) -> Quad:
    return (left, top), (right, top), (right, bottom), (left, bottom)


def turned(cx: float, cy: float, width: float, height: float, degrees: float) -> Quad:
    """A box of `width` x `height` around (cx, cy), turned by `degrees` (as a rotated tick label)."""
    a = math.radians(degrees)
    c, s = math.cos(a), math.sin(a)
    corners = [(-width / 2, -height / 2), (width / 2, -height / 2), (width / 2, height / 2), (-width / 2, height / 2)]
    (p, q, r, t) = [(cx + x * c - y * s, cy + x * s + y * c) for x, y in corners]
    return p, q, r, t


@pytest.mark.parametrize(
    ("a", "b", "depth"),
    [
        (box(0, 0, 10, 10), box(20, 0, 30, 10), 0.0),  # side by side
        (box(0, 0, 10, 10), box(10, 0, 20, 10), 0.0),  # touching
        (box(0, 0, 10, 10), box(8, 2, 20, 8), 2.0),  # 2 px into each other
        (box(0, 0, 10, 10), box(2, 2, 8, 8), 6.0),  # one inside the other
        (box(0, 0, 100, 10), box(50, 9.5, 150, 20), 0.5),  # half a pixel: rounding
        # two labels turned -45°, 20 px apart (14 px across): their upright boxes overlap, they do not
        (turned(100, 100, 120, 12, -45), turned(120, 100, 120, 12, -45), 0.0),
        (turned(100, 100, 120, 12, -45), turned(105, 100, 120, 12, -45), pytest.approx(8.46, abs=0.01)),
    ],
)
def test_overlap_depth(a: Quad, b: Quad, depth: float) -> None:
    assert overlap_depth(a, b) == depth
    assert overlap_depth(b, a) == depth


@pytest.mark.parametrize(
    ("quad", "over"),
    [
        (box(10, 10, 50, 20), -10.0),
        (box(-5, 10, 50, 20), 5.0),
        (box(10, 10, 130, 20), 30.0),
        (box(10, 95, 50, 103), 3.0),
    ],
)
def test_overhang(quad: Quad, over: float) -> None:
    assert overhang(quad, (0, 0, 100, 100)) == over


def test_findings_name_the_texts_and_leave_rounding_alone() -> None:
    chart = Chart(
        where="vergelijken 1280x720",
        title="Scores per wijk",
        box=(0, 0, 200, 100),
        texts=(
            Text("Streefwaarde", "legend", box(10, 10, 80, 20)),
            Text("Fase 3 · Wijkgericht werken is de werkwijze", "legend", box(60, 12, 190, 22)),
            Text("Leren en …", "xtick", box(150, 90, 230, 99)),
            Text("net", "ytick", box(0, 40, 20, 50.5)),
            Text("ernaast", "ytick", box(0, 50, 20, 60)),  # 0.5 px: rounding
        ),
    )
    assert [str(f) for f in findings(chart)] == [
        "vergelijken 1280x720 · Scores per wijk: ‘Streefwaarde’ overlapt ‘Fase 3 · Wijkgericht werken is de werkwijze’",
        "vergelijken 1280x720 · Scores per wijk: ‘Leren en …’ valt 30 px buiten de grafiek",
    ]


def test_findings_name_a_text_cut_by_its_clip_and_a_text_on_a_dashed_line() -> None:
    chart = Chart(
        where="presenteren dia 5 1280x720",
        title="Waar beginnen we?",
        box=(0, 0, 400, 300),
        texts=(
            # a legend entry wider than the legend's clip: plotly cuts it, the box does not show it
            Text("Fase 3 · Wijkgericht werken is de werkwijze", "legend", box(10, 250, 190, 262), (0, 240, 150, 270)),
            Text("Fase 1 · Start", "legend", box(10, 270, 90, 282), (0, 240, 150, 290)),
            Text("Kerkebuurt", "textpoint", box(180, 140, 240, 152)),  # across the vertical line
            Text("Molenwijk", "textpoint", box(300, 140, 360, 152)),
        ),
        lines=((210, 20, 212, 280),),
    )
    assert [f.problem for f in findings(chart)] == [
        "‘Fase 3 · Wijkgericht werken is de werkwijze’ is 40 px afgesneden",
        "‘Kerkebuurt’ ligt op een lijn",
    ]


def test_findings_name_an_axis_that_leaves_names_out() -> None:
    chart = Chart(
        where="presenteren dia 3 1280x720", title="Scores", box=(0, 0, 400, 300), texts=(), unnamed=(("y", 10, 5),)
    )
    assert [f.problem for f in findings(chart)] == ["de as y toont 5 van de 10 namen"]
