"""Benchmark of a page (Vergelijken by default): server-side rerun time (AppTest) against a baseline.

    .venv/bin/python scripts/bench_pages.py [--sizes 10,100,1000,3500] [--repeat 7]
    .venv/bin/python scripts/bench_pages.py --page voortgang --rounds 10 --sizes 100
    .venv/bin/python scripts/bench_pages.py --login --sizes 100   # with login against without (issue 18)

For each size a SQLite database with one municipality of N wijken (2 rounds or --rounds, 4 respondents per
wijk per round, all sliders and Quickscan answers) is built. The page is run once (its profile is
then cached), after which the median of repeated reruns is taken. The baseline is a script that
only renders the same, precomputed figures and tables. Targets (issue 3): <= 300 ms at 100 wijken,
<= 1.5 s at 3,500, and page/baseline <= 1.5 at every size.

With --login the page is also run with login configured (`[auth]` in the secrets, a logged-in
account that is beheerder of the municipality, as AppTest sets them), and the rerun with login is
compared with the rerun without, on the same database (issue 18: at most 1.1).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wijkmodel.demo.synthetic_country import build_country  # noqa: E402
from wijkmodel.model.loader import load_model  # noqa: E402
from wijkmodel.storage.db import make_engine  # noqa: E402

BASELINE = """
import pickle
import streamlit as st


@st.cache_resource
def load():
    with open("{path}", "rb") as f:
        return pickle.load(f)


figures, tables = load()  # precomputed once: each rerun only renders
for fig in figures:
    st.plotly_chart(fig, width="stretch", config={{"displayModeBar": False}})
for table in tables:
    st.dataframe(table, width="stretch")
"""


def build_database(url: str, n_wijken: int, seed: int = 5, n_rounds: int = 2) -> None:
    """One municipality 'Benchmarkstad' with n wijken, `n_rounds` rounds, 4 respondents each (bulk insert)."""
    engine = make_engine(url)
    build_country(engine, [n_wijken], model=load_model(), seed=seed, n_rounds=n_rounds, names=["Benchmarkstad"])
    engine.dispose()


def median_rerun_ms(at: AppTest, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
        assert not at.exception, at.exception
    return statistics.median(times)


AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "bench-cookie-secret-of-some-length",
    "client_id": "wijkmodel",
    "client_secret": "bench",
    "server_metadata_url": "http://127.0.0.1:9400/.well-known/openid-configuration",
}
ISSUER, SUBJECT, EMAIL = "http://127.0.0.1:9400", "bench", "bench@wijkmodel.nl"


def give_login(url: str) -> None:
    """An account that is beheerder of every municipality in the database at `url`."""
    from wijkmodel.storage.accounts import account_for_login, set_role
    from wijkmodel.storage.db import make_sessionmaker
    from wijkmodel.storage.municipalities import list_municipalities
    from wijkmodel.storage.tables import AccountRole

    engine = make_engine(url)
    with make_sessionmaker(engine).begin() as s:
        account = account_for_login(session=s, issuer=ISSUER, subject=SUBJECT, email=EMAIL)
        for m in list_municipalities(session=s):
            set_role(session=s, municipality_id=m.id, account_id=account.id, role=AccountRole.ADMIN)
    engine.dispose()


def measure_page(
    url: str, page: str, repeat: int, municipality_id: int | None = None, login: bool = False
) -> dict[str, float]:
    """First run and median rerun (ms) of a page on the database at `url`, and of its baseline.

    `municipality_id` picks the municipality in the sidebar (default: the first by name); `login`:
    with login configured and the account of `give_login` logged in.
    """
    import plotly.graph_objects as go
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["WIJKMODEL_DATABASE_URL"] = url
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    if login:
        at.secrets["auth"] = AUTH
        at.user = {"is_logged_in": True, "iss": ISSUER, "sub": SUBJECT, "email": EMAIL}
    if municipality_id is not None:
        at.session_state["municipality_id"] = municipality_id
    at.run()
    at.switch_page(f"app_pages/{page}.py")
    start = time.perf_counter()
    at.run()
    first_ms = (time.perf_counter() - start) * 1000
    assert not at.exception, at.exception
    assert at.get("plotly_chart") or at.dataframe, "the page drew nothing (a login page?)"
    page_ms = median_rerun_ms(at, repeat)

    # baseline: the same figures and tables, precomputed, only rendered
    figures = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    tables = [el.value for el in at.dataframe]
    with tempfile.TemporaryDirectory() as tmp:
        pkl = Path(tmp) / "figures.pkl"
        pkl.write_bytes(pickle.dumps(([go.Figure(f) for f in figures], tables)))
        script = Path(tmp) / "baseline.py"
        script.write_text(BASELINE.format(path=pkl))
        base = AppTest.from_file(str(script), default_timeout=600)
        base.run()
        baseline_ms = median_rerun_ms(base, repeat)
    return {"first_run_ms": first_ms, "page_rerun_ms": page_ms, "baseline_ms": baseline_ms}


def bench(n: int, repeat: int, page: str = "vergelijken", n_rounds: int = 2, login: bool = False) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite"
        start = time.perf_counter()
        build_database(url, n, n_rounds=n_rounds)
        build_s = time.perf_counter() - start
        timings = measure_page(url, page, repeat)
        if login:
            give_login(url)
            with_login = [measure_page(url, page, repeat, login=True)["page_rerun_ms"] for _ in range(2)]
            without = [measure_page(url, page, repeat)["page_rerun_ms"] for _ in range(2)]
            login_ms, plain_ms = statistics.median(with_login), statistics.median([timings["page_rerun_ms"], *without])
    extra = {"login_rerun_ms": round(login_ms), "login_ratio": round(login_ms / plain_ms, 2)} if login else {}
    return {
        "pagina": page,
        "rondes": n_rounds,
        "wijken": n,
        "build_db_s": round(build_s, 1),
        "first_run_ms": round(timings["first_run_ms"]),
        "page_rerun_ms": round(timings["page_rerun_ms"]),
        "baseline_ms": round(timings["baseline_ms"]),
        "ratio": round(timings["page_rerun_ms"] / timings["baseline_ms"], 2),
        **extra,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark van een pagina (standaard Vergelijken).")
    parser.add_argument("--sizes", default="10,100,1000,3500")
    parser.add_argument("--page", default="vergelijken", help="bestandsnaam in app_pages zonder .py")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--login", action="store_true", help="ook met inloggen, tegen zonder (grens 1,1)")
    args = parser.parse_args()
    os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
    rows = [bench(int(n), args.repeat, args.page, args.rounds, args.login) for n in args.sizes.split(",")]
    import pandas as pd

    print(f"mediaan van {args.repeat} reruns na de eerste run (server-side, AppTest)")
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
