"""Strict pydantic models of the maturity model (data/model/*.yaml).

Every model forbids unknown keys, so a typo in a data file fails loudly. Cross-references (a
link to an unknown theme, a question of an unknown basic function, duplicate ids) are checked in
the root model, `MaturityModel`. The loader maps each top-level field back to its file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, model_validator

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+$", min_length=1, max_length=40)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

GENERAL = "algemeen"
"""Pseudo basic function of the in-depth questions that belong to no single basic function."""


class Strict(BaseModel):
    """Base of every data-file model: unknown keys are an error, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    """One of the five source publications."""

    id: Id
    """Stable id used in citations (`ozj`, `quickscan`, ...)."""
    title: Text
    """Title as printed on the publication."""
    publisher: Text | None = None
    """Publisher; None where the publication does not name one (we do not guess)."""
    year: int | None = Field(default=None, ge=1990, le=2100)
    """Year of publication; None where the publication does not state it."""
    seed: Text
    """File name of the plain-text copy in shared/seeds (for traceability)."""

    def citation(self) -> str:
        """Short Dutch reference: title, publisher, year ('z.j.' when unknown)."""
        publisher = self.publisher or "Uitgever niet vermeld"
        year = str(self.year) if self.year else "z.j."  # 'zonder jaartal'
        text = f"{self.title}. {publisher}, {year}"
        return text if text.endswith(".") else text + "."


class Citation(Strict):
    """Where in a source publication something comes from."""

    source: Id
    """Id of a `Source`."""
    location: Text
    """Chapter, step or section in the publication, in Dutch."""
    passage: Text | None = None
    """Verbatim words from the publication (OCR slips corrected)."""


class ModelInfo(Strict):
    """Contents of model.yaml."""

    version: Text
    """Model version; recorded with every stored value."""
    title: Text
    """Name of the model as shown to users."""
    sources: list[Source]
    """The source publications."""


class Phase(Strict):
    """A phase of the maturity model (seed 004, step 2)."""

    number: int = Field(ge=1, le=4)
    """1 to 4; phase k covers scores [25(k-1), 25k)."""
    name: Text
    """Name as in the publication."""
    description: Text
    """The phase paragraph of the publication."""
    source: Citation
    """Where the paragraph stands."""


class Descriptor(Strict):
    """What one phase looks like for one theme."""

    phase: int = Field(ge=1, le=4)
    """Phase number."""
    text: Text
    """Short description, B1 Dutch."""
    derived: bool
    """True ('afgeleid') when the phase paragraph is silent on this theme."""
    source: Citation
    """Passage the descriptor rests on (or is derived from)."""

    @model_validator(mode="after")
    def _passage_required(self) -> Descriptor:
        if self.source.passage is None:
            raise ValueError("een beschrijving per fase moet een passage (source.passage) citeren")
        return self


class Theme(Strict):
    """One of the six themes (seed 004, chapter 2)."""

    id: Id
    """Stable id, e.g. `lokale_teams`."""
    name: Text
    """Name as shown to users."""
    order: int = Field(ge=1)
    """Display order."""
    description: Text
    """Description from chapter 2."""
    source: Citation
    """Where the description stands."""
    descriptors: list[Descriptor]
    """Exactly one descriptor per phase 1..4."""

    @model_validator(mode="after")
    def _one_descriptor_per_phase(self) -> Theme:
        phases = sorted(d.phase for d in self.descriptors)
        if phases != [1, 2, 3, 4]:
            raise ValueError(f"descriptors moet precies fase 1, 2, 3 en 4 bevatten, niet {phases}")
        return self

    def descriptor(self, phase: int) -> Descriptor:
        """The descriptor of this theme for a phase number."""
        return next(d for d in self.descriptors if d.phase == phase)


class BasicFunction(Strict):
    """One of the five basic functions of local teams (seeds 003, 001, 000)."""

    id: Id
    """Stable id `BF1`..`BF5`."""
    number: int = Field(ge=1)
    """Number and display order."""
    name: Text
    """Name as shown to users."""
    summary: Text
    """One-line summary (seed 000, background)."""
    description: Text
    """Description (seed 003)."""
    quickscan_description: Text
    """Description as given in the Quickscan (seed 001)."""
    ratio: Text
    """'Waarom is dit belangrijk?' (seed 001)."""


class AnswerOption(Strict):
    """One answer of an answer scale."""

    id: Id
    """Stable id, stored with each answer."""
    label: Text
    """Label as shown to users."""
    score: float | None = Field(ge=0, le=100)
    """Score on 0-100; None counts for nothing (neither scored nor answered)."""
    order: int = Field(ge=1)
    """Display order."""


class AnswerScale(Strict):
    """An answer scale, kept as data (docs/scoring.md)."""

    id: Id
    """Stable id."""
    name: Text
    """Name."""
    options: list[AnswerOption]
    """The options, at least two of which carry a score."""

    @model_validator(mode="after")
    def _check_options(self) -> AnswerScale:
        _require_unique((o.id for o in self.options), "options.id")
        if sum(o.score is not None for o in self.options) < 2:
            raise ValueError("een antwoordschaal heeft minstens twee antwoorden met een score")
        return self

    def extremes(self) -> tuple[str, str]:
        """Ids of the lowest and the highest scored option (the two a `good_answer` can be)."""
        scored = [o for o in self.options if o.score is not None]
        # ties (Ja and "anders geborgd" both score high) go to the first in display order
        lowest = min(scored, key=lambda o: (o.score, o.order))
        highest = min(scored, key=lambda o: (-(o.score or 0.0), o.order))
        return lowest.id, highest.id

    def ordered(self) -> list[AnswerOption]:
        """The options in display order."""
        return sorted(self.options, key=lambda o: o.order)


class Question(Strict):
    """One question of an instrument."""

    id: Id
    """Stable id, e.g. `BF4-Q3` or `VV-ALG-07`."""
    basic_function: Id
    """Id of a basic function, or `algemeen`."""
    number: int = Field(ge=1)
    """Number within its basic function, as in the source."""
    text: Text
    """Source text, OCR slips corrected."""
    explanation: Text | None = None
    """Sub-line under the question in the source, if any."""
    answer_scale: Id | None = None
    """Id of the answer scale that fits this question; None = the instrument's scale."""
    good_answer: Id
    """Id of the answer that means 'arranged well': the option with the highest or the lowest
    score of the question's scale. When it is the lowest, the scale counts the other way round
    (docs/scoring.md, "Polarity"): for "Zijn er wachttijden?" *Nee* is good."""
    polarity_note: Text | None = None
    """Short note shown beside the answers where the polarity could surprise ("Ja = er zijn
    wachttijden")."""
    condition: Id | None = None
    """Id of the condition ('randvoorwaarde', randvoorwaarden.yaml) the question asks about; only
    questions of the instrument `randvoorwaarden` have one (their `basic_function` is `algemeen`)."""
    source: Citation | None = None
    """The passage the question is drawn from; required for the Randvoorwaarden, whose questions are
    phrased after a passage rather than copied from a list of questions."""


class Instrument(Strict):
    """A questionnaire: the Quickscan or the in-depth questions."""

    id: Id
    """`quickscan` or `in_depth`."""
    name: Text
    """Name as shown to users."""
    description: Text
    """Introduction from the source."""
    source: Id
    """Id of the source publication."""
    answer_scale: Id
    """Id of the answer scale used."""
    questions: list[Question]
    """Questions in source order."""


class Condition(Strict):
    """One of the five 'congruente randvoorwaarden' of seed 002: what a municipality arranges so that
    wijkteams can do their work."""

    id: Id
    """Stable id, e.g. `gedeelde_visie`."""
    number: int = Field(ge=1)
    """Number and display order (the order of the publication)."""
    name: Text
    """Heading as in the publication."""
    text: Text
    """The passage under the heading, verbatim."""
    theme: Id
    """Id of the theme of the maturity model this condition serves."""
    rationale: Text
    """Why it serves that theme (B1 Dutch, our words)."""
    source: Citation
    """Where the passage stands."""

    @model_validator(mode="after")
    def _passage_required(self) -> Condition:
        if self.source.passage is None:
            raise ValueError("een randvoorwaarde moet een passage (source.passage) citeren")
        return self


class Randvoorwaarden(Strict):
    """Contents of randvoorwaarden.yaml: the five conditions and the instrument that asks about them."""

    conditions: list[Condition]
    """The conditions in the order of the publication."""
    instrument: Instrument
    """The instrument `randvoorwaarden`: questions per condition, answered for the municipality as a whole."""

    def conditions_ordered(self) -> list[Condition]:
        """Conditions in display order."""
        return sorted(self.conditions, key=lambda c: c.number)

    def condition(self, condition_id: str) -> Condition:
        """A condition by id."""
        return next(c for c in self.conditions if c.id == condition_id)

    def questions_of(self, condition_id: str) -> list[Question]:
        """The questions of one condition, in order."""
        return sorted((q for q in self.instrument.questions if q.condition == condition_id), key=lambda q: q.number)


class SourceList(Strict):
    """A heading with its list and/or lead paragraph, verbatim from a publication."""

    id: Id
    """Stable id."""
    title: Text
    """Heading as in the publication."""
    intro: Text | None = None
    """Lead paragraph under the heading, verbatim (if any)."""
    items: list[Text] = Field(default_factory=list)
    """The list items, verbatim, in order."""
    basic_function: Id | None = None
    """Id of the basic function this text is guidance for (if any)."""
    source: Citation
    """Where it stands; `passage` quotes the heading or lead words it starts with."""

    @model_validator(mode="after")
    def _has_content(self) -> SourceList:
        if self.intro is None and not self.items:
            raise ValueError("een tekst uit een bron heeft een inleiding (intro) of punten (items)")
        if self.source.passage is None:
            raise ValueError("een tekst uit een bron moet een passage (source.passage) citeren")
        return self


class Assignment(Strict):
    """Contents of assignment.yaml: the broad assignment of wijkteams and the safety part (seed 002)."""

    parts: SourceList
    """The four parts the broad assignment consists of."""
    aims: SourceList
    """The three aims wijkteams work on with inhabitants."""
    principles: SourceList
    """The seven working principles ('Hoe werken wijkteams')."""
    safety: list[SourceList]
    """The safety part (Deel 2): guidance for a basic function, in the order of the publication."""

    def sections(self) -> list[SourceList]:
        """Parts, aims and principles, in the order of the publication."""
        return [self.parts, self.aims, self.principles]

    def guidance_for(self, bf_id: str) -> list[SourceList]:
        """The safety texts that are guidance for one basic function."""
        return [s for s in self.safety if s.basic_function == bf_id]


class Link(Strict):
    """A theme that bears on a basic function, and why."""

    theme: Id
    """Theme id."""
    basic_function: Id
    """Basic function id."""
    rationale: Text
    """Why the two bear on each other (B1 Dutch)."""
    source: Citation
    """The passage the link rests on."""

    @model_validator(mode="after")
    def _passage_required(self) -> Link:
        if self.source.passage is None:
            raise ValueError("een koppeling moet een passage (source.passage) citeren")
        return self


class Example(Strict):
    """An inspiring practice (seed 004, step 4)."""

    id: Id
    """Stable id."""
    theme: Id
    """Theme id."""
    place: Text
    """Municipality or district."""
    title: Text
    """Short title."""
    text: Text
    """Text from the publication."""
    reference: Text | None = None
    """The 'Bron:' line of the publication, if any."""
    source: Citation
    """Where the example stands."""


class ChoiceOption(Strict):
    """One answer to a core choice."""

    id: Id
    """Stable id (stored with the choice)."""
    label: Text
    """Label as shown to users (B1 Dutch, after the publication's words)."""


class CoreChoice(Strict):
    """One of the core choices of step 3 (seed 004): a question with named options."""

    id: Id
    """Stable id."""
    order: int = Field(ge=1)
    """Display order."""
    name: Text
    """Short name."""
    question: Text
    """The question as the publication puts it."""
    options: list[ChoiceOption] = Field(min_length=2)
    """The possible answers, in order."""
    source: Citation
    """Where the choice stands."""
    follow_up_of: Id | None = None
    """Id of the core choice this one follows up (shown under it; not counted as a core choice of
    its own); None for a core choice of step 3 itself."""

    def option(self, option_id: str) -> ChoiceOption:
        """An option by id."""
        return next(o for o in self.options if o.id == option_id)


class GuidanceText(Strict):
    """Advice of the publication shown where the user acts on it; the text is the cited passage."""

    id: Id
    """Stable id; a page asks for it by id (`stap1_gesprek`, `stap4_thema`, ...)."""
    title: Text
    """Short heading, B1 Dutch."""
    theme: Id | None = None
    """The theme the advice is about (step 4), or None."""
    source: Citation
    """Where it stands; `passage` is the text shown, verbatim."""

    @model_validator(mode="after")
    def _passage_required(self) -> GuidanceText:
        if self.source.passage is None:
            raise ValueError("een aanwijzing moet een passage (source.passage) citeren: die tekst wordt getoond")
        return self

    @property
    def text(self) -> str:
        """The text shown: the cited passage."""
        assert self.source.passage is not None  # checked on load
        return self.source.passage


class Term(Strict):
    """One entry of a definition list (Begrippen); the definition is the cited passage."""

    term: Text
    """The word defined."""
    source: Citation
    """Where it stands; `passage` is the definition, verbatim."""

    @model_validator(mode="after")
    def _passage_required(self) -> Term:
        if self.source.passage is None:
            raise ValueError("een begrip moet een passage (source.passage) citeren: dat is de omschrijving")
        return self

    @property
    def definition(self) -> str:
        """The definition shown: the cited passage."""
        assert self.source.passage is not None  # checked on load
        return self.source.passage


class Guidance(Strict):
    """Contents of guidance.yaml: the steps' advice and the definition list."""

    texts: list[GuidanceText]
    """Advice per step, shown on the page where the user acts."""
    terms: list[Term]
    """Begrippen (seed 000, Definitielijst), in source order."""


def _require_unique(values: Iterable[object], field: str) -> None:
    doubles = sorted(str(v) for v, n in Counter(values).items() if n > 1)
    if doubles:
        raise ValueError(f"dubbele waarde in {field}: {', '.join(doubles)}")


class MaturityModel(Strict):
    """The whole maturity model, with every cross-reference checked."""

    info: ModelInfo
    """Version, title, sources (model.yaml)."""
    phases: list[Phase]
    """phases.yaml."""
    themes: list[Theme]
    """themes.yaml."""
    basic_functions: list[BasicFunction]
    """basic_functions.yaml."""
    answer_scales: list[AnswerScale]
    """answer_scales.yaml."""
    quickscan: Instrument
    """quickscan.yaml."""
    in_depth: Instrument
    """in_depth.yaml."""
    links: list[Link]
    """links.yaml."""
    examples: list[Example]
    """examples.yaml."""
    core_choices: list[CoreChoice]
    """core_choices.yaml."""
    randvoorwaarden: Randvoorwaarden
    """randvoorwaarden.yaml."""
    assignment: Assignment
    """assignment.yaml."""
    guidance: Guidance
    """guidance.yaml."""
    _question_index: dict[str, tuple[Instrument, Question]] | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _check_references(self) -> MaturityModel:
        errors: list[str] = []

        def check(field: str, fn: object) -> None:
            try:
                fn()  # type: ignore[operator]
            except ValueError as exc:
                errors.append(f"{field}: {exc}")

        check("info.sources", lambda: _require_unique((s.id for s in self.info.sources), "id"))
        check("phases", lambda: _require_unique((p.number for p in self.phases), "number"))
        if sorted(p.number for p in self.phases) != [1, 2, 3, 4]:
            errors.append("phases: er moeten precies vier fasen zijn, genummerd 1 tot en met 4")
        check("themes", lambda: _require_unique((t.id for t in self.themes), "id"))
        check("basic_functions", lambda: _require_unique((b.id for b in self.basic_functions), "id"))
        check("answer_scales", lambda: _require_unique((s.id for s in self.answer_scales), "id"))
        check("examples", lambda: _require_unique((e.id for e in self.examples), "id"))
        check("core_choices", lambda: _require_unique((c.id for c in self.core_choices), "id"))
        for i, c in enumerate(self.core_choices):
            check(f"core_choices[{i}].options", lambda c=c: _require_unique((o.id for o in c.options), "id"))
        check(
            "links",
            lambda: _require_unique(((k.theme, k.basic_function) for k in self.links), "theme+basic_function"),
        )
        check("themes", lambda: _require_unique((t.order for t in self.themes), "order"))
        for field in ("quickscan", "in_depth"):
            instrument_id = getattr(self, field).id
            if instrument_id != field:
                errors.append(f"{field}.id: moet '{field}' zijn, niet '{instrument_id}'")
            check(
                f"{field}.questions",
                lambda field=field: _require_unique(
                    ((q.basic_function, q.number) for q in getattr(self, field).questions), "basic_function+number"
                ),
            )
        all_questions = [q for i in self.instruments() for q in i.questions]
        check("questions", lambda: _require_unique((q.id for q in all_questions), "questions.id"))
        rv = self.randvoorwaarden
        if rv.instrument.id != "randvoorwaarden":
            errors.append(f"randvoorwaarden.instrument.id: moet 'randvoorwaarden' zijn, niet '{rv.instrument.id}'")
        check("randvoorwaarden.conditions", lambda: _require_unique((c.id for c in rv.conditions), "id"))
        check("randvoorwaarden.conditions", lambda: _require_unique((c.number for c in rv.conditions), "number"))
        check(
            "randvoorwaarden.instrument.questions",
            lambda: _require_unique(((q.condition, q.number) for q in rv.instrument.questions), "condition+number"),
        )

        sources = {s.id for s in self.info.sources}
        themes = {t.id for t in self.themes}
        functions = {b.id for b in self.basic_functions}
        scales = {s.id for s in self.answer_scales}

        def cite(where: str, citation: Citation) -> None:
            if citation.source not in sources:
                errors.append(f"{where}.source: onbekende bron '{citation.source}'")

        for i, p in enumerate(self.phases):
            cite(f"phases[{i}].source", p.source)
        for i, t in enumerate(self.themes):
            cite(f"themes[{i}].source", t.source)
            for j, d in enumerate(t.descriptors):
                cite(f"themes[{i}].descriptors[{j}].source", d.source)
        conditions = {c.id for c in rv.conditions}
        for i, condition in enumerate(rv.conditions):
            if condition.theme not in themes:
                errors.append(f"randvoorwaarden.conditions[{i}].theme: onbekend thema '{condition.theme}'")
            cite(f"randvoorwaarden.conditions[{i}].source", condition.source)
            if not rv.questions_of(condition.id):
                errors.append(f"randvoorwaarden.conditions[{i}]: randvoorwaarde '{condition.id}' heeft geen vragen")
        for name, part in (("parts", self.assignment.parts), ("aims", self.assignment.aims)):
            cite(f"assignment.{name}.source", part.source)
        cite("assignment.principles.source", self.assignment.principles.source)
        for i, text in enumerate(self.assignment.safety):
            cite(f"assignment.safety[{i}].source", text.source)
            if text.basic_function is not None and text.basic_function not in functions:
                errors.append(f"assignment.safety[{i}].basic_function: onbekende basisfunctie '{text.basic_function}'")
        for field, instrument in (
            ("quickscan", self.quickscan),
            ("in_depth", self.in_depth),
            ("randvoorwaarden.instrument", rv.instrument),
        ):
            if instrument.source not in sources:
                errors.append(f"{field}.source: onbekende bron '{instrument.source}'")
            if instrument.answer_scale not in scales:
                errors.append(f"{field}.answer_scale: onbekende antwoordschaal '{instrument.answer_scale}'")
            is_rv = instrument is rv.instrument
            allowed = {GENERAL} if is_rv else functions | ({GENERAL} if field == "in_depth" else set())
            for i, q in enumerate(instrument.questions):
                if is_rv and q.condition not in conditions:
                    errors.append(
                        f"{field}.questions[{i}].condition: onbekende randvoorwaarde '{q.condition}' bij vraag {q.id}"
                    )
                if is_rv and q.source is None:
                    errors.append(
                        f"{field}.questions[{i}].source: vraag {q.id} moet de passage citeren waaruit ze komt"
                    )
                if not is_rv and q.condition is not None:
                    errors.append(f"{field}.questions[{i}].condition: alleen vragen over randvoorwaarden hebben er een")
                if q.source is not None:
                    cite(f"{field}.questions[{i}].source", q.source)
                if q.basic_function not in allowed:
                    errors.append(
                        f"{field}.questions[{i}].basic_function: onbekende basisfunctie '{q.basic_function}' "
                        f"bij vraag {q.id}"
                    )
                scale_id = q.answer_scale or instrument.answer_scale
                if scale_id not in scales:
                    errors.append(f"{field}.questions[{i}].answer_scale: onbekende antwoordschaal '{scale_id}'")
                    continue
                scale = next(s for s in self.answer_scales if s.id == scale_id)
                if q.good_answer not in scale.extremes():
                    errors.append(
                        f"{field}.questions[{i}].good_answer: '{q.good_answer}' bij vraag {q.id} moet het "
                        f"hoogste of laagste antwoord van schaal '{scale_id}' zijn "
                        f"({' of '.join(scale.extremes())})"
                    )
        for i, k in enumerate(self.links):
            if k.theme not in themes:
                errors.append(f"links[{i}].theme: onbekend thema '{k.theme}'")
            if k.basic_function not in functions:
                errors.append(f"links[{i}].basic_function: onbekende basisfunctie '{k.basic_function}'")
            cite(f"links[{i}].source", k.source)
        for i, e in enumerate(self.examples):
            if e.theme not in themes:
                errors.append(f"examples[{i}].theme: onbekend thema '{e.theme}'")
            cite(f"examples[{i}].source", e.source)
        check("guidance.texts", lambda: _require_unique((g.id for g in self.guidance.texts), "id"))
        check("guidance.terms", lambda: _require_unique((t.term for t in self.guidance.terms), "term"))
        for i, g in enumerate(self.guidance.texts):
            cite(f"guidance.texts[{i}].source", g.source)
            if g.theme is not None and g.theme not in themes:
                errors.append(f"guidance.texts[{i}].theme: onbekend thema '{g.theme}'")
        for i, term in enumerate(self.guidance.terms):
            cite(f"guidance.terms[{i}].source", term.source)
        by_id = {c.id: c for c in self.core_choices}
        for i, c in enumerate(self.core_choices):
            cite(f"core_choices[{i}].source", c.source)
            if c.follow_up_of is None:
                continue
            parent = by_id.get(c.follow_up_of)
            if parent is None:
                errors.append(f"core_choices[{i}].follow_up_of: onbekende kernkeuze '{c.follow_up_of}'")
            elif parent.follow_up_of is not None or parent.id == c.id:
                errors.append(f"core_choices[{i}].follow_up_of: '{c.follow_up_of}' is zelf een vervolgvraag")
            elif parent.order >= c.order:
                errors.append(f"core_choices[{i}].order: een vervolgvraag komt na '{parent.id}' (hogere order)")
        if errors:
            raise ValueError("\n".join(errors))
        return self

    # Convenience look-ups; the model is frozen, so these are cheap and safe to share.

    @property
    def version(self) -> str:
        """The model version."""
        return self.info.version

    def themes_ordered(self) -> list[Theme]:
        """Themes in display order."""
        return sorted(self.themes, key=lambda t: t.order)

    def basic_functions_ordered(self) -> list[BasicFunction]:
        """Basic functions in display order."""
        return sorted(self.basic_functions, key=lambda b: b.number)

    def theme(self, theme_id: str) -> Theme:
        """A theme by id."""
        return next(t for t in self.themes if t.id == theme_id)

    def basic_function(self, bf_id: str) -> BasicFunction:
        """A basic function by id."""
        return next(b for b in self.basic_functions if b.id == bf_id)

    def core_choices_ordered(self) -> list[CoreChoice]:
        """Core choices in display order."""
        return sorted(self.core_choices, key=lambda c: c.order)

    def main_core_choices(self) -> list[CoreChoice]:
        """The core choices of step 3 themselves (no follow-ups), in display order."""
        return [c for c in self.core_choices_ordered() if c.follow_up_of is None]

    def follow_ups(self, choice_id: str) -> list[CoreChoice]:
        """The follow-up questions of one core choice, in display order."""
        return [c for c in self.core_choices_ordered() if c.follow_up_of == choice_id]

    def core_choice(self, choice_id: str) -> CoreChoice:
        """A core choice by id."""
        return next(c for c in self.core_choices if c.id == choice_id)

    def guidance_text(self, guidance_id: str) -> GuidanceText:
        """A guidance text by id."""
        return next(g for g in self.guidance.texts if g.id == guidance_id)

    def guidance_of(self, theme_id: str) -> list[GuidanceText]:
        """The advice of step 4 about one theme."""
        return [g for g in self.guidance.texts if g.theme == theme_id]

    def examples_of(self, theme_id: str) -> list[Example]:
        """The inspiring examples of one theme."""
        return [e for e in self.examples if e.theme == theme_id]

    def phase(self, number: int) -> Phase:
        """A phase by number."""
        return next(p for p in self.phases if p.number == number)

    def source(self, source_id: str) -> Source:
        """A source publication by id."""
        return next(s for s in self.info.sources if s.id == source_id)

    def instrument(self, instrument_id: str) -> Instrument:
        """An instrument by id (`quickscan`, `in_depth` or `randvoorwaarden`)."""
        for instrument in self.instruments():
            if instrument.id == instrument_id:
                return instrument
        raise KeyError(instrument_id)

    def answer_scale(self, scale_id: str) -> AnswerScale:
        """An answer scale by id."""
        return next(s for s in self.answer_scales if s.id == scale_id)

    def question(self, question_id: str) -> Question:
        """A question of any instrument by id."""
        return self._questions()[question_id][1]

    def question_scale(self, question: Question | str) -> AnswerScale:
        """The answer scale of one question (its own, or else its instrument's)."""
        instrument, q = self._questions()[question if isinstance(question, str) else question.id]
        return self.answer_scale(q.answer_scale or instrument.answer_scale)

    def answer_scores(self, question: Question | str) -> dict[str, float | None]:
        """Option id → score of one question, polarity applied (None counts for nothing).

        Where the question's good answer is the lowest option of its scale, every score is
        mirrored (100 - score), so a good answer always scores high (docs/scoring.md)."""
        instrument, q = self._questions()[question if isinstance(question, str) else question.id]
        scale = self.answer_scale(q.answer_scale or instrument.answer_scale)
        reverse = q.good_answer == scale.extremes()[0]
        return {o.id: None if o.score is None else (100.0 - o.score if reverse else o.score) for o in scale.ordered()}

    def answer_levels(self, question: Question | str) -> list[tuple[str, float]]:
        """(option id, score) per distinct score of one question, lowest first: the answers a
        generator or an import picks from (ties go to the first option in display order)."""
        levels: dict[float, str] = {}
        for option, score in self.answer_scores(question).items():
            if score is not None:
                levels.setdefault(score, option)
        return sorted(((o, s) for s, o in levels.items()), key=lambda pair: pair[1])

    def is_reversed(self, question: Question | str) -> bool:
        """True when the question's scale counts the other way round (its good answer is the lowest)."""
        q = self._questions()[question if isinstance(question, str) else question.id][1]
        return q.good_answer == self.question_scale(q).extremes()[0]

    def _questions(self) -> dict[str, tuple[Instrument, Question]]:
        if self._question_index is None:  # built once: the model is immutable
            self._question_index = {q.id: (i, q) for i in self.instruments() for q in i.questions}
        return self._question_index

    def instruments(self) -> list[Instrument]:
        """Every instrument: the Quickscan, the in-depth questions and the Randvoorwaarden."""
        return [self.quickscan, self.in_depth, self.randvoorwaarden.instrument]

    def instrument_of(self, question_id: str) -> Instrument | None:
        """The instrument a question belongs to, or None for an unknown question id."""
        found = self._questions().get(question_id)
        return None if found is None else found[0]
