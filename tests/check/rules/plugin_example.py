"""An org rule shipped as a package: what a `scaffold.rules` entry point points to."""

from __future__ import annotations

from pathlib import Path

from scaffold.check.rules import Finding, Rule


class HasChangelog(Rule):
    """Every project keeps a changelog.

    Fix: Add CHANGELOG.md.
    """

    id = "ACME-P01"
    family = "org"
    title = "Project has a changelog"

    def check(self, project: Path) -> Finding | None:
        return (
            None
            if (project / "CHANGELOG.md").is_file()
            else Finding("no changelog", "CHANGELOG.md")
        )
