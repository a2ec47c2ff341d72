"""Org rules written in the org config: a file must exist, match a pattern, or set a YAML key.

One `DeclarativeRule` instance per `rules:` entry; it behaves like any other
rule (id, family `org`, title, severity, why and fix from the config).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from scaffold.check.facts import load_yaml
from scaffold.check.rules.base import Finding, Rule, Severity, line_of
from scaffold.check.rules.data import lookup
from scaffold.project.orgconfig import DeclarativeRuleSpec


class DeclarativeRule(Rule):
    """A rule the organisation declared in its org config."""

    family = "org"

    def __init__(self, spec: DeclarativeRuleSpec) -> None:
        self.spec = spec
        self.id = spec.id  # type: ignore[misc]
        self.title = spec.title  # type: ignore[misc]
        self.severity = Severity(spec.severity)  # type: ignore[misc]

    @property
    def description(self) -> str:
        return self.spec.why or self.spec.title

    @property
    def fix(self) -> str:
        return self.spec.fix

    def check(self, project: Path, text: Callable[[str], str | None]) -> Finding | None:
        spec = self.spec
        if spec.kind == "file_exists":
            if not any(project.glob(spec.path)):
                return Finding(f"{spec.path} is missing", spec.path)
            return None
        content = text(spec.path)
        if content is None:
            return Finding(f"{spec.path} is missing", spec.path)
        if spec.kind == "file_matches":
            if not re.search(str(spec.pattern), content, re.MULTILINE):
                return Finding(f"{spec.path} does not match /{spec.pattern}/", spec.path)
            return None
        return self._check_yaml_key(content)

    def _check_yaml_key(self, content: str) -> Finding | None:
        spec = self.spec
        try:
            found, actual = lookup(load_yaml(content), str(spec.key))
        except Exception:  # any YAML error: report it as the finding
            return Finding(f"{spec.path} is not valid YAML", spec.path)
        leaf = str(spec.key).rsplit(".", 1)[-1]
        if not found:
            return Finding(f"{spec.key} is not set (must be {spec.value!r})", spec.path)
        if actual != spec.value and str(actual) != str(spec.value):
            return Finding(
                f"{spec.key} is {actual!r}, must be {spec.value!r}",
                spec.path,
                line_of(content, f"{leaf}:"),
            )
        return None
