"""The one result every template engine returns: the rendered folder, answers and version.

Engines (`engines/`) build it; `renderer.render_template` returns it to callers.
This module holds data only and imports no engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class RenderedProject:
    """A template rendered into `path`, with the answers and version used."""

    path: Path
    answers: dict[str, Any]
    version: str | None
    questions: frozenset[str] = frozenset()
    settings: dict[str, Any] = field(default_factory=dict)  # template settings, `_` stripped
    answers_file: str = ".copier-answers.yml"  # where the record goes, relative to `path`
