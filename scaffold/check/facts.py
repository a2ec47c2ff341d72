"""The facts about one project that rules ask for by name ("fixtures"), each read once.

`ProjectFiles` parses a file the first time a rule needs it and keeps the
result, so checking a project reads each file at most once. Every fixture is
forgiving: a missing or broken file gives an empty value, and the rule that
cares reports it. This module judges nothing.
"""

from __future__ import annotations

import os
import re
import tomllib
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from scaffold import bounded_reads
from scaffold.git.objects import git_dir_of, pristine_blob_ids, tracked_files
from scaffold.project.answers import ANSWERS_FILE, SOURCE_KEY, VERSION_KEY, RecordedAnswers
from scaffold.project.orgconfig import Policy

SKIPPED_DIRS = frozenset(
    {".git", ".venv", "venv", "node_modules", "__pycache__", ".mypy_cache", ".pytest_cache"}
    | {".ruff_cache", ".tox", ".nox", "mlruns", "mlartifacts", ".ipynb_checkpoints"}
)
MAKE_TARGET = re.compile(r"^([A-Za-z0-9_.-]+)\s*:(?!=)")


def load_yaml(text: str) -> Any:
    """YAML with the fast C loader when available, its alias expansion bounded."""
    return bounded_reads.load_yaml(text)


def runs_on_push(path: str, config: Any) -> bool:
    """Whether a CI file runs on pushes or pull requests (GitLab files always may)."""
    if not path.startswith(".github/") or not isinstance(config, dict):
        return True
    triggers = config.get("on", config.get(True))  # YAML 1.1 reads a bare `on` as True
    if isinstance(triggers, str):
        triggers = [triggers]
    return bool(triggers) and any(t in triggers for t in ("push", "pull_request"))


class ProjectFiles:
    """Lazily parsed files of the project at `project`; attribute names are fixture names."""

    def __init__(self, project: Path, policy: Policy | None = None) -> None:
        self.project = project
        self.policy = policy or Policy()
        self._texts: dict[str, str | None] = {}

    def fixture(self, name: str) -> Any:
        """The fixture called `name` (a rule's parameter name)."""
        return getattr(self, name)

    def read_text(self, relative_path: str) -> str | None:
        """The text of a project file, or None when it is missing, unreadable or not a file.

        A FIFO, a device or a file over `PROJECT_FILE_LIMIT` counts as unreadable.
        """
        if relative_path not in self._texts:
            try:
                content = bounded_reads.read_text(
                    self.project / relative_path, limit=bounded_reads.PROJECT_FILE_LIMIT
                )
            except (OSError, UnicodeDecodeError):
                content = None
            self._texts[relative_path] = content
        return self._texts[relative_path]

    def read_yaml(self, relative_path: str) -> Any:
        """A parsed YAML file, or None when it is missing or invalid."""
        text = self.read_text(relative_path)
        if text is None:
            return None
        try:
            return load_yaml(text)
        except yaml.YAMLError:
            return None

    @cached_property
    def text(self) -> Any:
        """`read_text` as a fixture: rules that need arbitrary files take `text`."""
        return self.read_text

    @cached_property
    def answers(self) -> RecordedAnswers | None:
        """The recorded template and answers (None when missing or unreadable)."""
        record = self.read_yaml(ANSWERS_FILE)
        if not isinstance(record, dict) or SOURCE_KEY not in record:
            return None
        version = record.get(VERSION_KEY)
        return RecordedAnswers(
            source=str(record[SOURCE_KEY]),
            version=None if version is None else str(version),
            answers={k: v for k, v in record.items() if not str(k).startswith("_")},
        )

    @cached_property
    def options(self) -> dict[str, Any]:
        """The recorded answers, or {} — what rules use to know which features apply."""
        return dict(self.answers.answers) if self.answers else {}

    @cached_property
    def pyproject(self) -> dict[str, Any]:
        """The parsed pyproject.toml ({} when missing or invalid)."""
        text = self.read_text("pyproject.toml")
        try:
            return tomllib.loads(text) if text else {}
        except tomllib.TOMLDecodeError:
            return {}

    @cached_property
    def scaffold_settings(self) -> dict[str, Any]:
        """The project's own `[tool.scaffold]` table."""
        settings = self.pyproject.get("tool", {}).get("scaffold", {})
        return settings if isinstance(settings, dict) else {}

    @cached_property
    def files(self) -> dict[str, int]:
        """Committed files (from the git index) with sizes; every file when there is no git."""
        git_dir = git_dir_of(self.project)
        indexed = tracked_files(git_dir) if git_dir is not None else None
        if indexed is not None:
            return indexed
        found: dict[str, int] = {}
        for folder, subfolders, names in os.walk(self.project):
            subfolders[:] = [name for name in subfolders if name not in SKIPPED_DIRS]
            for name in names:
                path = os.path.join(folder, name)
                try:
                    size = os.path.getsize(path)
                except OSError:
                    continue
                found[os.path.relpath(path, self.project).replace(os.sep, "/")] = size
        return found

    @cached_property
    def ci_configs(self) -> dict[str, Any]:
        """Parsed CI files by path: GitHub workflows and .gitlab-ci.yml (None if invalid)."""
        configs: dict[str, Any] = {}
        workflows = self.project / ".github" / "workflows"
        if workflows.is_dir():
            for path in sorted(workflows.iterdir()):
                if path.suffix in (".yml", ".yaml"):
                    configs[f".github/workflows/{path.name}"] = None
        if (self.project / ".gitlab-ci.yml").is_file():
            configs[".gitlab-ci.yml"] = None
        return {path: self.read_yaml(path) for path in configs}

    @cached_property
    def ci_commands(self) -> list[tuple[str, str]]:
        """(file, shell command) for every `run:` step and GitLab `script` line."""
        commands: list[tuple[str, str]] = []
        for path, config in self.ci_configs.items():
            if not isinstance(config, dict):
                continue
            jobs = config.get("jobs") if isinstance(config.get("jobs"), dict) else config
            for job in jobs.values():
                if not isinstance(job, dict):
                    continue
                for step in job.get("steps") or ():
                    if isinstance(step, dict) and isinstance(step.get("run"), str):
                        commands.append((path, step["run"]))
                for key in ("before_script", "script"):
                    lines = job.get(key) or ()
                    for line in [lines] if isinstance(lines, str) else lines:
                        commands.append((path, str(line)))
        return commands

    @cached_property
    def ci_push_commands(self) -> list[tuple[str, str]]:
        """`ci_commands` of what runs on every push or pull request (not schedules)."""
        on_push = {path for path, config in self.ci_configs.items() if runs_on_push(path, config)}
        return [(path, command) for path, command in self.ci_commands if path in on_push]

    @cached_property
    def make_targets(self) -> dict[str, str]:
        """Makefile target -> its recipe text (empty when there is no Makefile)."""
        targets: dict[str, str] = {}
        current: str | None = None
        for line in (self.read_text("Makefile") or "").splitlines():
            match = MAKE_TARGET.match(line)
            if match:
                current = match.group(1)
                targets.setdefault(current, "")
            elif line.startswith("\t") and current is not None:
                targets[current] += line.strip() + "\n"
            elif line.strip() and not line.startswith("#"):
                current = None
        return targets

    @cached_property
    def dvc_pipeline(self) -> dict[str, Any] | None:
        """dvc.yaml (None when missing or not a mapping)."""
        pipeline = self.read_yaml("dvc.yaml")
        return pipeline if isinstance(pipeline, dict) else None

    @cached_property
    def params(self) -> dict[str, Any] | None:
        """params.yaml (None when missing or not a mapping)."""
        params = self.read_yaml("params.yaml")
        return params if isinstance(params, dict) else None

    @cached_property
    def dockerfile(self) -> list[tuple[int, str, str]] | None:
        """Dockerfile instructions as (line, INSTRUCTION, arguments); None without a Dockerfile."""
        text = self.read_text("Dockerfile")
        if text is None:
            return None
        instructions: list[tuple[int, str, str]] = []
        pending, start = "", 0
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            if not pending and (not stripped or stripped.startswith("#")):
                continue
            if pending and stripped.startswith("#"):
                continue
            start = start or number
            pending += " " + stripped.removesuffix("\\").strip()
            if not stripped.endswith("\\"):
                keyword, _, arguments = pending.strip().partition(" ")
                instructions.append((start, keyword.upper(), arguments.strip()))
                pending, start = "", 0
        return instructions

    @cached_property
    def pristine(self) -> dict[str, str] | str:
        """Path -> blob id of the pristine template render, or why it is unknown."""
        return pristine_blob_ids(self.project)
