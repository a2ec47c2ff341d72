"""`scaffold status`: recorded and latest template version and local edits, one line a project.

The latest version of a built-in template is the one this scaffold ships;
of a git template, its highest PEP 440 tag (`git ls-remote --tags`). A local
folder template without git has no versions, so it is never outdated.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scaffold.commands.diff import layout_diff
from scaffold.errors import ScaffoldError
from scaffold.git.arguments import check_repository_argument
from scaffold.project.answers import ANSWERS_FILE, read_recorded_answers
from scaffold.project.layout import ProjectLayout, project_layouts
from scaffold.render.builtin_templates import BUILTIN_PREFIX, find_builtin_template
from scaffold.update.migrations import parse_version

COMMIT_PATTERN = re.compile(r"[0-9a-f]{40}")


@dataclass(frozen=True)
class ProjectStatus:
    """Where one project stands against its template."""

    project: Path
    template_source: str
    version: str | None
    latest_version: str | None
    edited: bool | None  # None: unknown (no git history or template unreachable)
    error: str = ""
    answers_file: str = ANSWERS_FILE  # which template of the project (several may be layered)

    @property
    def outdated(self) -> bool:
        """Whether a newer template version exists."""
        current, latest = parse_version(self.version), parse_version(self.latest_version)
        if current is None or latest is None:
            return self.latest_version is not None and self.version != self.latest_version
        return latest > current


def project_statuses(
    projects: Sequence[Path], answers_file: str | None = None
) -> list[ProjectStatus]:
    """The status of each project, in the order given; a folder that fails gets its error.

    A project holding several templates (layered answers files) gets one
    status per template, unless `answers_file` names one.
    """
    statuses = []
    for project in projects:
        try:
            layouts = project_layouts(project, answers_file)
        except ScaffoldError as failure:
            statuses.append(ProjectStatus(project, "-", None, None, None, failure.one_line()))
            continue
        for layout in layouts:
            try:
                statuses.append(layout_status(project, layout))
            except ScaffoldError as failure:
                statuses.append(
                    ProjectStatus(
                        project, "-", None, None, None, failure.one_line(), layout.answers_file
                    )
                )
    return statuses


def project_status(project: Path, answers_file: str | None = None) -> ProjectStatus:
    """The status of one generated project (`project` may be a folder inside it).

    `answers_file` picks the template of a project holding several.
    """
    layouts = project_layouts(project, answers_file)
    if len(layouts) > 1:
        return project_statuses([project], answers_file)[0]
    return layout_status(project, layouts[0])


def layout_status(project: Path, layout: ProjectLayout) -> ProjectStatus:
    """The status of one template record of the project holding `project`."""
    recorded = read_recorded_answers(layout.root, layout.answers_file)
    latest = latest_template_version(recorded.source, recorded.version)
    try:
        edited: bool | None = bool(layout_diff(layout).generated_paths_changed)
        error = ""
    except ScaffoldError as failure:
        edited, error = None, failure.message
    return ProjectStatus(
        project, recorded.source, recorded.version, latest, edited, error, layout.answers_file
    )


def latest_template_version(source: str, recorded_version: str | None = None) -> str | None:
    """The newest version a template source offers (None when it has no versions).

    A git template without version tags, recorded at a commit (as untagged
    cookiecutter templates are), is compared by the commit of its HEAD.
    """
    if source.startswith(BUILTIN_PREFIX):
        builtin = find_builtin_template(source)
        return builtin.version if builtin else None
    check_repository_argument(source, "recorded template source")
    remote_refs = _ls_remote(source, options=("--tags", "--refs"))
    if remote_refs is None:
        return None
    tags = [line.split("refs/tags/", 1)[1] for line in remote_refs if "refs/tags/" in line]
    versioned = [(parse_version(tag), tag) for tag in tags]
    ordered = sorted((version, tag) for version, tag in versioned if version is not None)
    if ordered:
        return ordered[-1][1]
    if recorded_version and COMMIT_PATTERN.fullmatch(recorded_version):
        head = _ls_remote(source, patterns=("HEAD",))
        return head[0].split()[0] if head else None
    return None


def _ls_remote(
    source: str, options: tuple[str, ...] = (), patterns: tuple[str, ...] = ()
) -> list[str] | None:
    """`git ls-remote` lines for `source`, or None when it cannot be reached."""
    try:
        completed = subprocess.run(
            ["git", "ls-remote", *options, "--", source, *patterns],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},  # a recorded URL never prompts
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if completed.returncode != 0:
        return None
    return [line for line in completed.stdout.splitlines() if line.strip()]
