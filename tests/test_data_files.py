"""Every data file validates; broken files fail naming file and field; content is faithful to the sources."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT
from wijkmodel.model.loader import FILES, MODEL_DIR, ModelLoadError, load_model_from
from wijkmodel.model.schema import MaturityModel

SOURCES = ROOT / "data" / "sources"
SEED_OF = {s.id: s.seed for s in load_model_from(MODEL_DIR).info.sources}
# The OCR slips of the PDF extraction that data/model corrects (data/model/SCHEMA.md).
OCR_FIXES = [
    ("cliént", "cliënt"),
    ("z6 ", "zó "),
    ("creéren", "creëren"),
    ("Creéer", "Creëer"),
    ("creéer", "creëer"),
    ("geévalueerd", "geëvalueerd"),
    ("reéle", "reële"),
    ("codrdineren", "coördineren"),
    ("60k", "ook"),
    ("financién", "financiën"),
    ("Continuiteit", "Continuïteit"),
    ("casuistiek", "casuïstiek"),
    ("burens", "buren"),
    ("OZI", "OZJ"),
    ("wat eders zijn", "wat ieders zijn"),
    ("zorgvrij staat", "zorgvrijstaat"),
    ("verbinding tussen te leggen tussen", "verbinding te leggen tussen"),
    ("beleids-team", "beleidsteam"),
    ("leef-en", "leef- en"),
    ("stut-en", "stut- en"),
    ("samen werken..", "samen werken."),
    ("*", ""),
]


def normalise(text: str) -> str:
    for wrong, right in OCR_FIXES:
        text = text.replace(wrong, right)
    text = re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]", "", text)
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    return {source_id: normalise((SOURCES / seed).read_text(encoding="utf-8")) for source_id, seed in SEED_OF.items()}


@pytest.mark.parametrize("file_name", sorted(FILES))
def test_every_data_file_validates_on_its_own(file_name: str) -> None:
    file_model, _, _ = FILES[file_name]
    raw = yaml.safe_load((MODEL_DIR / file_name).read_text(encoding="utf-8"))
    file_model.model_validate(raw)


def test_the_model_carries_what_the_sources_give(model: MaturityModel) -> None:
    assert [t.name for t in model.themes_ordered()] == [
        "Visie en inspiratie",
        "Lokale teams",
        "Opdrachtgeverschap",
        "Samenwerking in de wijk",
        "Gemeentelijke organisatie",
        "Taal en gedrag",
    ]
    assert [p.name for p in sorted(model.phases, key=lambda p: p.number)] == [
        "Start van wijkgericht werken",
        "Samen op weg",
        "Wijkgericht werken is de werkwijze",
        "Wijkgericht werken in het DNA",
    ]
    assert sum(len(t.descriptors) for t in model.themes) == 24
    assert len(model.links) == 25
    assert [b.name for b in model.basic_functions_ordered()] == [
        "Veilige leefomgeving",
        "Tijdig signaleren van de vraag",
        "Vindbare en toegankelijke hulp",
        "Handelen met een brede blik",
        "Leren en verbeteren",
    ]
    quickscan = Counter(q.basic_function for q in model.quickscan.questions)
    assert [quickscan[f"BF{i}"] for i in range(1, 6)] == [6, 5, 5, 7, 7]
    in_depth = Counter(q.basic_function for q in model.in_depth.questions)
    assert [in_depth[g] for g in ("algemeen", "BF1", "BF2", "BF3", "BF4", "BF5")] == [12, 9, 11, 11, 11, 12]
    assert len(model.quickscan.questions) + len(model.in_depth.questions) == 96
    assert {e.place for e in model.examples} >= {
        "Waddinxveen",
        "Nijmegen",
        "Gouda",
        "Utrecht",
        "Oosterhout",
        "Uithoorn",
        "Drimmelen",
        "Rotterdam West",
    }
    assert [c.name for c in model.main_core_choices()] == ["Veranderkundige visie", "Rol van het toegangsteam"]
    assert [o.label for o in model.core_choice("toegangsteam_passend").options] == [
        "Passend",
        "Moet worden bijgesteld",
    ]
    # the id that was core choice 2 stays, with its options, as the follow-up: stored choices stay valid
    assert [c.id for c in model.follow_ups("toegangsteam_passend")] == ["rol_toegangsteam"]
    assert model.core_choice("rol_toegangsteam").question == "Welke rol past bij de ambitie?"
    assert [o.id for o in model.core_choice("rol_toegangsteam").options] == [
        "alleen_toegang",
        "toegang_lichte_hulp",
        "kloppend_hart",
    ]
    scale = model.answer_scale("standaard")
    assert [(o.label, o.score) for o in scale.options] == [
        ("Nee", 12.5),
        ("Beperkt", 37.5),
        ("Grotendeels", 62.5),
        ("Ja", 87.5),
        ("Weet niet", None),
        ("Niet van toepassing", None),
    ]


def test_question_ids_are_stable_and_readable(model: MaturityModel) -> None:
    for q in model.quickscan.questions:
        assert q.id == f"{q.basic_function}-Q{q.number}"
    for q in model.in_depth.questions:
        group = "ALG" if q.basic_function == "algemeen" else q.basic_function
        assert q.id == f"VV-{group}-{q.number:02d}"


def test_every_question_stands_in_its_source(model: MaturityModel, seeds: dict[str, str]) -> None:
    missing = [
        q.id
        for instrument in (model.quickscan, model.in_depth)
        for q in instrument.questions
        if normalise(q.text) not in seeds[instrument.source]
    ]
    assert missing == []


def test_every_cited_passage_stands_in_its_source(model: MaturityModel, seeds: dict[str, str]) -> None:
    citations = [(f"{t.id} fase {d.phase}", d.source) for t in model.themes for d in t.descriptors]
    citations += [(f"{k.theme}↔{k.basic_function}", k.source) for k in model.links]
    citations += [(f"kernkeuze {c.id}", c.source) for c in model.core_choices]
    citations += [(f"aanwijzing {g.id}", g.source) for g in model.guidance.texts]
    missing = [what for what, c in citations if c.passage and normalise(c.passage) not in seeds[c.source]]
    assert missing == []


def test_the_randvoorwaarden_carry_seed_002(model: MaturityModel, seeds: dict[str, str]) -> None:
    rv = model.randvoorwaarden
    assert [c.name for c in rv.conditions_ordered()] == [
        "Gedeelde visie",
        "Daarbij passende inrichtingskeuze",
        "Verantwoording",
        "Financiering",
        "Leren",
    ]
    assert [len(rv.questions_of(c.id)) for c in rv.conditions_ordered()] == [3, 3, 2, 4, 3]
    assert {c.id: c.theme for c in rv.conditions} == {
        "gedeelde_visie": "visie_inspiratie",
        "inrichtingskeuze": "lokale_teams",
        "verantwoording": "opdrachtgeverschap",
        "financiering": "opdrachtgeverschap",
        "leren": "gemeentelijke_organisatie",
    }
    assert rv.instrument.id == "randvoorwaarden" and rv.instrument.source == "werkdocument"
    assert normalise(rv.instrument.description) in seeds["werkdocument"]
    for c in rv.conditions:
        assert c.source.source == "werkdocument"
        assert normalise(c.name) in seeds["werkdocument"], c.id
        for paragraph in c.text.split("\n\n"):
            assert normalise(paragraph) in seeds["werkdocument"], (c.id, paragraph[:60])
        assert normalise(c.source.passage or "") in normalise(c.text), c.id
    for q in rv.instrument.questions:
        assert q.id == f"RV{rv.condition(q.condition or '').number}-Q{q.number}"
        assert q.basic_function == "algemeen"
        assert q.source is not None and q.source.source == "werkdocument", q.id
        assert normalise(q.source.passage or "") in seeds["werkdocument"], q.id
        # drawn from its own condition's passage
        assert normalise(q.source.passage or "") in normalise(rv.condition(q.condition or "").text), q.id
        scale = model.question_scale(q).id
        assert scale == ("geregeld" if q.text.startswith("Hoe ") else "standaard"), q.id
    # the one question where "Nee" is good says so beside its answers
    reversed_ = [q.id for q in rv.instrument.questions if model.is_reversed(q)]
    assert reversed_ == ["RV4-Q4"]
    assert model.question("RV4-Q4").polarity_note


def test_the_broad_assignment_and_the_safety_part_stand_in_seed_002(
    model: MaturityModel, seeds: dict[str, str]
) -> None:
    a = model.assignment
    assert [len(s.items) for s in a.sections()] == [4, 3, 7]
    assert a.parts.items[0] == "Versterken van het gewone leven"
    assert [s.id for s in a.guidance_for("BF1")] == [
        "vrijwillig",
        "rechtsbescherming",
        "wanneer_betrokken",
        "wat_doet_het_wijkteam",
    ]
    text = " ".join(t for s in a.safety for t in [s.intro or "", *s.items])
    assert "meldcode" in text and "veiligheidsplan" in text
    for s in [*a.sections(), *a.safety]:
        assert s.source.source == "werkdocument"
        for words in [s.title, s.source.passage or "", s.intro or "", *s.items]:
            assert normalise(words) in seeds["werkdocument"], (s.id, words[:60])


def test_randvoorwaarden_question_ids_do_not_clash(model: MaturityModel) -> None:
    ids = [q.id for i in model.instruments() for q in i.questions]
    assert len(ids) == len(set(ids)) == 96 + 15
    assert model.instrument_of("RV4-Q4") is model.randvoorwaarden.instrument
    assert model.instrument_of("BF1-Q1") is model.quickscan
    assert model.instrument_of("XX") is None


def test_guidance_texts_and_terms_stand_in_their_sources(model: MaturityModel, seeds: dict[str, str]) -> None:
    """What the pages show as the publication's advice is the cited passage, word for word."""
    assert {g.id for g in model.guidance.texts} >= {"stap1_gesprek", "stap3_opnieuw", "stap4_energie"}
    for g in model.guidance.texts:
        assert g.text == g.source.passage and normalise(g.text) in seeds[g.source.source], g.id
    assert "Herkennen zij deze cijfers en inzichten?" in model.guidance_text("stap1_gesprek").text
    assert "alsnog of opnieuw te stellen" in model.guidance_text("stap3_opnieuw").text
    step4 = model.guidance_text("stap4_energie").text
    for words in (
        "vernieuw een contract dat toch afloopt",
        "Sluit bijvoorbeeld aan bij initiatieven die reeds zijn opgezet door partijen uit de wijk",
        "laat wijkgericht werken het uitgangspunt zijn in de nieuwe beleidsnota",
    ):
        assert words in step4
    assert "niet alles hoeft aan bod te komen" in model.guidance_text("verdiepend_gebruik").text
    assert model.guidance_of("opdrachtgeverschap")[0].source.location.startswith("Stap 4")
    # the definition list: 'term: definition' as the seed prints it (bold stars left out)
    assert [t.term for t in model.guidance.terms][:3] == ["Wijkgericht werken", "Het gewone leven versterken", "Wijk"]
    assert len(model.guidance.terms) == 6
    for t in model.guidance.terms:
        assert normalise(f"{t.term}: {t.definition}") in seeds[t.source.source], t.term


def test_basic_function_texts_stand_in_their_sources(model: MaturityModel, seeds: dict[str, str]) -> None:
    for bf in model.basic_functions:
        for paragraph in bf.quickscan_description.split("\n\n") + bf.ratio.split("\n\n"):
            assert normalise(paragraph) in seeds["quickscan"], (bf.id, paragraph[:60])
        assert normalise(bf.description) in seeds["basisfuncties"], bf.id


def test_no_ocr_slip_is_left_in_the_data() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in MODEL_DIR.glob("*.yaml"))
    for wrong, _ in OCR_FIXES[:-1]:
        assert wrong not in text, wrong


# --- links, descriptors and labels found by review (issue 15, items 3 and 4) -------------------

# (theme, basic function) → words of the passage the link must cite, and the Quickscan question
# (if any) whose text the passage is taken from.
REVIEWED_LINKS = {
    ("samenwerking_wijk", "BF3"): ("het lokale team kennen en zien als reële verwijsoptie", None),
    ("visie_inspiratie", "BF2"): ("visie", "BF2-Q1"),
    ("visie_inspiratie", "BF3"): ("visie", "BF3-Q2"),
    ("visie_inspiratie", "BF4"): ("visie", "BF4-Q3"),
    ("opdrachtgeverschap", "BF1"): ("Norm voor opdrachtgeverschap", None),
    ("opdrachtgeverschap", "BF2"): ("Norm voor opdrachtgeverschap", None),
    ("opdrachtgeverschap", "BF3"): ("Norm voor opdrachtgeverschap", None),
    ("opdrachtgeverschap", "BF4"): ("(inkoop)afspraken", "BF4-Q3"),
    ("opdrachtgeverschap", "BF5"): ("beperk het aantal aanbieders", None),
    ("gemeentelijke_organisatie", "BF3"): ("domeinoverstijgende", "BF3-Q5"),
}


@pytest.mark.parametrize(("theme", "basic_function"), sorted(REVIEWED_LINKS))
def test_a_link_found_by_review_cites_its_passage(model: MaturityModel, theme: str, basic_function: str) -> None:
    words, question_id = REVIEWED_LINKS[theme, basic_function]
    link = next((k for k in model.links if (k.theme, k.basic_function) == (theme, basic_function)), None)
    assert link is not None, f"koppeling {theme}↔{basic_function} ontbreekt"
    passage = link.source.passage or ""
    assert words in passage
    if question_id is not None:
        question = next(q for q in model.quickscan.questions if q.id == question_id)
        assert link.source.source == "quickscan" and passage in question.text
        assert link.source.location.endswith(f"Quickscanvraag {question.number}")


def test_every_basic_function_has_links_and_every_theme_one(model: MaturityModel) -> None:
    per_function = Counter(k.basic_function for k in model.links)
    assert {b.id: per_function[b.id] for b in model.basic_functions if per_function[b.id] < 2} == {}
    assert {k.theme for k in model.links} == {t.id for t in model.themes}
    # these three themes bear on all five basic functions
    for theme in ("lokale_teams", "visie_inspiratie", "opdrachtgeverschap"):
        assert sorted(k.basic_function for k in model.links if k.theme == theme) == [f"BF{i}" for i in range(1, 6)]


def test_descriptors_that_interpret_are_marked_derived(model: MaturityModel) -> None:
    derived = {(t.id, d.phase) for t in model.themes for d in t.descriptors if d.derived}
    assert {("taal_gedrag", 3), ("visie_inspiratie", 4), ("samenwerking_wijk", 3), ("taal_gedrag", 4)} <= derived


def _data_texts(value: object) -> list[str]:
    """Every string value in a loaded data file (not its comments)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for v in value.values() for text in _data_texts(v)]
    if isinstance(value, list):
        return [text for v in value for text in _data_texts(v)]
    return []


PDF_LEFTOVER = re.compile(r"KPMG rapport|\bLees hier\b|\bklik\b|\bFiguur\b|https?://|www\.|[⁰¹²³⁴⁵⁶⁷⁸⁹]", re.IGNORECASE)


@pytest.mark.parametrize("file_name", sorted(FILES))
def test_no_pdf_leftover_is_left_in_the_data(file_name: str) -> None:
    raw = yaml.safe_load((MODEL_DIR / file_name).read_text(encoding="utf-8"))
    assert [text[:80] for text in _data_texts(raw) if PDF_LEFTOVER.search(text)] == []


def test_the_signalling_ratio_has_no_unfinished_sentence(model: MaturityModel) -> None:
    ratio = model.basic_function("BF2").ratio
    assert "dat inwoners zich, binnen hun eigen netwerk" not in ratio
    assert ratio.endswith("Zij moeten zich dus met elkaar kunnen verbinden.")


def test_an_example_names_every_place_its_text_is_about(model: MaturityModel) -> None:
    places = {part for e in model.examples for part in e.place.split(" en ")}
    for example in model.examples:
        named = set(example.place.split(" en "))
        assert all(place in example.text for place in named), example.id
        about = {place for place in places if re.search(rf"\b{re.escape(place)}\b", example.text)}
        assert about <= named, (example.id, about - named)
    basic_teams = next(e for e in model.examples if e.id == "nijmegen_brede_basisteams")
    assert (basic_teams.place, basic_teams.title) == ("Utrecht en Nijmegen", "Brede basisteams")


# --- negative fixtures: a broken file fails loudly, naming file and field ---------------------


def _broken_copy(tmp_path: Path, file_name: str, edit: Callable[[str], str]) -> Path:
    target = tmp_path / "model"
    shutil.copytree(MODEL_DIR, target)
    path = target / file_name
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return target


BROKEN = [
    # (file, edit of its text, words the message must contain)
    ("themes.yaml", lambda s: s.replace("    order: 2\n", "    ordr: 2\n", 1), ["themes.yaml", "themes[1].ordr"]),
    (
        "themes.yaml",
        lambda s: s.replace("id: lokale_teams", "id: visie_inspiratie", 1),
        ["themes.yaml", "themes", "visie_inspiratie"],
    ),
    (
        "links.yaml",
        lambda s: s.replace("theme: lokale_teams", "theme: lokale_teamz", 1),
        ["links.yaml", "links[0].theme", "lokale_teamz"],
    ),
    (
        "links.yaml",
        lambda s: s.replace("basic_function: BF2", "basic_function: BF9", 1),
        ["links.yaml", "basic_function", "BF9"],
    ),
    ("quickscan.yaml", lambda s: s.replace("id: BF1-Q2", "id: BF1-Q1", 1), ["quickscan.yaml", "BF1-Q1"]),
    (
        "quickscan.yaml",
        lambda s: s.replace("basic_function: BF3", "basic_function: BF7", 1),
        ["quickscan.yaml", "questions[", "BF7"],
    ),
    (
        "in_depth.yaml",
        lambda s: s.replace("answer_scale: standaard", "answer_scale: anders", 1),
        ["in_depth.yaml", "answer_scale", "anders"],
    ),
    (
        "quickscan.yaml",
        lambda s: s.replace("good_answer: nee  #", "good_answer: beperkt  #", 1),
        ["quickscan.yaml", "good_answer", "BF2-Q5", "hoogste of laagste"],
    ),
    (
        "quickscan.yaml",
        lambda s: s.replace("answer_scale: geregeld\n      good_answer: volledig", "good_answer: volledig", 1),
        ["quickscan.yaml", "good_answer", "BF2-Q3", "'volledig'"],
    ),
    (
        "quickscan.yaml",
        lambda s: s.replace("      good_answer: ja\n", "", 1),
        ["quickscan.yaml", "good_answer", "Field required"],
    ),
    (
        "examples.yaml",
        lambda s: s.replace("theme: visie_inspiratie", "theme: visie", 1),
        ["examples.yaml", "examples[0].theme", "visie"],
    ),
    ("basic_functions.yaml", lambda s: s.replace("id: BF2", "id: BF1", 1), ["basic_functions.yaml", "BF1"]),
    (
        "core_choices.yaml",
        lambda s: s.replace("id: evolutionair", "id: revolutionair", 1),
        ["core_choices.yaml", "core_choices[0].options", "revolutionair"],
    ),
    ("core_choices.yaml", lambda s: s.replace("source: ozj", "source: ozz", 1), ["core_choices.yaml", "ozz"]),
    (
        "core_choices.yaml",
        lambda s: s.replace("follow_up_of: toegangsteam_passend", "follow_up_of: toegangsteam", 1),
        ["core_choices.yaml", "core_choices[2].follow_up_of", "onbekende kernkeuze 'toegangsteam'"],
    ),
    (
        "core_choices.yaml",
        lambda s: s.replace("follow_up_of: toegangsteam_passend", "follow_up_of: rol_toegangsteam", 1),
        ["core_choices.yaml", "core_choices[2].follow_up_of", "zelf een vervolgvraag"],
    ),
    (
        "core_choices.yaml",
        lambda s: s.replace("    order: 3\n", "    order: 1\n", 1),
        ["core_choices.yaml", "core_choices[2].order", "vervolgvraag"],
    ),
    (
        "guidance.yaml",
        lambda s: s.replace("theme: opdrachtgeverschap", "theme: opdracht", 1),
        ["guidance.yaml", "guidance.texts[5].theme", "opdracht"],
    ),
    ("guidance.yaml", lambda s: s.replace("source: andere_vraag", "source: andere", 1), ["guidance.yaml", "andere"]),
    (
        "guidance.yaml",
        lambda s: s.replace("  - term: Wijk\n", "  - term: Wijkvoorzieningen\n", 1),
        ["guidance.yaml", "guidance.terms", "Wijkvoorzieningen"],
    ),
    (
        "answer_scales.yaml",
        lambda s: s.replace("score: 87.5", "score: 187.5", 1),
        ["answer_scales.yaml", "options[3].score"],
    ),
    ("phases.yaml", lambda s: s.replace("number: 4", "number: 3", 1), ["phases.yaml", "phases"]),
    ("model.yaml", lambda s: s.replace("version:", "versie:", 1), ["model.yaml", "versie"]),
    ("model.yaml", lambda s: s + "version: '2'\n", ["model.yaml", "regel", "dubbele sleutel 'version'"]),
    ("themes.yaml", lambda s: s.replace("themes:\n", "themes: [\n", 1), ["themes.yaml", "regel"]),
    ("themes.yaml", lambda s: s.replace("derived: false", "derived: misschien", 1), ["themes.yaml", "derived"]),
    ("themes.yaml", lambda s: s.replace("    order: 2\n", "    order: 1\n", 1), ["themes.yaml", "order", "1"]),
    ("quickscan.yaml", lambda s: s.replace("  id: quickscan", "  id: quickscn", 1), ["quickscan.yaml", "quickscan.id"]),
    ("in_depth.yaml", lambda s: s.replace("number: 2\n", "number: 1\n", 1), ["in_depth.yaml", "basic_function+number"]),
    (
        "randvoorwaarden.yaml",
        lambda s: s.replace("id: RV1-Q2", "id: BF1-Q1", 1),
        ["randvoorwaarden.yaml", "questions.id", "BF1-Q1"],
    ),
    (
        "randvoorwaarden.yaml",
        lambda s: s.replace("theme: lokale_teams", "theme: lokale_team", 1),
        ["randvoorwaarden.yaml", "conditions[1].theme", "lokale_team"],
    ),
    (
        "randvoorwaarden.yaml",
        lambda s: s.replace("condition: leren", "condition: lerenn", 1),
        ["randvoorwaarden.yaml", "condition", "lerenn"],
    ),
    (
        "randvoorwaarden.yaml",
        lambda s: s.replace("good_answer: nee", "good_answer: beperkt", 1),
        ["randvoorwaarden.yaml", "good_answer", "RV4-Q4"],
    ),
    (
        "randvoorwaarden.yaml",
        lambda s: s.replace("        source: werkdocument\n", "        source: werkdoc\n", 1),
        ["randvoorwaarden.yaml", "werkdoc"],
    ),
    (
        "assignment.yaml",
        lambda s: s.replace("basic_function: BF1", "basic_function: BF8", 1),
        ["assignment.yaml", "safety[0].basic_function", "BF8"],
    ),
]


@pytest.mark.parametrize(("file_name", "edit", "expected"), BROKEN)
def test_a_broken_data_file_fails_naming_file_and_field(
    tmp_path: Path, file_name: str, edit: Callable[[str], str], expected: list[str]
) -> None:
    directory = _broken_copy(tmp_path, file_name, edit)
    with pytest.raises(ModelLoadError) as info:
        load_model_from(directory)
    message = str(info.value)
    for words in expected:
        assert words in message


def test_a_missing_data_file_is_named(tmp_path: Path) -> None:
    directory = _broken_copy(tmp_path, "links.yaml", lambda s: s)
    (directory / "links.yaml").unlink()
    with pytest.raises(ModelLoadError, match=r"links\.yaml: bestand ontbreekt"):
        load_model_from(directory)


def test_a_link_without_a_passage_is_refused(tmp_path: Path) -> None:
    directory = _broken_copy(tmp_path, "links.yaml", lambda s: re.sub(r", passage: \"[^\"]*\"", "", s, count=1))
    with pytest.raises(ModelLoadError, match=r"links\.yaml, veld links\[0\]"):
        load_model_from(directory)


def test_a_randvoorwaarden_question_without_its_passage_is_refused(tmp_path: Path) -> None:
    def drop_first_source(text: str) -> str:
        start = text.index("      source:\n        source: werkdocument")
        end = text.index("    - id: RV1-Q2")
        return text[:start] + text[end:]

    directory = _broken_copy(tmp_path, "randvoorwaarden.yaml", drop_first_source)
    with pytest.raises(
        ModelLoadError, match=r"randvoorwaarden\.yaml, veld randvoorwaarden\.instrument\.questions\[0\]\.source"
    ):
        load_model_from(directory)


def test_sources_are_cited_without_guessing(model: MaturityModel) -> None:
    assert model.source("werkdocument").citation() == (
        "Werkdocument opdracht van wijkteams, versie 0.1. Associatie Wijkteams, 2022."
    )
    assert model.source("quickscan").citation().endswith("Uitgever niet vermeld, z.j.")
