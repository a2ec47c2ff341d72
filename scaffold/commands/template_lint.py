"""`scaffold template lint`: lint a template folder for its author.

A thin command over `template_lint.lint_template`; it exists so the CLI calls
one command function, like every other command. It does not print.
"""

from __future__ import annotations

from pathlib import Path

from scaffold.authoring.lint import Finding, lint_template
from scaffold.errors import TemplateError


def lint_template_command(path: Path, *, trust: bool = False) -> list[Finding]:
    """The findings for the template folder at `path` (TemplateError when it is unreadable)."""
    if not path.is_dir():
        raise TemplateError(f"template folder {path} not found", "pass a template's folder")
    return lint_template(path.resolve(), trust=trust)
