"""Template-declared migrations (copier's `_migrations`), selected by version and run in order.

A migration is a command the template asks to run when a project crosses its
version, in the `before` stage (before the new version is merged) or the
`after` stage. This module selects and runs them in a folder it is given;
deciding whether the template is trusted is the caller's job.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from scaffold.errors import ScaffoldError

STAGES = ("before", "after")


@dataclass(frozen=True)
class Migration:
    """One migration command and the version that introduced it (None: every update)."""

    command: str | list[str]
    version: str | None
    when: str | None


class MigrationError(ScaffoldError):
    """A migration command failed; the project is left as it was."""


def parse_version(text: str | None) -> Version | None:
    """PEP 440 version of a tag like `v1.2.0` (None when it is not a version)."""
    if text is None:
        return None
    try:
        return Version(text)
    except InvalidVersion:
        return None


def declared_migrations(settings: Mapping[str, Any]) -> list[Migration]:
    """The migrations a template declares (copier's new format and plain commands)."""
    declared = []
    for entry in settings.get("migrations", []) or []:
        if isinstance(entry, (str, list)):
            declared.append(Migration(entry, None, None))
        elif isinstance(entry, dict) and "command" in entry:
            version = entry.get("version")
            declared.append(
                Migration(
                    entry["command"], None if version is None else str(version), entry.get("when")
                )
            )
    return declared


def pending_migrations(
    settings: Mapping[str, Any], version_from: str | None, version_to: str | None
) -> list[Migration]:
    """Migrations for crossing from `version_from` to `version_to`, oldest version first."""
    start, end = parse_version(version_from), parse_version(version_to)
    if start is None or end is None or end <= start:
        return []
    selected = []
    for migration in declared_migrations(settings):
        introduced = parse_version(migration.version)
        if migration.version is not None and (introduced is None or not start < introduced <= end):
            continue
        selected.append(migration)
    return sorted(selected, key=lambda item: parse_version(item.version) or start)


def run_migrations(
    migrations: list[Migration],
    stage: str,
    folder: Path,
    context: Mapping[str, Any],
) -> list[str]:
    """Run the migrations of `stage` in `folder`; return the commands run."""
    from jinja2.sandbox import SandboxedEnvironment

    environment = SandboxedEnvironment(keep_trailing_newline=True)
    variables = {**context, "_stage": stage, "_copier_python": sys.executable}
    process_env = {
        **os.environ,
        "STAGE": stage,
        "VERSION_FROM": str(context.get("_version_from", "")),
        "VERSION_TO": str(context.get("_version_to", "")),
    }
    ran = []
    for migration in migrations:
        condition = migration.when or '{{ _stage == "after" }}'
        if environment.from_string(condition).render(variables).strip().lower() in ("", "false"):
            continue
        if isinstance(migration.command, list):
            argv = [
                environment.from_string(str(part)).render(variables) for part in migration.command
            ]
            shown = shlex.join(argv)
            completed = subprocess.run(
                argv, cwd=folder, env=process_env, capture_output=True, text=True, check=False
            )
        else:
            shown = environment.from_string(migration.command).render(variables)
            completed = subprocess.run(
                shown,
                shell=True,
                cwd=folder,
                env=process_env,
                capture_output=True,
                text=True,
                check=False,
            )
        if completed.returncode != 0:
            detail = (completed.stderr or completed.stdout).strip().splitlines()
            raise MigrationError(
                f"migration `{shown}` failed: {detail[-1] if detail else completed.returncode}",
                "nothing was changed; fix the template's migration or report it to its authors",
            )
        ran.append(shown)
    return ran
