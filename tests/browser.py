"""Real-browser helpers: start `streamlit run` on a free port, launch Debian's chromium, wait for
Streamlit's script runs, run axe.

Browser tests skip with a clear message on a developer machine without chromium; in CI
(`CI=true`) a missing browser is a failure.

Waiting: a test never sleeps a fixed time. It waits for what it needs to see, or for Streamlit to
have finished a script run: `new_page` counts the runs the page sees end, `ready` waits for the
first one after a page load, and `with rerun(page): ...` for the one an action starts (a widget
change reaches the server only after the front end's debounce, so "not running" right after a key
press does not yet mean the change was handled).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM = os.environ.get("WIJKMODEL_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def require_chromium() -> str:
    """Path of chromium; skip (developer machine) or fail (CI) when it is missing."""
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return CHROMIUM
    message = f"chromium ontbreekt op {CHROMIUM}: installeer het met 'apt-get install -y chromium'"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def streamlit_server(db_url: str, script: str = "app.py", args: Sequence[str] = ()) -> Iterator[str]:
    """Run the app (or another Streamlit `script` of the repository) against `db_url`; yields its base
    URL once /_stcore/health answers 200. The server's log goes next to the database file. `args`:
    more options of `streamlit run` (`--secrets.files FILE` for login, say)."""
    port = free_port()
    env = {**os.environ, "WIJKMODEL_DATABASE_URL": db_url, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    log = open(Path(db_url.split("///", 1)[1]).with_suffix(".log"), "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            script,
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            *args,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start; see {log.name}")
            time.sleep(0.2)  # the poll interval of this wait for the health check (no fixed wait)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


SETUPS = {
    "demo": ["-m", "wijkmodel", "demo"],
    "sparse": ["-m", "wijkmodel.demo.sparse"],
    "regio": ["-c", "import sys; from wijkmodel.cli import run; sys.exit(run(['demo']) or run(['demo-regio']))"],
}
"""The municipalities a script or test can start the app with: the demo, 'Beginstad' at its very
start (wijkmodel/demo/sparse.py), and the demo with the made-up region (wijkmodel/demo/region.py)."""


@contextmanager
def demo_server(setup: str = "demo") -> Iterator[str]:
    """The app on a throw-away SQLite database with one municipality of SETUPS loaded (for the scripts
    that look at it: screenshots, the layout report); yields its base URL."""
    with seeded_server(setup) as (base, _):
        yield base


@contextmanager
def seeded_server(setup: str = "demo") -> Iterator[tuple[str, str]]:
    """As `demo_server`, yielding the base URL and the database's URL (to read it in-process too)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        url_db = f"sqlite:///{tmp}/{setup}.sqlite"
        env = {**os.environ, "WIJKMODEL_DATABASE_URL": url_db}
        subprocess.run([sys.executable, *SETUPS[setup]], check=True, env=env, stdout=subprocess.DEVNULL)
        with streamlit_server(url_db) as base:
            yield base, url_db


# --- waiting for Streamlit ------------------------------------------------------------------------

RUN_COUNTER = """(() => {
  window.__wijkmodelRuns = 0;
  // the ForwardMsg's top-level varint field number FIELD (script_finished), or -1: one message a frame
  const finished = (bytes) => {
    let i = 0;
    const varint = () => {
      let value = 0, shift = 0, byte;
      do {
        byte = bytes[i++];
        value += (byte & 0x7f) * 2 ** shift;
        shift += 7;
      } while (byte & 0x80 && i < bytes.length);
      return value;
    };
    while (i < bytes.length) {
      const key = varint(), wire = key % 8;
      if (wire === 0) { const value = varint(); if (key >> 3 === FIELD) return value; }
      // the length first: `i += varint()` adds it to i as it was before the length was read
      else if (wire === 2) { const length = varint(); i += length; }
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else return -1;
    }
    return -1;
  };
  const count = (data) => {
    const status = finished(new Uint8Array(data));
    if (status >= 0 && status !== EARLY) window.__wijkmodelRuns += 1;
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (event.data instanceof ArrayBuffer) count(event.data);
        else if (event.data instanceof Blob) event.data.arrayBuffer().then(count);
      });
    }
  };
})()"""
"""Counts the script runs that ended, from the server's own word: its ForwardMsg `script_finished`
(not the one of a run that ends early for st.rerun(), so a save followed by st.rerun() counts once).
The front end's run state in the DOM is no counter: when messages queue up, React draws
'running' and 'not running' in one go and a whole run leaves no trace there. Put in every document
of a context before the page's own scripts (`new_page`), so it restarts at 0 on a navigation or reload."""

SCRIPT_RAN = """(after) => {
  const app = document.querySelector('[data-testid="stApp"]');
  return (window.__wijkmodelRuns || 0) > after && app !== null
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]');
}"""
"""More than `after` runs ended, the front end shows none running (the status widget gone too) and
every element is drawn: Streamlit loads an element's code on its first use and shows a skeleton
meanwhile, so right after a page's first run its sliders, for one, can still be missing."""


def _run_counter() -> str:
    """RUN_COUNTER with the numbers of Streamlit's protocol filled in."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    field = ForwardMsg.DESCRIPTOR.fields_by_name["script_finished"].number
    return RUN_COUNTER.replace("FIELD", str(field)).replace("EARLY", str(ForwardMsg.FINISHED_EARLY_FOR_RERUN))


def new_page(
    browser: Browser, width: int = 1440, height: int = 900, who: str | None = "lokaal team", mobile: bool = False
) -> Page:
    """A page in a fresh Dutch context of its own that counts Streamlit's script runs.

    `who`: the role this browser chose before (its cookie, ui/who.py), as a returning user has;
    None for a first visit, when every input page asks for it first. `mobile`: a phone (touch, a
    mobile viewport, a sharp screen), as Playwright's device descriptors have it."""
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="nl-NL",
        is_mobile=mobile,
        has_touch=mobile,
        device_scale_factor=2 if mobile else None,
    )
    context.add_init_script(script=_run_counter())
    if who is not None:
        from ui.who import COOKIE, encode_who

        context.add_cookies([{"name": COOKIE, "value": encode_who(who, ""), "domain": "127.0.0.1", "path": "/"}])
    return context.new_page()


def runs(page: Page) -> int:
    """How many script runs the page has seen end since it was loaded."""
    return int(page.evaluate("window.__wijkmodelRuns || 0"))


IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app !== null && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"]');
}"""
"""No script run going on, as the front end shows it (what the tests waited for before the counter)."""


STATE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const status = document.querySelector('[data-testid="stStatusWidget"]');
  return {runs: window.__wijkmodelRuns || 0, state: app && app.getAttribute('data-test-script-state'),
          status: status && status.innerText, skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length,
          url: location.href};
}"""
"""What the page shows of Streamlit's state, for the message when a wait fails."""


LOAD_COUNT_MS = 10_000
"""How long a page load waits for the counter before it settles for idle (see `script_ran`)."""


def script_ran(page: Page, after: int = 0, timeout: float = 30_000) -> None:
    """Wait until more than `after` script runs have ended and no run is going on.

    When the counter saw no new run in all that time but the page is idle, go on with a warning: in
    a full CI run a page once waited out its time with the page long idle (the counter missed the
    run's last message), and failing there tests the counter, not the app."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # after a page load (after == 0) idle was enough before the counter existed (the caller has
    # seen the page's content): give the counter 10 s, then wait for idle
    first = min(timeout, LOAD_COUNT_MS) if after == 0 else timeout
    try:
        page.wait_for_function(SCRIPT_RAN, arg=after, timeout=first)
    except PlaywrightTimeout:
        if after == 0 and first < timeout:
            with contextlib.suppress(PlaywrightTimeout):
                page.wait_for_function(IDLE, timeout=timeout - first)
        if not page.evaluate(IDLE):
            state = page.evaluate(STATE)
            raise AssertionError(f"no script run ended after {after} in {timeout / 1000:.0f} s: {state}") from None
        warnings.warn(f"no script run counted after {after} in {first / 1000:.0f} s; the page is idle", stacklevel=2)


@contextmanager
def rerun(page: Page, timeout: float = 30_000) -> Iterator[None]:
    """Wait, after the block, for the script run an action in it started to have ended (with the
    runs after it that st.rerun() asked for)."""
    before = runs(page)
    yield
    script_ran(page, before, timeout)


PLOTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
  .every(chart => chart.querySelector('.js-plotly-plot .main-svg') !== null)"""
"""Every plotly chart on the page has drawn its picture (plotly draws after its element appears)."""


def ready(page: Page, heading: str, timeout: float = 30_000) -> None:
    """After a page load: the heading shows, the page says it is Dutch and its first run has ended."""
    page.get_by_role("heading", name=heading, exact=True).first.wait_for(timeout=timeout)
    page.wait_for_function("document.documentElement.lang === 'nl'", timeout=timeout)
    script_ran(page, 0, timeout)


def drawn(page: Page, timeout: float = 30_000) -> None:
    """After `ready`: every chart drawn and nothing more fetched (icons, chart code; the websocket aside)."""
    page.wait_for_function(PLOTS_DRAWN, timeout=timeout)
    page.wait_for_load_state("networkidle", timeout=timeout)


def page_paths() -> list[str]:
    """The URL path of every page of the app's navigation (ui/pages.py); '' for the first, the default."""
    from ui.pages import PAGES

    return ["" if number == 0 else Path(spec.path).stem for number, spec in enumerate(PAGES)]


def serious_violations(page: Page) -> list[dict]:
    """axe-core violations of impact serious or critical on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def screenshot_dir() -> Path:
    """Where screenshots go: outside the repository unless WIJKMODEL_SCREENSHOTS says otherwise."""
    path = Path(os.environ.get("WIJKMODEL_SCREENSHOTS", "/tmp/wijkmodel-screenshots"))
    path.mkdir(parents=True, exist_ok=True)
    return path
