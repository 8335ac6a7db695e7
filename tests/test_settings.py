"""The deployment settings in .streamlit/config.toml: safe by default."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_the_server_listens_on_loopback_with_xsrf_protection_and_a_20_mb_upload_limit() -> None:
    server = CONFIG["server"]
    assert server["address"] == "127.0.0.1"
    assert server["enableXsrfProtection"] is True
    assert 0 < server["maxUploadSize"] <= 20


def test_users_see_no_error_details_no_developer_toolbar_and_no_usage_statistics_are_sent() -> None:
    assert CONFIG["client"]["showErrorDetails"] == "none"
    assert CONFIG["client"]["toolbarMode"] == "viewer"
    assert CONFIG["browser"]["gatherUsageStats"] is False


def test_magic_is_off() -> None:
    assert CONFIG["runner"]["magicEnabled"] is False


def _bare_expressions(path: Path) -> list[str]:
    """Statements that only Streamlit's magic would show: an expression on its own line that is not a
    call, a docstring, an await or a yield (magic leaves those alone too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    blocks = [
        (node, field == "body", block)
        for node in ast.walk(tree)
        for field in ("body", "orelse", "finalbody")
        if isinstance(block := getattr(node, field, None), list)
    ]
    for node, is_body, block in blocks:
        for position, statement in enumerate(block):
            if not isinstance(statement, ast.Expr):
                continue
            value = statement.value
            docstring = (
                is_body
                and position == 0
                and isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                and isinstance(value, ast.Constant)
                and isinstance(value.value, str)
            )
            if not (docstring or isinstance(value, ast.Call | ast.Await | ast.Yield | ast.YieldFrom)):
                found.append(f"{path.name}:{statement.lineno}")
    return found


@pytest.mark.parametrize("path", [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py"))], ids=lambda p: p.name)
def test_no_page_relies_on_magic(path: Path) -> None:
    assert _bare_expressions(path) == []


def test_the_magic_check_finds_a_bare_expression(tmp_path: Path) -> None:
    script = tmp_path / "pagina.py"
    script.write_text(
        '"""Doc."""\nimport streamlit as st\nx = 1\nx\nst.write(x)\nif x:\n    "tekst"\nelse:\n    x\n'
        "try:\n    pass\nfinally:\n    x\n"
    )
    assert sorted(_bare_expressions(script)) == ["pagina.py:13", "pagina.py:4", "pagina.py:7", "pagina.py:9"]


def _page_config_icon() -> ast.expr:
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "set_page_config"
    ]
    # one call sets the icon; a later one sets only the page's sidebar (ui/pages.py)
    with_icon = [c for c in calls if any(k.arg == "page_icon" for k in c.keywords)]
    assert len(with_icon) == 1
    return next(k.value for k in with_icon[0].keywords if k.arg == "page_icon")


def test_the_page_icon_is_a_file_of_the_app_not_one_the_browser_fetches_elsewhere() -> None:
    """A ':material/...:' icon is fetched from fonts.gstatic.com and an emoji from a CDN, on every
    page load; a file is served by the app itself (tests/test_browser_safe_output.py checks every
    request in chromium)."""
    icon = _page_config_icon()
    assert not isinstance(icon, ast.Constant), f"page_icon={ast.unparse(icon)}: een icoon van een andere server"
    assert ast.unparse(icon) == "Path(__file__).parent / 'static' / 'hub.png'"
    assert (ROOT / "static" / "hub.png").is_file()
    assert "Apache License" in (ROOT / "static" / "LICENSE-MaterialSymbols.txt").read_text(encoding="utf-8")


def test_no_setting_points_at_another_host() -> None:
    text = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert "://" not in text and "fonts.g" not in text
