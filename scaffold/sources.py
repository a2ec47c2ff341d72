"""Turn the `--template` argument into a template source.

A source is a built-in template, a local folder, or a git URL. This module
only decides which, and how the project records it; it neither clones nor
renders (copier does that in `rendering`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from scaffold.builtin_templates import (
    BUILTIN_PREFIX,
    DEFAULT_TEMPLATE,
    find_builtin_template,
    list_builtin_templates,
)
from scaffold.errors import TemplateError

GIT_URL_PATTERN = re.compile(r"^(https?://|git\+|git@|ssh://|file://|gh:|gl:)|\.git/?$")


@dataclass(frozen=True)
class TemplateSource:
    """Where a template comes from and how the project records it."""

    kind: str  # "builtin", "path" or "git"
    location: str  # what the renderer reads: a folder path or a git URL
    recorded: str  # what the answers file stores as `_src_path`
    builtin_version: str | None = None
    engine: str = "copier"  # which library renders it: "copier" or "cookiecutter"

    @property
    def is_builtin(self) -> bool:
        """Built-in templates ship with scaffold and are trusted."""
        return self.kind == "builtin"


def resolve_template_source(template: str | None) -> TemplateSource:
    """The source named by `template` (None means the default built-in)."""
    spec = (template or DEFAULT_TEMPLATE).strip()
    if not spec:
        raise TemplateError("empty --template", "name a built-in template, a folder or a git URL")
    builtin = find_builtin_template(spec)
    if builtin is not None and (spec.startswith(BUILTIN_PREFIX) or not Path(spec).exists()):
        return TemplateSource("builtin", str(builtin.path), builtin.source, builtin.version)
    if spec.startswith(BUILTIN_PREFIX):
        raise _not_found(spec)
    if GIT_URL_PATTERN.search(spec):
        return TemplateSource("git", spec, spec)
    local_path = Path(spec).expanduser()
    if local_path.is_dir():
        resolved = str(local_path.resolve())
        return TemplateSource("path", resolved, resolved)
    raise _not_found(spec)


def _not_found(spec: str) -> TemplateError:
    names = ", ".join(template.name for template in list_builtin_templates())
    return TemplateError(
        f"template '{spec}' not found",
        f"use a built-in template ({names}), an existing folder or a git URL",
    )
