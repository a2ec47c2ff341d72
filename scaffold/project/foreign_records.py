"""Read what a project already says about its template, before scaffold manages it.

`scaffold link` adopts projects made by cruft (`.cruft.json`), by plain
copier or by scaffold itself (`.copier-answers.yml`, e.g. in a fresh clone,
which lacks scaffold's pristine ref). This module only reads those records;
it neither renders nor writes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaffold import bounded_reads
from scaffold.errors import ScaffoldError
from scaffold.project.answers import ANSWERS_FILE, read_recorded_answers

CRUFT_FILE = ".cruft.json"
# Files that record which template made the project: never template output, never the user's drift.
RECORD_FILES = (ANSWERS_FILE, CRUFT_FILE)


@dataclass(frozen=True)
class ExistingRecord:
    """A template source, version and answers found in a project, and the file they came from."""

    template: str
    version: str | None
    answers: dict[str, Any] = field(default_factory=dict)
    engine: str | None = None  # None: unknown, detect it from the template
    origin: str = ""


def read_existing_record(project: Path, answers_file: str = ANSWERS_FILE) -> ExistingRecord | None:
    """The project's answers record (scaffold/copier first, then cruft), or None.

    `answers_file` names the copier record to read (a layered template's own);
    cruft's `.cruft.json` is read only for the default one.
    """
    if (project / answers_file).is_file():
        recorded = read_recorded_answers(project, answers_file)
        return ExistingRecord(
            recorded.source, recorded.version, recorded.answers, recorded.engine, answers_file
        )
    # A FIFO or device is refused by name when read.
    if answers_file == ANSWERS_FILE and (project / CRUFT_FILE).exists():
        return read_cruft_record(project / CRUFT_FILE)
    return None


def read_cruft_record(path: Path) -> ExistingRecord:
    """Template, commit and cookiecutter answers from a cruft `.cruft.json`."""
    try:
        record = json.loads(bounded_reads.read_text(path))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as error:
        reason = getattr(error, "strerror", None) or _one_line(error)
        raise ScaffoldError(
            f"cannot read {path}: {reason}", "restore .cruft.json from git or pass --template"
        ) from error
    if not isinstance(record, dict) or not record.get("template"):
        raise ScaffoldError(
            f"{path} does not name a template", "restore .cruft.json from git or pass --template"
        )
    template = str(record["template"])
    directory = record.get("directory")
    if directory:
        if not Path(template).expanduser().is_dir():
            raise ScaffoldError(
                f"{path} names a template in sub-folder '{directory}' of a git repository",
                "clone the template and pass --template PATH/TO/SUBFOLDER",
            )
        template = str(Path(template).expanduser() / str(directory))
    context = record.get("context") or {}
    context = (context.get("cookiecutter") or {}) if isinstance(context, dict) else None
    if not isinstance(context, dict):
        raise ScaffoldError(
            f"{path}: `context.cookiecutter` is not a mapping of answers",
            "restore .cruft.json from git or pass --template and --data",
        )
    answers = {key: value for key, value in context.items() if not str(key).startswith("_")}
    commit = record.get("commit")
    return ExistingRecord(
        template, None if commit is None else str(commit), answers, "cookiecutter", CRUFT_FILE
    )


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
