"""Chart images: one browser for many, in order, and an image never depends on what was drawn
before it (the renderer reuses its tabs without reloading them)."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from tests.browser import require_chromium
from wijkmodel.exports.images import NO_BROWSER, ImageError, Renderer, to_svg


def _figure(title: str, values: list[float], kind: str = "bar") -> go.Figure:
    trace = go.Bar(x=values) if kind == "bar" else go.Scatter(y=values, mode="lines+markers")
    fig = go.Figure(trace)
    fig.update_layout(title=title, width=600, height=400, font={"family": "DejaVu Sans"})
    return fig


def test_images_come_in_order_and_do_not_depend_on_what_came_before() -> None:
    require_chromium()
    a = _figure("Eerste", [1, 2, 3])
    b = _figure("Tweede met <b>opmaak</b> en een lange titel", [9, 1, 7, 3, 5], kind="line")
    b.update_layout(paper_bgcolor="#FFEEDD", annotations=[{"text": "achtergrond", "x": 1, "y": 1}])
    with Renderer() as renderer:
        first, second, again, second_again = renderer.render([a, b, a, b], scale=1)
    assert first.startswith(b"\x89PNG") and second.startswith(b"\x89PNG")
    assert first != second
    assert again == first and second_again == second  # no state carried from one image to the next
    width = int.from_bytes(first[16:20], "big")
    assert width == 600


def test_svg_carries_the_title_as_text() -> None:
    require_chromium()
    svg = to_svg(_figure("Titel in het plaatje", [1, 2])).decode()
    assert svg.startswith("<svg") and "Titel in het plaatje" in svg


def test_without_a_browser_the_message_is_one_dutch_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nergens/chromium")
    with pytest.raises(ImageError) as info, Renderer():
        pass
    assert str(info.value) == NO_BROWSER
