"""The split of DESIGN §4: the domain package never imports Streamlit; pages never write HTML from data."""

from __future__ import annotations

import ast

import pytest

from tests.conftest import ROOT

DOMAIN = sorted((ROOT / "wijkmodel").glob("*.py"))
PAGES = [*sorted((ROOT / "app_pages").glob("*.py")), ROOT / "app.py"]


def _imports(path) -> set[str]:  # type: ignore[no-untyped-def]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", DOMAIN, ids=lambda p: p.name)
def test_the_domain_package_never_imports_streamlit(path) -> None:  # type: ignore[no-untyped-def]
    assert "streamlit" not in _imports(path)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_pages_never_render_html_from_data(path) -> None:  # type: ignore[no-untyped-def]
    text = path.read_text(encoding="utf-8")
    assert "unsafe_allow_html" not in text
    # the only scripts are constants: the document language, and the Dutch upload-size refusal
    assert text.count("unsafe_allow_javascript") == (1 if path.name in {"common.py", "browser_text.py"} else 0)
