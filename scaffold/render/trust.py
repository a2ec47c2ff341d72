"""The one place deciding what trust a template has and what counts as its code, for every engine.

Trust: built-in templates, `--trust`, or an org `trusted_sources` glob matched on the
normalised source (`sources.source_match_key`). Template code: copier tasks, migrations and
jinja extensions; cookiecutter hooks, `_extensions` and jinja settings; and, for untrusted
templates, the jinja filters that read the environment or the file system. The engines ask
here and refuse; this module runs nothing and renders nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from scaffold.errors import ScaffoldError, UntrustedTemplateError
from scaffold.project.orgconfig import OrgConfig
from scaffold.render.sources import TemplateSource, source_match_key

TRUST_HINT = (
    "read the template, then pass --trust (or list it in the org config's trusted_sources) "
    "to allow it"
)
COOKIECUTTER_HOOK_NAMES = ("pre_prompt", "pre_gen_project", "post_gen_project")
# cookiecutter loads these itself; listing one in `_extensions` adds no code.
COOKIECUTTER_DEFAULT_EXTENSIONS = (
    "cookiecutter.extensions.JsonifyExtension",
    "cookiecutter.extensions.RandomStringExtension",
    "cookiecutter.extensions.SlugifyExtension",
    "cookiecutter.extensions.TimeExtension",
    "cookiecutter.extensions.UUIDExtension",
)
# `_jinja2_env_vars` an untrusted cookiecutter template may set: syntax and whitespace only.
SAFE_JINJA_SETTINGS = frozenset(
    {
        "block_start_string",
        "block_end_string",
        "variable_start_string",
        "variable_end_string",
        "comment_start_string",
        "comment_end_string",
        "line_statement_prefix",
        "line_comment_prefix",
        "trim_blocks",
        "lstrip_blocks",
        "newline_sequence",
        "keep_trailing_newline",
        "autoescape",
    }
)
# Filters (copier's, from jinja2-ansible-filters) that copy facts about this machine into a
# project: an untrusted template could commit a token from the environment or a file listing.
UNTRUSTED_JINJA_FILTERS: Mapping[str, str] = {
    "expandvars": "reads environment variables",
    "expanduser": "reads the home folder",
    "fileglob": "lists files on this machine",
    "realpath": "resolves paths on this machine",
    "relpath": "reads the working folder",
}


@dataclass(frozen=True)
class Trust:
    """Whether a template may run its code, and why (empty when it may not)."""

    trusted: bool
    reason: str = ""


def template_trust(
    source: TemplateSource, *, trust_flag: bool = False, org: OrgConfig | None = None
) -> Trust:
    """The trust `source` has: built-in, `--trust`, or an org `trusted_sources` glob."""
    if source.is_builtin:
        return Trust(True, "built-in template")
    if trust_flag:
        return Trust(True, "--trust")
    pattern = trusting_pattern(org or OrgConfig(), source.recorded)
    if pattern is not None:
        return Trust(True, f"org config trusted_sources '{pattern}'")
    return Trust(False)


def trusting_pattern(org: OrgConfig, source: str) -> str | None:
    """The first `trusted_sources` glob of `org` that matches `source`, both normalised."""
    if not org.trusted_sources:
        return None
    try:
        key = source_match_key(source)
    except ScaffoldError:
        return None  # a source that cannot be normalised is trusted by no glob
    for pattern in org.trusted_sources:
        try:
            if fnmatchcase(key, source_match_key(pattern)):
                return pattern
        except ScaffoldError:
            continue
    return None


def refuse_template_code(template: str, code: list[str], *, trusted: bool) -> None:
    """Refuse an untrusted template that has `code`, naming each piece."""
    if code and not trusted:
        raise UntrustedTemplateError(
            f"template '{template}' wants to run code: {'; '.join(code)}", TRUST_HINT
        )


def cookiecutter_template_code(folder: Path, context: Mapping[str, Any]) -> list[str]:
    """What a cookiecutter template would run or import: hooks, `_extensions`, jinja settings.

    Every `_extensions` entry counts, whatever its form (dotted, `module:Class`, a namespace
    package, a sourceless `.pyc`): cookiecutter puts the template on `sys.path` before it
    imports them, so any name may resolve to the template's own code. Only cookiecutter's
    own default extensions, which it loads anyway, are not code.
    """
    found = []
    hooks_folder = folder / "hooks"
    if hooks_folder.is_dir():
        found += [
            f"hooks/{entry.name}"
            for entry in sorted(hooks_folder.iterdir())
            if entry.name.split(".")[0] in COOKIECUTTER_HOOK_NAMES and not entry.name.endswith("~")
        ]
    extensions = context.get("_extensions")
    if extensions is not None:
        listed = extensions if isinstance(extensions, list) else [extensions]
        found += [
            f"jinja extension {entry}"
            for entry in listed
            if str(entry) not in COOKIECUTTER_DEFAULT_EXTENSIONS
        ]
    settings = context.get("_jinja2_env_vars")
    if settings is not None:
        named = settings if isinstance(settings, dict) else {"_jinja2_env_vars": settings}
        found += [
            f"jinja setting {name}" for name in sorted(named) if name not in SAFE_JINJA_SETTINGS
        ]
    return found


def copier_template_code(template: Any) -> list[str]:
    """What a copier template (a `copier._template.Template`) would run: tasks, extensions,
    migrations. copier enforces the same list itself when `unsafe` is False."""
    named = [f"task `{_command(task.cmd)}`" for task in template.tasks]
    named += [f"jinja extension {name}" for name in template.jinja_extensions]
    named += [
        f"migration `{_command(migration.get('command', migration))}`"
        for migration in template.config_data.get("migrations", []) or []
        if isinstance(migration, dict)
    ]
    return named


def restrict_jinja_environment(environment: Any) -> None:
    """Make `UNTRUSTED_JINJA_FILTERS` in `environment` refuse, naming the filter, when used."""
    for name, reason in UNTRUSTED_JINJA_FILTERS.items():
        if name in environment.filters:
            environment.filters[name] = _refusing_filter(name, reason)


def _refusing_filter(name: str, reason: str) -> Callable[..., Any]:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise UntrustedTemplateError(
            f"template uses the jinja filter '{name}', which {reason}", TRUST_HINT
        )

    return refuse


def _command(command: object) -> str:
    if isinstance(command, (list, tuple)):
        return " ".join(map(str, command))
    return str(command)
