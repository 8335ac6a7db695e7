"""Chart builders: palette rules, titles and captions, phases named, Dutch numbers."""

from __future__ import annotations

import datetime as dt
import itertools
import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from wijkmodel.analysis.views import item_names
from wijkmodel.charts.base import PHASE_COLOURS, PHASE_TEXT_COLOURS, Caption, key_entries
from wijkmodel.charts.comparison import heatmap_figure, radar_figure, ranking_figure, small_multiples_figure
from wijkmodel.charts.profile import profile_figure, startpositie_figure
from wijkmodel.model.schema import MaturityModel

CAPTION = Caption(
    municipality="Voorbeeldstad",
    round_label="2026",
    rule_label="middelste waarde van de thema's",
    date=dt.date(2026, 11, 23),
)


def contrast(a: str, b: str) -> float:
    def lum(h: str) -> float:
        rgb = [int(h[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, bl = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * bl

    la, lb = lum(a), lum(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


@pytest.mark.parametrize("phase", [1, 2, 3, 4])
def test_phase_colours_stand_out_and_carry_readable_text(phase: int) -> None:
    assert contrast(PHASE_COLOURS[phase], "#FFFFFF") >= 3.0
    assert contrast(PHASE_COLOURS[phase], PHASE_TEXT_COLOURS[phase]) >= 4.5


def test_phase_colours_are_ordered_dark_light_light_dark_and_distinct() -> None:
    colours = [PHASE_COLOURS[k] for k in (1, 2, 3, 4)]
    assert len(set(colours)) == 4
    for a, b in itertools.pairwise(colours):
        assert a != b


def _table(model: MaturityModel, n: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    values = rng.uniform(0, 100, size=(n, 11))
    values[0, 2] = np.nan
    return pd.DataFrame(values, columns=list(item_names(model).values()), index=[f"Wijk {i}" for i in range(n)])


def _titles(fig: go.Figure) -> tuple[str, str]:
    return fig.layout.title.text, fig.layout.title.subtitle.text


def test_every_chart_has_a_title_and_a_caption_naming_municipality_round_rule_and_date(model: MaturityModel) -> None:
    table = _table(model)
    items = pd.DataFrame(
        {
            "label": table.columns,
            "score": table.iloc[1].to_numpy(),
            "phase": [3.0] * 11,
            "low": np.nan,
            "high": np.nan,
            "note": "",
        }
    )
    rows = pd.DataFrame({"name": [t.name for t in model.themes_ordered()], "score": [10, 30, np.nan, 60, 80, 100]})
    figures = [
        startpositie_figure(rows, model, CAPTION, "Startpositie"),
        profile_figure(items, model, CAPTION, "Profiel"),
        heatmap_figure(table, model, CAPTION, "Heatmap"),
        radar_figure(table, model, CAPTION, "Radar"),
        ranking_figure(table.iloc[:, 0], model, CAPTION, "Rangorde"),
        small_multiples_figure(table, model, CAPTION, "Klein"),
    ]
    for fig in figures:
        title, subtitle = _titles(fig)
        assert title
        # wrapped between its parts, so it never runs out of a narrow chart
        # (the radar adds what its rings mean)
        assert subtitle.replace("<br>", " · ").startswith(
            "Voorbeeldstad · ronde 2026 · totaalfase: middelste waarde van de thema's · 23-11-2026"
        )
        assert fig.layout.separators == ",."


def test_phase_coloured_charts_name_the_phases(model: MaturityModel) -> None:
    fig = heatmap_figure(_table(model), model, CAPTION, "Heatmap")
    text = json.dumps(fig.to_plotly_json(), ensure_ascii=False)
    for phase in model.phases:
        assert f"Fase {phase.number} · {phase.name}" in text


def test_heatmap_shows_every_unit_and_missing_scores_as_a_dash(model: MaturityModel) -> None:
    table = _table(model, 8)
    fig = heatmap_figure(table, model, CAPTION, "Heatmap")
    heat = fig.data[0]
    assert list(heat.y) == list(table.index)
    assert heat.text[0][2] == "–" and heat.z[0][2] is None
    assert "," in heat.text[1][0] or heat.text[1][0].isdigit()


def test_startpositie_marks_unplaced_themes(model: MaturityModel) -> None:
    rows = pd.DataFrame({"name": [t.name for t in model.themes_ordered()], "score": [10, 30, np.nan, 60, 80, 100]})
    fig = startpositie_figure(rows, model, CAPTION, "Startpositie")
    assert any(a.text == "nog niet geplaatst" for a in fig.layout.annotations)
    ticks = fig.layout.xaxis.ticktext
    assert "Start van" in ticks[0] and "Samen op weg" in ticks[1]


def test_radar_refuses_more_than_six_units(model: MaturityModel) -> None:
    with pytest.raises(ValueError, match="zes"):
        radar_figure(_table(model, 7), model, CAPTION, "Radar")


def test_long_and_hostile_wijk_names_wrap_and_stay_text(model: MaturityModel) -> None:
    from wijkmodel.charts.comparison import ranking_figure

    long = "Binnenstad-Noord met de Vogelbuurt en het Oude Havenkwartier"
    series = pd.Series([60.0, 30.0], index=[long, "<b>Vet</b>"])
    fig = ranking_figure(series, model, CAPTION, "Rangorde")
    labels = list(fig.data[0].y)
    assert all(len(line) <= 32 for line in labels[1].split("<br>"))  # wrapped, not squeezing the plot
    assert labels[0] == "&lt;b&gt;Vet&lt;/b&gt;"  # shown as typed, not as bold


def test_names_typed_by_users_never_become_chart_markup(model: MaturityModel) -> None:
    """Plotly reads <b>, <a href> and entities in titles; a wijk or round name must show as typed."""
    hostile = '<a href="https://example.org">Noord</a> & <b>Zuid</b>'
    caption = Caption(
        municipality=hostile, round_label="<i>2026</i>", rule_label="gemiddelde", date=dt.date(2026, 3, 1)
    )
    rows = pd.DataFrame({"name": [t.name for t in model.themes_ordered()], "score": [10, 30, 50, 60, 80, 100]})
    fig = startpositie_figure(rows, model, caption, f"Startpositie · lokaal team · {hostile}")
    for text in (fig.layout.title.text, fig.layout.title.subtitle.text):
        assert "<a" not in text and "<b>" not in text and "<i>" not in text
        assert "&lt;a href=" in text and "&amp;" in text


@pytest.mark.parametrize("with_targets", [True, False])
def test_the_target_is_named_in_the_phase_key_not_in_a_legend_of_its_own(
    model: MaturityModel, with_targets: bool
) -> None:
    # a plotly legend placed under the key by pixels landed on it once fonts grew for the beamer (issue 16)
    labels = [t.name for t in model.themes_ordered()]
    items = pd.DataFrame(
        {"label": labels, "score": [40.0] * 6, "phase": [2.0] * 6, "low": np.nan, "high": np.nan, "note": ""}
    )
    targets = pd.Series([60.0, *[np.nan] * 5], index=labels) if with_targets else None
    fig = profile_figure(items, model, CAPTION, "Profiel", targets=targets)
    key = key_entries(fig)
    assert key[0].startswith("<span") and "Fase 4 · " in key[3]
    assert (key[-1] == "◇ Streefwaarde") is with_targets
    assert not any(trace.showlegend for trace in fig.data if trace.name not in key)


def test_the_dumbbell_names_its_markers_in_the_phase_key_escaped(model: MaturityModel) -> None:
    from wijkmodel.charts.cycle import dumbbell_figure

    table = pd.DataFrame({"before": [30.0, 50.0], "after": [45.0, 70.0]}, index=["Noord", "Zuid"])
    fig = dumbbell_figure(table, model, CAPTION, "Voortgang", ("Ronde <b>2025</b>", "Ronde 2026"))
    key = key_entries(fig)
    assert key[-1] == "○ Ronde &lt;b&gt;2025&lt;/b&gt;&nbsp;&nbsp;&nbsp;◆ Ronde 2026"
    assert all(trace.showlegend is False for trace in fig.data if trace.mode == "markers" and trace.name not in key)


def test_the_accent_is_the_theme_s_primary_colour_readable_and_no_phase_colour() -> None:
    import tomllib

    from tests.conftest import ROOT
    from wijkmodel.colours import ACCENT, rgb

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["theme"]["primaryColor"].upper() == ACCENT.upper()
    assert contrast(ACCENT, "#FFFFFF") >= 4.5  # white text on a primary button or a header row
    for phase_colour in PHASE_COLOURS.values():
        # far from every phase colour: a header or a slider never reads as a phase
        assert sum(abs(a - b) for a, b in zip(rgb(ACCENT), rgb(phase_colour), strict=True)) > 120


def test_small_multiples_say_when_a_wijk_has_no_score_yet(model: MaturityModel) -> None:
    table = _table(model)
    table.iloc[1] = np.nan
    fig = small_multiples_figure(table, model, CAPTION, "Klein")
    empty = [a for a in fig.layout.annotations if a.text == "nog geen score"]
    assert len(empty) == 1 and empty[0].xref == "x2 domain"  # in the second wijk's own plot


def test_heatmap_names_every_row_on_one_line_distinct_and_escaped(model: MaturityModel) -> None:
    long = "Bedrijventerrein De Kooi en buitengebied Beginbroek"
    table = _table(model, 4)
    table.index = [long, long + " Noord", "Oost <b>", "West"]
    fig = heatmap_figure(table, model, CAPTION, "Scores")
    rows = list(fig.data[0].y)
    assert rows[0] == "Bedrijventerrein De Kooi en buitengebie…"
    assert rows[1] == "Bedrijventerrein De Kooi en buitengebie… (2)"  # not merged into the first row
    assert rows[2] == "Oost &lt;b&gt;"
    assert list(fig.layout.yaxis.tickvals) == rows  # every row named, also when rows are low
    assert long in fig.data[0].customdata[0][0]  # the full name in the hover
