"""What a rule is: a tiny class with an id, a family, a title, a severity and a `check`.

The class docstring says why the rule exists; its paragraph starting with
`Fix:` says how to repair a failure (reports and docs read both from here).
`check` declares the project facts it needs as parameters, injected by name
from `scaffold.check.facts.ProjectFiles`. This module runs nothing.
"""

from __future__ import annotations

import fnmatch
import inspect
import os
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, ClassVar


class Severity(StrEnum):
    """How much a failure matters: only `error` failures make `scaffold check` exit 1."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One thing wrong, with the file (relative to the project) and line it is about."""

    message: str
    path: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Skip:
    """A rule that does not apply to this project, or cannot tell, and why."""

    reason: str


CheckOutcome = None | Finding | Iterable[Finding] | Skip


class Rule:
    """Base of every rule; subclasses set the class attributes and implement `check`."""

    id: ClassVar[str]
    family: ClassVar[str]
    title: ClassVar[str]
    severity: ClassVar[Severity] = Severity.ERROR

    def check(self, **fixtures: Any) -> CheckOutcome:  # pragma: no cover - interface
        raise NotImplementedError

    @property
    def description(self) -> str:
        """Why the rule exists: the docstring without its `Fix:` paragraph."""
        return "\n\n".join(p for p in _paragraphs(self) if not p.startswith("Fix:"))

    @property
    def fix(self) -> str:
        """How to repair a failure: the docstring's `Fix:` paragraph."""
        for paragraph in _paragraphs(self):
            if paragraph.startswith("Fix:"):
                return " ".join(paragraph.removeprefix("Fix:").split())
        return ""

    def fixture_names(self) -> tuple[str, ...]:
        """The project facts `check` asks for, by parameter name."""
        return tuple(inspect.signature(self.check).parameters)

    def __repr__(self) -> str:
        return f"<rule {self.id}>"


def _paragraphs(rule: Rule) -> list[str]:
    text = inspect.cleandoc(type(rule).__doc__ or "")
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def line_of(text: str | None, needle: str) -> int | None:
    """The 1-based number of the first line containing `needle` (None when absent)."""
    for number, line in enumerate((text or "").splitlines(), start=1):
        if needle in line:
            return number
    return None


def holds_match(folder: Path, pattern: str) -> bool:
    """Whether `folder` holds an entry whose name matches the glob `pattern` (one level deep).

    `any(folder.glob(pattern))` without building a Path per entry: rules call it per project.
    """
    try:
        names = os.listdir(folder)
    except OSError:
        return False
    return bool(fnmatch.filter(names, pattern))


def normalise_outcome(outcome: CheckOutcome) -> Skip | tuple[Finding, ...]:
    """A check's return value as a Skip or a (possibly empty) tuple of findings."""
    if outcome is None:
        return ()
    if isinstance(outcome, Skip):
        return outcome
    if isinstance(outcome, Finding):
        return (outcome,)
    return tuple(outcome)
