"""Answers: parsing them from the command line and files, and the project's record of them.

The record is copier's answers file (`.copier-answers.yml`) inside the
project: template source (`_src_path`), template version (`_commit`) and one
key per answered question. This module reads and writes that record and
parses user input; it does not render or ask questions.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scaffold import bounded_reads
from scaffold.errors import InvalidAnswerError, ScaffoldError

ANSWERS_FILE = ".copier-answers.yml"
SOURCE_KEY = "_src_path"
VERSION_KEY = "_commit"
ENGINE_KEY = "_engine"  # written only for non-copier templates, so copier's record is unchanged
DEFAULT_ENGINE = "copier"


@dataclass(frozen=True)
class RecordedAnswers:
    """What a generated project says about its template and answers."""

    source: str
    version: str | None
    answers: dict[str, Any] = field(default_factory=dict)
    engine: str = DEFAULT_ENGINE  # "copier" or "cookiecutter"


def parse_data_pairs(pairs: Iterable[str]) -> dict[str, str]:
    """`KEY=VALUE` strings from `--data` as a mapping (later pairs win)."""
    parsed: dict[str, str] = {}
    for pair in pairs:
        key, separator, value = pair.partition("=")
        if not separator or not key.strip():
            raise InvalidAnswerError(
                f"--data '{pair}' is not KEY=VALUE", "write it as --data key=value"
            )
        key = key.strip()
        if key.startswith("_"):
            raise InvalidAnswerError(
                f"--data '{key}' is not a question: keys starting with '_' are template settings",
                "answer only the template's questions (`scaffold template lint` lists them)",
            )
        if len(value.splitlines()) > 1 or any(_is_control(character) for character in value):
            raise InvalidAnswerError(
                f"--data {key}: the value holds a line break or control character {value!r}",
                "pass a one-line value",
            )
        parsed[key] = value
    return parsed


def _is_control(character: str) -> bool:
    return unicodedata.category(character) == "Cc" and character != "\t"


def load_answers_file(path: Path) -> dict[str, Any]:
    """Answers from a YAML mapping file; keys starting with `_` (copier metadata) are dropped."""
    try:
        loaded = bounded_reads.load_yaml(bounded_reads.read_text(path))
    except OSError as error:
        raise ScaffoldError(
            f"cannot read answers file {path}: {error.strerror}", "pass a readable YAML file"
        ) from error
    except UnicodeDecodeError as error:
        raise ScaffoldError(
            f"answers file {path} is not UTF-8 text: {error.reason}", "save it as UTF-8 YAML"
        ) from error
    except yaml.YAMLError as error:
        raise ScaffoldError(
            f"answers file {path} is not valid YAML: {_first_line(error)}",
            "fix the YAML syntax",
        ) from error
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ScaffoldError(
            f"answers file {path} must hold a mapping of question: answer",
            "write one `question: answer` per line",
        )
    return {str(key): value for key, value in loaded.items() if not str(key).startswith("_")}


def read_recorded_answers(project: Path, answers_file: str = ANSWERS_FILE) -> RecordedAnswers:
    """The answers record `answers_file` (relative to `project`) of a generated project."""
    answers_path = project / answers_file
    if not answers_path.is_file():
        raise ScaffoldError(
            f"{project} is not a generated project (no {answers_file})",
            "run inside a project made by `scaffold new`, or adopt it with `scaffold link`",
        )
    try:
        record = bounded_reads.load_yaml(bounded_reads.read_text(answers_path)) or {}
    except (OSError, UnicodeDecodeError) as error:
        raise ScaffoldError(
            f"cannot read {answers_path}: {getattr(error, 'strerror', None) or error}",
            f"restore the answers file from git (`git checkout -- {answers_file}`)",
        ) from error
    except yaml.YAMLError as error:
        raise ScaffoldError(
            f"{answers_path} is not valid YAML: {_first_line(error)}",
            "fix or restore the answers file from git",
        ) from error
    if not isinstance(record, dict) or SOURCE_KEY not in record:
        raise ScaffoldError(
            f"{answers_path} does not record a template source ({SOURCE_KEY})",
            "restore the answers file from git",
        )
    version = record.get(VERSION_KEY)
    return RecordedAnswers(
        source=str(record[SOURCE_KEY]),
        version=None if version is None else str(version),
        answers={key: value for key, value in record.items() if not str(key).startswith("_")},
        engine=str(record.get(ENGINE_KEY) or DEFAULT_ENGINE),
    )


def write_recorded_answers(
    project: Path, recorded: RecordedAnswers, answers_file: str = ANSWERS_FILE
) -> None:
    """Write the answers record `answers_file` into a folder scaffold made (a render, staging)."""
    target = project / answers_file
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(answers_record_text(recorded), encoding="utf-8")


def answers_record_text(recorded: RecordedAnswers) -> str:
    """The answers record in copier's layout (metadata first, then answers)."""
    record: dict[str, Any] = {SOURCE_KEY: recorded.source}
    if recorded.version is not None:
        record[VERSION_KEY] = recorded.version
    if recorded.engine != DEFAULT_ENGINE:
        record[ENGINE_KEY] = recorded.engine
    record.update(sorted(recorded.answers.items()))
    header = "# Changes here will be overwritten by scaffold; do not edit by hand\n"
    body = yaml.safe_dump(record, sort_keys=False, default_flow_style=False, allow_unicode=True)
    return header + body


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
