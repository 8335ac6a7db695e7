# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export STREAMLIT_BROWSER_GATHER_USAGE_STATS := false

.PHONY: install run demo test test-fast lint gallery bench bench-pages bench-progress bench-exports bench-wijkdata bench-limit bench-locks bench-scale bench-cli bench-sliders bench-session fuzz clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

## Start the app on the default SQLite database (var/wijkmodel.sqlite), with the demo municipality.
run: install
	$(PY) -m wijkmodel demo --skip-existing
	$(PY) -m streamlit run app.py --server.headless true --server.address 127.0.0.1 --server.port 8501

demo: install
	$(PY) -m wijkmodel demo --skip-existing

## Lint, type-check and run every test (browser tests need /usr/bin/chromium; in CI they must run).
test: install lint
	$(PY) -m pytest

## Quick feedback while working: lint, type-check and every test but the browser tests (marked
## `browser` by their fixtures in tests/conftest.py). `make test` runs them all, as CI does.
test-fast: install lint
	$(PY) -m pytest -m "not browser" -n 2

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

## Every chart of the demo and of Beginstad at every size into var/gallery/ with an index page (issue 16).
gallery: install
	$(PY) scripts/gallery.py --out var/gallery

bench: install
	$(PY) -m wijkmodel.demo.bench

bench-pages: install
	$(PY) scripts/bench_pages.py

bench-progress: install
	$(PY) scripts/bench_pages.py --page voortgang --rounds 10 --sizes 100
	$(PY) scripts/bench_pages.py --page vergelijken --rounds 10 --sizes 100

bench-exports: install
	$(PY) scripts/bench_exports.py

bench-wijkdata: install
	$(PY) scripts/bench_wijkdata.py

## A municipality at the wijk limit (wijkmodel/storage/limits.py): every page server side (<= 2 s) and the
## server's memory (<= 1 GB); BENCH_LIMIT_ARGS="--browser" also measures the browser tab in chromium.
bench-limit: install
	$(PY) scripts/bench_limit.py $(BENCH_LIMIT_ARGS)

## Save locks on PostgreSQL (issue 13): a slider save in one municipality while another imports;
## BENCH_LOCKS_URL is a PostgreSQL database that is emptied (e.g. from scripts/pg_throwaway.sh).
bench-locks: install
	$(PY) scripts/bench_locks.py --url "$${BENCH_LOCKS_URL:?zet BENCH_LOCKS_URL op een PostgreSQL-database die leeg mag}"

## Scale (issue 7): a synthetic country of 342 municipalities on SQLite in a temporary folder, or on
## BENCH_SCALE_URL (for example a throw-away PostgreSQL from scripts/pg_throwaway.sh; it is emptied).
## More options in BENCH_SCALE_ARGS, for example BENCH_SCALE_ARGS="--repeat 7 --show-plans". Then, on that
## country, the page Regio for a region of 10 municipalities (issue 20: first run <= 2 s, rerun <= 500 ms).
bench-scale: install
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(PY) scripts/bench_scale.py --url "$${BENCH_SCALE_URL:-sqlite:///$$tmp/land.sqlite}" $(BENCH_SCALE_ARGS) && \
	$(PY) scripts/bench_region.py --url "$${BENCH_SCALE_URL:-sqlite:///$$tmp/land.sqlite}"

## How fast the command line starts (issue 14): `--help` (<= 0.3 s) and `summary` on the demo
## (<= 1.5 x `import pandas, sqlalchemy, pydantic`), medians of 5 processes; exit 1 on a miss.
bench-cli: install
	$(PY) scripts/bench_cli.py

## Instant sliders (issue 17, item 9): a slider move on Startpositie against a bare Streamlit page with
## the same widgets (scripts/bench_sliders_bare.py), medians in chromium; target <= 1.3 x the bare page.
## More options in BENCH_SLIDERS_ARGS, for example BENCH_SLIDERS_ARGS="--moves 21 --json".
bench-sliders: install
	$(PY) scripts/bench_sliders.py $(BENCH_SLIDERS_ARGS)

## A session with partners (issue 19): 50 respondents saving at once (SQLite; PostgreSQL with
## BENCH_SESSION_ARGS="--postgres URL"), and the server's memory with 50 phone sessions (--memory).
bench-session: install
	$(PY) scripts/bench_session.py $(BENCH_SESSION_ARGS)

## Property tests with fresh random examples, FUZZ times as many as the normal (repeatable) run.
FUZZ ?= 50
fuzz: install
	WIJKMODEL_FUZZ=$(FUZZ) $(PY) -m pytest -q tests/test_properties_backup.py \
		tests/test_properties_wijk_import.py tests/test_properties_forms.py tests/test_markdown_text.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
