"""How each file of data/model/ is laid out: one wrapper per file around the model's parts, for the
loader."""

from __future__ import annotations

from wijkmodel.model.schema import (
    AnswerScale,
    BasicFunction,
    CoreChoice,
    Example,
    Guidance,
    Instrument,
    Link,
    Phase,
    Strict,
    Theme,
)


class InstrumentFile(Strict):
    """Contents of quickscan.yaml / in_depth.yaml."""

    instrument: Instrument
    """The instrument."""


class PhasesFile(Strict):
    """Contents of phases.yaml."""

    phases: list[Phase]
    """The four phases."""


class ThemesFile(Strict):
    """Contents of themes.yaml."""

    themes: list[Theme]
    """The six themes."""


class BasicFunctionsFile(Strict):
    """Contents of basic_functions.yaml."""

    basic_functions: list[BasicFunction]
    """The five basic functions."""


class AnswerScalesFile(Strict):
    """Contents of answer_scales.yaml."""

    answer_scales: list[AnswerScale]
    """The answer scales."""


class LinksFile(Strict):
    """Contents of links.yaml."""

    links: list[Link]
    """Theme ↔ basic-function links."""


class ExamplesFile(Strict):
    """Contents of examples.yaml."""

    examples: list[Example]
    """Inspiring examples."""


class CoreChoicesFile(Strict):
    """Contents of core_choices.yaml."""

    core_choices: list[CoreChoice]
    """The core choices of step 3."""


GuidanceFile = Guidance
"""Contents of guidance.yaml (`texts` and `terms`); the whole file is the model's `guidance`."""
