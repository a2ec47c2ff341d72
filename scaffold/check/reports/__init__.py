"""Renderers of a `CheckReport`: text for people, JSON for tools, SARIF for code-scanning UIs.

Each renderer is a pure function from the report to a string; none runs rules
or writes files.
"""

from __future__ import annotations

from collections.abc import Callable

from scaffold.check.report import CheckReport

FORMATS = ("text", "json", "sarif")


def render(report: CheckReport, output_format: str, *, color: bool = False) -> str:
    """The report in `output_format` (one of FORMATS)."""
    from scaffold.check.reports import json, sarif, text

    renderers: dict[str, Callable[[CheckReport], str]] = {
        "json": json.render,
        "sarif": sarif.render,
        "text": lambda r: text.render(r, color=color),
    }
    return renderers[output_format](report)
