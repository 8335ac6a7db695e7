"""The layers of wijkmodel (docs/architecture.md): which package may import which, no import cycles,
the domain never imports Streamlit, pages never write HTML from data."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

LAYERS: list[set[str]] = [
    {"paths", "colours"},
    {"text"},
    {"model"},
    {"scoring"},
    {"storage"},
    {"analysis", "cycle", "wijkdata"},
    {"charts"},
    {"exports", "backup"},
    {"demo"},
    {"cli"},
    {"__main__"},
]
"""wijkmodel's packages from the bottom up: a package imports only packages of lower layers (and
itself); packages in one layer do not import each other. The one place the order is declared."""
RANK = {package: rank for rank, layer in enumerate(LAYERS) for package in layer}

DOMAIN = sorted((ROOT / "wijkmodel").rglob("*.py"))
PAGES = [*sorted((ROOT / "app_pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py")), ROOT / "app.py"]


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path: Path) -> set[str]:
    """Every module `path` imports, wherever in the file (a function-level import counts too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def _graph() -> dict[str, set[str]]:
    """wijkmodel's modules → the wijkmodel modules they import."""
    modules = {_module_name(p): p for p in DOMAIN}
    return {name: {m for m in _imported(path) if m in modules and m != name} for name, path in modules.items()}


def _package(module: str) -> str:
    return module.split(".")[1] if module.count(".") else module


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as a path of modules, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def _layer_breaks(graph: dict[str, set[str]]) -> list[str]:
    breaks = []
    for module, imports in sorted(graph.items()):
        if module == "wijkmodel":
            continue
        for imported in sorted(imports):
            if imported == "wijkmodel":
                continue
            mine, theirs = _package(module), _package(imported)
            if mine != theirs and RANK[theirs] >= RANK[mine]:
                breaks.append(f"{module} imports {imported}")
    return breaks


def test_every_package_has_a_layer() -> None:
    packages = {_package(m) for m in _graph() if m != "wijkmodel"}
    assert packages == set(RANK), "declare a new package in LAYERS (and in docs/architecture.md)"


def test_there_is_no_import_cycle() -> None:
    assert _cycle(_graph()) is None


def test_packages_import_only_lower_layers() -> None:
    assert _layer_breaks(_graph()) == []


@pytest.mark.parametrize(
    ("graph", "cycle"),
    [
        ({"a": {"b"}, "b": {"a"}}, ["a", "b", "a"]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
        ({"a": {"a"}}, ["a", "a"]),
    ],
)
def test_the_cycle_finder_finds_cycles(graph: dict[str, set[str]], cycle: list[str] | None) -> None:
    assert _cycle(graph) == cycle


@pytest.mark.parametrize(
    ("module", "imported", "allowed"),
    [
        ("wijkmodel.charts.base", "wijkmodel.scoring.core", True),
        ("wijkmodel.scoring.core", "wijkmodel.charts.base", False),
        ("wijkmodel.analysis.summary", "wijkmodel.cycle.targets", False),
        ("wijkmodel.storage.responses", "wijkmodel.storage.db", True),
    ],
)
def test_the_layer_check_knows_up_from_down(module: str, imported: str, allowed: bool) -> None:
    assert (_layer_breaks({module: {imported}}) == []) is allowed


@pytest.mark.parametrize("path", DOMAIN, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_domain_package_never_imports_streamlit(path: Path) -> None:
    assert not {m for m in _imported(path) if m.split(".")[0] == "streamlit"}


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_never_render_html_from_data(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "unsafe_allow_html" not in text
    # the only scripts are constants: the document language, the Dutch for Streamlit's own English, the role
    # cookie (who.py) and the scroll to the top after a step to the next wijk (scroll.py)
    scripts = {"messages.py", "browser_text.py", "who.py", "scroll.py"}
    assert text.count("unsafe_allow_javascript") == (1 if path.name in scripts else 0)


@pytest.mark.parametrize("path", sorted((ROOT / "ui").glob("*.py")), ids=lambda p: p.name)
def test_what_pages_share_never_imports_a_page(path: Path) -> None:
    # the top of the app: app.py → app_pages/ → ui/ → wijkmodel/
    assert not {m for m in _imported(path) if m.split(".")[0] in {"app_pages", "app"}}


def test_page_scripts_stay_out_of_a_pages_folder() -> None:
    # with a pages/ folder Streamlit 1.67 serves direct links with its old navigation until someone
    # opens / (verified); page scripts live in app_pages/
    assert not (ROOT / "pages").exists()
