"""The one entry point that reads data/model/*.yaml into a validated `MaturityModel`.

Errors name the file and the field (`themes.yaml, veld themes[2].descriptors: ...`) so that a
typo in a data file is found at once.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from wijkmodel.model.files import (
    AnswerScalesFile,
    BasicFunctionsFile,
    CoreChoicesFile,
    ExamplesFile,
    GuidanceFile,
    InstrumentFile,
    LinksFile,
    PhasesFile,
    ThemesFile,
)
from wijkmodel.model.schema import Assignment, MaturityModel, ModelInfo, Randvoorwaarden
from wijkmodel.paths import DATA

MODEL_DIR = DATA / "model"

# file name → (file model, attribute of the file model, field of MaturityModel)
FILES: dict[str, tuple[type[BaseModel], str | None, str]] = {
    "model.yaml": (ModelInfo, None, "info"),
    "phases.yaml": (PhasesFile, "phases", "phases"),
    "themes.yaml": (ThemesFile, "themes", "themes"),
    "basic_functions.yaml": (BasicFunctionsFile, "basic_functions", "basic_functions"),
    "answer_scales.yaml": (AnswerScalesFile, "answer_scales", "answer_scales"),
    "quickscan.yaml": (InstrumentFile, "instrument", "quickscan"),
    "in_depth.yaml": (InstrumentFile, "instrument", "in_depth"),
    "links.yaml": (LinksFile, "links", "links"),
    "examples.yaml": (ExamplesFile, "examples", "examples"),
    "core_choices.yaml": (CoreChoicesFile, "core_choices", "core_choices"),
    "randvoorwaarden.yaml": (Randvoorwaarden, None, "randvoorwaarden"),
    "assignment.yaml": (Assignment, None, "assignment"),
    "guidance.yaml": (GuidanceFile, None, "guidance"),
}


class ModelLoadError(Exception):
    """The model data could not be loaded; `problems` lists every problem found."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Het model kan niet worden geladen:\n" + "\n".join(f"- {p}" for p in problems))


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (PyYAML silently keeps the last one)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"dubbele sleutel '{key}'", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def format_location(loc: tuple[int | str, ...]) -> str:
    """Pydantic location tuple → `themes[2].descriptors[0].text`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(hele bestand)"


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ModelLoadError([f"{path.name}: bestand ontbreekt"]) from exc
    except UnicodeDecodeError as exc:
        raise ModelLoadError([f"{path.name}: geen geldige UTF-8-tekst ({exc.reason})"]) from exc
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" (regel {mark.line + 1}, kolom {mark.column + 1})" if mark else ""
        raise ModelLoadError([f"{path.name}{where}: {exc.problem or exc}"]) from exc
    except yaml.YAMLError as exc:
        raise ModelLoadError([f"{path.name}: ongeldige YAML ({exc})"]) from exc


def _validation_problems(file_name: str, exc: ValidationError) -> list[str]:
    return [f"{file_name}, veld {format_location(e['loc'])}: {e['msg']}" for e in exc.errors()]


def load_model_from(directory: Path) -> MaturityModel:
    """Read and validate every model file in `directory`; raise `ModelLoadError` listing all problems."""
    problems: list[str] = []
    parts: dict[str, Any] = {}
    for file_name, (file_model, attribute, field) in FILES.items():
        try:
            raw = _read_yaml(directory / file_name)
        except ModelLoadError as exc:
            problems.extend(exc.problems)
            continue
        try:
            parsed = file_model.model_validate(raw)
        except ValidationError as exc:
            problems.extend(_validation_problems(file_name, exc))
            continue
        parts[field] = getattr(parsed, attribute) if attribute else parsed
    if problems:
        raise ModelLoadError(problems)
    try:
        return MaturityModel.model_validate(parts)
    except ValidationError as exc:
        raise ModelLoadError(_cross_reference_problems(exc)) from exc


def _cross_reference_problems(exc: ValidationError) -> list[str]:
    """Map the root validator's `field: message` lines back to the file the field came from."""
    field_to_file = {field: name for name, (_, _, field) in FILES.items()}
    field_to_file["questions"] = "quickscan.yaml/in_depth.yaml/randvoorwaarden.yaml"
    problems: list[str] = []
    for error in exc.errors():
        message = str(error["msg"]).removeprefix("Value error, ")
        for line in message.splitlines():
            field_path, _, text = line.partition(": ")
            top = field_path.split(".")[0].split("[")[0]
            file_name = field_to_file.get(top) or field_to_file.get(field_path, "model")
            if top == "info":
                field_path = field_path.removeprefix("info.")
            problems.append(f"{file_name}, veld {field_path}: {text}")
    return problems


@lru_cache(maxsize=4)
def load_model(directory: str | None = None) -> MaturityModel:
    """The validated maturity model (cached per directory; the model is immutable)."""
    return load_model_from(Path(directory) if directory else MODEL_DIR)
