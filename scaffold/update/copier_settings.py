"""The copier settings that decide what an update writes: `_skip_if_exists` and `_exclude`.

Patterns are rendered with the answers and matched like `.gitignore` lines, as copier does. The
other settings act when copier renders (docs/updating.md lists them all). It decides nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from scaffold.errors import TemplateError

# copier's own default `_exclude`, when the template sets neither `_exclude` nor `_subdirectory`.
COPIER_DEFAULT_EXCLUDE = (
    "copier.yaml",
    "copier.yml",
    "~*",
    "*.py[co]",
    "__pycache__",
    ".git",
    ".DS_Store",
    ".svn",
)

PathMatcher = Callable[[str], bool]


@dataclass(frozen=True)
class UpdateSettings:
    """Matchers for the paths copier's settings single out in an update."""

    keep_existing: PathMatcher  # `_skip_if_exists`
    excluded: PathMatcher  # `_exclude` of the new version


def update_settings(settings: Mapping[str, Any], answers: Mapping[str, Any]) -> UpdateSettings:
    """Read `_skip_if_exists` and `_exclude` of a template (settings without their `_`)."""
    exclude = _patterns(settings, "exclude")
    if "exclude" not in settings and not str(settings.get("subdirectory") or "").strip("./"):
        exclude = list(COPIER_DEFAULT_EXCLUDE)  # copier's default, replaced by any `_exclude`
    return UpdateSettings(
        keep_existing=path_matcher(_patterns(settings, "skip_if_exists"), answers),
        excluded=path_matcher(exclude, answers),
    )


def path_matcher(patterns: Iterable[str], answers: Mapping[str, Any]) -> PathMatcher:
    """A function telling whether a project-relative path matches a gitignore line of `patterns`."""
    import pathspec
    from jinja2 import TemplateError as JinjaTemplateError
    from jinja2.sandbox import SandboxedEnvironment

    environment = SandboxedEnvironment()
    try:
        rendered = [environment.from_string(pattern).render(dict(answers)) for pattern in patterns]
    except JinjaTemplateError as error:
        raise TemplateError(
            f"cannot render the template's path patterns: {error}",
            "fix `_skip_if_exists` or `_exclude` in the template's copier.yml",
        ) from error
    lines = [line for line in rendered if line.strip()]
    if not lines:
        return lambda path: False
    style = "gitignore" if int(pathspec.__version__.split(".")[0]) >= 1 else "gitwildmatch"
    return pathspec.PathSpec.from_lines(style, lines).match_file


def _patterns(settings: Mapping[str, Any], key: str) -> list[str]:
    value = settings.get(key) or []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise TemplateError(
            f"the template's `_{key}` must be a list of path patterns",
            "fix the template's copier.yml",
        )
    return [str(pattern) for pattern in value]
