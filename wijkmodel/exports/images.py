"""Charts as static images (PNG, SVG) through kaleido, with one browser for a whole batch.

Starting Chromium costs about 2.5 s, a figure about 0.2-0.4 s after that; so a deck renders all
its figures in one browser session, and one chart download starts one browser of its own.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import shutil
import threading
from collections.abc import Sequence
from typing import Any, Literal

import kaleido
import plotly.graph_objects as go

Format = Literal["png", "svg"]
WIDTH = 1200
"""Pixel width of an exported chart before scaling; height comes from the figure."""
SCALE = 2
"""PNG pixels per CSS pixel: sharp on a beamer and in print."""

_lock = threading.Lock()  # one browser at a time per server process: Chromium is heavy


class ImageError(RuntimeError):
    """Images cannot be made (no browser, or the browser failed); the message is Dutch."""


def browser_path() -> str | None:
    """The Chromium kaleido will use: BROWSER_PATH, else the system's chromium or chrome."""
    configured = os.environ.get("BROWSER_PATH")
    if configured:
        return configured if os.path.exists(configured) else None
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


NO_BROWSER = (
    "Voor plaatjes, de presentatie en het verslag is de browser Chromium nodig, maar die staat niet op deze "
    "computer. Vraag de beheerder om Chromium te installeren (Debian/Ubuntu: apt-get install chromium)."
)


def _options(fig: go.Figure, fmt: Format, scale: float) -> dict:
    width, height = int(fig.layout.width or WIDTH), int(fig.layout.height or 600)
    return {"format": fmt, "width": width, "height": height, "scale": scale if fmt == "png" else 1}


class _ReusingKaleido(kaleido.Kaleido):
    """Kaleido without the page reload after every image.

    Stock kaleido reloads a tab (and so parses plotly.js again) after each figure: measured on the
    demo deck's 13 charts, 5.3-6.2 s with the reload and 2.1-2.4 s without, with identical bytes.
    Every figure is drawn into a fresh element anyway; tests check that an image does not depend
    on what was drawn before it."""

    async def _return_kaleido_tab(self, tab: Any) -> None:
        await self.tabs_ready.put(tab)


class Renderer:
    """One browser for a batch of figures. It starts in the background on entering, so the
    caller can build its figures while Chromium boots; `render` then waits for it.

        with Renderer() as renderer:
            figures = build_them()          # overlaps the browser start
            pngs = renderer.render(figures)
    """

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._browser: concurrent.futures.Future[kaleido.Kaleido] | None = None

    def __enter__(self) -> Renderer:
        path = browser_path()
        if path is None:
            raise ImageError(NO_BROWSER)
        _lock.acquire()
        # kaleido is asyncio; a loop in a thread of its own works from any caller (Streamlit included)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="wijkmodel-images", daemon=True)
        self._thread.start()
        self._browser = asyncio.run_coroutine_threadsafe(self._open(path), self._loop)
        return self

    @staticmethod
    async def _open(path: str) -> kaleido.Kaleido:
        # one tab: a second one costs more to start than it saves on two cores (measured)
        browser = _ReusingKaleido(n=1, mathjax=False, timeout=60, path=path)
        await browser.open()
        return browser

    def render(self, figures: Sequence[go.Figure], fmt: Format = "png", scale: float = SCALE) -> list[bytes]:
        """Every figure as PNG or SVG bytes, in order."""
        assert self._loop is not None and self._browser is not None, "use Renderer as a context manager"
        browser_future = self._browser

        async def run() -> list[bytes]:
            browser = await asyncio.wrap_future(browser_future)
            return [await browser.calc_fig(fig, opts=_options(fig, fmt, scale)) for fig in figures]

        try:
            return asyncio.run_coroutine_threadsafe(run(), self._loop).result()
        except Exception as exc:  # kaleido and choreographer raise many kinds; the user needs one message
            raise ImageError(f"De plaatjes konden niet gemaakt worden: {exc}") from exc

    def __exit__(self, *exc: object) -> None:
        assert self._loop is not None and self._thread is not None and self._browser is not None
        try:
            if self._browser.done() and self._browser.exception() is None:
                asyncio.run_coroutine_threadsafe(self._browser.result().close(), self._loop).result(timeout=30)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=30)
            self._loop.close()
            _lock.release()


def render(figures: Sequence[go.Figure], fmt: Format = "png", scale: float = SCALE) -> list[bytes]:
    """Every figure as PNG or SVG bytes, in order, from one browser session."""
    if not figures:
        return []
    with Renderer() as renderer:
        return renderer.render(figures, fmt, scale)


def to_png(figure: go.Figure, scale: float = SCALE) -> bytes:
    """One chart as PNG (twice the pixels by default), title and caption included."""
    return render([figure], "png", scale)[0]


def to_svg(figure: go.Figure) -> bytes:
    """One chart as SVG, title and caption included."""
    return render([figure], "svg")[0]
