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
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from scaffold import bounded_reads
from scaffold.check.rerendered import rerendered_blob_ids
from scaffold.git.objects import enclosing_repository, pristine_blob_ids, tracked_files
from scaffold.project.answers import ANSWERS_FILE, SOURCE_KEY, VERSION_KEY, RecordedAnswers
from scaffold.project.layout import ProjectLayout, answers_files_in, check_answers_file_name
from scaffold.project.orgconfig import Policy

SKIPPED_DIRS = frozenset(
    {".git", ".venv", "venv", "node_modules", "__pycache__", ".mypy_cache", ".pytest_cache"}
    | {".ruff_cache", ".tox", ".nox", "mlruns", "mlartifacts", ".ipynb_checkpoints"}
)
YAML_SUFFIXES = (".yml", ".yaml")
LITERAL_PREFIX = re.compile(r"[^*?[]*")  # a glob up to its first wildcard
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


@dataclass(frozen=True)
class ParseError:
    """A config file that exists but does not parse: which file, why, and where."""

    path: str
    message: str
    line: int | None = None


class ProjectFiles:
    """Lazily parsed files of the project at `project`; attribute names are fixture names.

    `answers_file` picks one template's record (and pristine render) in a
    project holding several; by default the answers are `.copier-answers.yml`
    and the pristine render is every template's, layered in record order.
    """

    def __init__(
        self, project: Path, policy: Policy | None = None, answers_file: str | None = None
    ) -> None:
        self.project = project
        self.policy = policy or Policy()
        self.answers_file = None if answers_file is None else check_answers_file_name(answers_file)
        # Plain strings, not Path objects: a check reads dozens of files per project, and
        # pathlib's parsing of every joined path costs more than the read of a small file.
        self._root = os.fspath(project)
        self._texts: dict[str, str | None] = {}
        self._unreadable: dict[str, str] = {}  # relative path -> why it exists but was not read
        self._decode_errors: dict[str, str] = {}  # relative path -> where it is not UTF-8
        self._yaml: dict[str, tuple[Any, ParseError | None]] = {}
        self._rerendered: dict[str, dict[str, str] | str] = {}  # answers file -> render

    def fixture(self, name: str) -> Any:
        """The fixture called `name` (a rule's parameter name)."""
        return getattr(self, name)

    def read_text(self, relative_path: str) -> str | None:
        """The text of a project file, or None when it is missing, unreadable or not a file.

        A FIFO, a device or a file over `PROJECT_FILE_LIMIT` counts as unreadable;
        `_unreadable` keeps why, for every file that exists but could not be read.
        """
        try:
            return self._texts[relative_path]
        except KeyError:
            pass
        content: str | None = None
        path = os.path.join(self._root, relative_path)  # a string: pathlib costs more than a read
        try:
            content = bounded_reads.read_bytes(path, limit=bounded_reads.PROJECT_FILE_LIMIT).decode(
                "utf-8"
            )
        except (FileNotFoundError, NotADirectoryError):
            pass
        except bounded_reads.UnsafeFileError as error:
            self._unreadable[relative_path] = error.strerror
        except OSError as error:
            self._unreadable[relative_path] = f"cannot be read: {error.strerror}"
        except UnicodeDecodeError as error:
            self._unreadable[relative_path] = "is not UTF-8 text"
            self._decode_errors[relative_path] = f"{error.reason} at byte {error.start}"
        if content is not None and "\r" in content:  # newlines as a text-mode read gives them
            content = content.replace("\r\n", "\n").replace("\r", "\n")
        self._texts[relative_path] = content
        return content

    def unreadable(self, relative_path: str) -> str | None:
        """Why a file that `read_text` returned None for exists but could not be read.

        A sentence naming the file, e.g. "Dockerfile is not UTF-8 text (... at byte 28)".
        """
        self.read_text(relative_path)
        reason = self._unreadable.get(relative_path)
        if reason is None:
            return None
        where = self._decode_errors.get(relative_path)
        return f"{relative_path} {reason}" + (f" ({where})" if where else "")

    def read_yaml(self, relative_path: str) -> Any:
        """A parsed YAML file, or None when it is missing or invalid."""
        return self._parsed_yaml(relative_path)[0]

    def _parsed_yaml(self, relative_path: str) -> tuple[Any, ParseError | None]:
        """(document, None), or (None, why it does not parse); (None, None) when missing."""
        if relative_path not in self._yaml:
            text = self.read_text(relative_path)
            parsed: tuple[Any, ParseError | None] = (None, None)
            if relative_path in self._unreadable:
                parsed = (None, ParseError(relative_path, self._unreadable[relative_path]))
            elif text is not None:
                try:
                    parsed = (load_yaml(text), None)
                except yaml.YAMLError as error:
                    mark = getattr(error, "problem_mark", None)
                    line = mark.line + 1 if mark is not None else None
                    parsed = (None, ParseError(relative_path, "is not valid YAML", line))
            self._yaml[relative_path] = parsed
        return self._yaml[relative_path]

    @cached_property
    def text(self) -> Any:
        """`read_text` as a fixture: rules that need arbitrary files take `text`."""
        return self.read_text

    @cached_property
    def answers(self) -> RecordedAnswers | None:
        """The recorded template and answers (None when missing or unreadable)."""
        record = self.read_yaml(self.answers_file or ANSWERS_FILE)
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
        return self._parsed_pyproject[0]

    @cached_property
    def _parsed_pyproject(self) -> tuple[dict[str, Any], ParseError | None]:
        text = self.read_text("pyproject.toml")
        if text is None:
            reason = self._unreadable.get("pyproject.toml")
            return {}, None if reason is None else ParseError("pyproject.toml", reason)
        try:
            return tomllib.loads(text), None
        except tomllib.TOMLDecodeError as error:
            return {}, ParseError("pyproject.toml", f"is not valid TOML: {error}")

    @cached_property
    def config_errors(self) -> list[ParseError]:
        """The core config files (pyproject.toml, params.yaml) that exist but do not parse."""
        errors = [self._parsed_pyproject[1], self._parsed_yaml("params.yaml")[1]]
        return [error for error in errors if error is not None]

    @cached_property
    def scaffold_settings(self) -> dict[str, Any]:
        """The project's own `[tool.scaffold]` table."""
        settings = self.pyproject.get("tool", {}).get("scaffold", {})
        return settings if isinstance(settings, dict) else {}

    @cached_property
    def files(self) -> dict[str, int]:
        """Committed files (from the git index) with sizes; every file when there is no git.

        A project in a subfolder of a repository gets the index entries under it;
        one git does not track at all is walked like a folder without git.
        """
        repository = self._repository
        indexed = None
        if repository is not None:
            top, git_dir = repository
            prefix = "" if top == self.project.resolve() else self._prefix
            indexed = tracked_files(git_dir, prefix)
            if prefix and not indexed:
                indexed = None
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
        try:
            workflows = sorted(os.listdir(os.path.join(self._root, ".github", "workflows")))
        except OSError:
            workflows = []
        paths = [f".github/workflows/{name}" for name in workflows if name.endswith(YAML_SUFFIXES)]
        if os.path.isfile(os.path.join(self._root, ".gitlab-ci.yml")):
            paths.append(".gitlab-ci.yml")
        return {path: self.read_yaml(path) for path in paths}

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
    def dockerfile(self) -> list[tuple[int, str, str]] | str | None:
        """Dockerfile instructions as (line, INSTRUCTION, arguments); None without a Dockerfile,
        and why it cannot be read when it exists but is unreadable (e.g. not UTF-8)."""
        text = self.read_text("Dockerfile")
        if text is None:
            return self.unreadable("Dockerfile")
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
    def _repository(self) -> tuple[Path, Path] | None:
        return enclosing_repository(self.project)

    @cached_property
    def _prefix(self) -> str:
        top = self._repository[0] if self._repository else None
        return ProjectLayout(self.project.resolve(), ANSWERS_FILE, top).prefix

    @cached_property
    def pristine(self) -> dict[str, str] | str:
        """Path -> blob id of the pristine template render, or why it is unknown.

        A project holding several templates gets their renders layered: the
        default record's first, then the others by name (a later one wins a
        path both render). Without a template's stored render (a CI clone fetches
        no `refs/scaffold/*`), its recorded version is rendered again.
        """
        return self._layered_pristine(None)

    @cached_property
    def locked_pristine(self) -> dict[str, str] | str:
        """`pristine`, read only in the folders the policy's `locked_files` globs can match."""
        prefixes = [LITERAL_PREFIX.match(glob).group() for glob in self.policy.locked_files]

        def may_hold_locked_files(folder: str) -> bool:
            return any(folder.startswith(p) or p.startswith(folder) for p in prefixes)

        return self._layered_pristine(may_hold_locked_files)

    def _layered_pristine(self, descend: Callable[[str], bool] | None) -> dict[str, str] | str:
        top = self._repository[0] if self._repository else None
        root = self.project.resolve()
        names = [self.answers_file] if self.answers_file else answers_files_in(root)
        layouts = [ProjectLayout(root, name, top) for name in names or [ANSWERS_FILE]]
        combined: dict[str, str] = {}
        first_reason: str | None = None
        for layout in layouts:
            blobs = pristine_blob_ids(self.project, layout.pristine_ref, descend)
            if isinstance(blobs, str):
                blobs = self._rerender(layout, blobs)
            if isinstance(blobs, str):
                first_reason = first_reason or blobs
                continue  # a template not (yet) linked: the others still count
            combined.update(blobs)
        if first_reason is not None and (len(layouts) == 1 or not combined):
            return first_reason
        return combined

    def _rerender(self, layout: ProjectLayout, why_no_ref: str) -> dict[str, str] | str:
        """The recorded version of `layout`'s template rendered again (once per check).

        The whole render, whatever `descend` asked: rendering costs the same either way.
        """
        if layout.answers_file not in self._rerendered:
            self._rerendered[layout.answers_file] = rerendered_blob_ids(
                self.project, why_no_ref, layout.answers_file
            )
        return self._rerendered[layout.answers_file]
