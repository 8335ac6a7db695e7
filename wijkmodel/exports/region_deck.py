"""The region's deck (issue 20): a title slide and the section 'Regio', every chart as a picture."""

from __future__ import annotations

import datetime as dt

from wijkmodel.analysis.region import Comparison
from wijkmodel.exports.deck import build_deck
from wijkmodel.exports.downloads import SLIDE_SCALE, for_slide
from wijkmodel.exports.images import Renderer
from wijkmodel.exports.region import region_slides
from wijkmodel.exports.slides import Briefing
from wijkmodel.model.schema import MaturityModel


def region_deck(
    comparison: Comparison,
    model: MaturityModel,
    today: dt.date,
    *,
    before: Comparison | None = None,
    item: str | None = None,
) -> bytes:
    """The region's deck (.pptx): a title slide and the section 'Regio', every chart as a picture."""
    slides = region_slides(comparison, model, today, before=before, item=item)
    briefing = Briefing(
        municipality=comparison.region,
        round_label=comparison.key,
        round_date=today,
        date=today,
        model_version=model.version,
        parts=list(slides),
    )
    drawn = [(s, for_slide(s, s.figure)) for s in briefing.slides if s.figure is not None]
    with Renderer() as renderer:
        pngs = renderer.render([figure for _, figure in drawn], scale=SLIDE_SCALE)
    return build_deck(briefing, {s.key: png for (s, _), png in zip(drawn, pngs, strict=True)})
