"""Differential harness: `scaffold update` and `copier update` on copies of one edited project.

A case is a template history (v1.0.0, then the changes of v2.0.0) built in
git inside the test, a project generated at v1.0.0 (optionally in a subfolder
of a larger repository, optionally with a layered template on top), and the
user's edits, committed. The repository is copied twice; scaffold updates one
copy and copier the other; both trees are read as path -> (kind, content) with
kind "file", "executable" or "symlink" (a symlink's content is its target).
The answers records are compared as data, since each tool formats them its way.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import copier
import yaml

from scaffold.commands.link import link_project
from scaffold.commands.new import new_project
from scaffold.commands.update import update_project
from tests.helpers import GIT_IDENTITY, build_file_tree, commit_all, git

ANSWERS_FILE = ".copier-answers.yml"
ANSWERS_JINJA = {"{{ _copier_conf.answers_file }}.jinja": "{{ _copier_answers|to_nice_yaml -}}\n"}
Snapshot = dict[str, tuple[str, bytes]]


@dataclass(frozen=True)
class Symlink:
    """A symlink in a template spec, pointing at `target`."""

    target: str


@dataclass(frozen=True)
class Executable:
    """An executable file in a template spec."""

    content: str


Spec = Mapping[str, "str | Symlink | Executable | None"]  # None: delete the path (in changes)


@dataclass(frozen=True)
class TemplateHistory:
    """A template's files at v1.0.0 and what v2.0.0 changes (None deletes a path)."""

    v1: Spec
    v2_changes: Spec


@dataclass(frozen=True)
class Case:
    """One template history, where its project lives, and what the user edits before updating.

    `layer` is a second template applied on top with its own answers file
    (`layer_answers_file`); then the layer is the template both tools update.
    `documented` maps each path where scaffold deliberately differs from
    copier to the heading of docs/updating.md that explains why. `expected`
    pins entries of scaffold's result (None: absent) that show the case
    exercised what it is about, so two equally wrong results cannot pass.
    """

    name: str
    template: TemplateHistory
    edit: Callable[[Path], None]
    subfolder: str = ""
    layer: TemplateHistory | None = None
    layer_answers_file: str = ".copier-answers.layer.yml"
    documented: Mapping[str, str] = field(default_factory=dict)
    expected: Mapping[str, tuple[str, bytes | None] | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """Both tools' results: the project trees, their answers and the rest of the repository."""

    scaffold_tree: Snapshot
    copier_tree: Snapshot
    scaffold_answers: dict[str, Any]
    copier_answers: dict[str, Any]
    scaffold_outside: Snapshot  # the repository outside the project folder
    copier_outside: Snapshot

    def differing_paths(self) -> list[str]:
        """Paths whose kind or content differ between the two tools' projects."""
        paths = set(self.scaffold_tree) | set(self.copier_tree)
        return sorted(p for p in paths if self.scaffold_tree.get(p) != self.copier_tree.get(p))


def write_spec(root: Path, spec: Spec) -> None:
    """Write (or delete) the entries of `spec` under `root`, with their kinds and modes."""
    for relative, content in spec.items():
        target = root / relative
        if target.is_symlink() or target.is_file():
            target.unlink()
        if content is None:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Symlink):
            target.symlink_to(content.target)
        elif isinstance(content, Executable):
            build_file_tree(root, {relative: content.content})
            target.chmod(0o755)
        else:
            build_file_tree(root, {relative: content})


def build_template(root: Path, history: TemplateHistory) -> Path:
    """A git template repository tagged v1.0.0 and v2.0.0."""
    root.mkdir(parents=True)
    write_spec(root, history.v1)
    commit_all(root, "v1", tag="v1.0.0")
    write_spec(root, history.v2_changes)
    commit_all(root, "v2", tag="v2.0.0")
    return root


def snapshot(root: Path, skip: tuple[str, ...] = ()) -> Snapshot:
    """Every file, executable and symlink under `root` outside `.git` and the `skip` folders."""
    found: Snapshot = {}
    for folder, subfolders, names in os.walk(root):
        relative_folder = Path(folder).relative_to(root)
        subfolders[:] = [
            name
            for name in subfolders
            if name != ".git" and (relative_folder / name).as_posix() not in skip
        ]
        for name in [*names, *subfolders]:
            path = Path(folder) / name
            relative = (relative_folder / name).as_posix()
            if path.is_symlink():
                found[relative] = ("symlink", os.readlink(path).encode())
            elif name in names:
                mode = path.stat().st_mode
                kind = "executable" if mode & stat.S_IXUSR else "file"
                found[relative] = (kind, path.read_bytes())
    return found


@contextmanager
def git_identity() -> Any:
    """copier commits in scratch repositories: give it an identity, as a user has one."""
    with mock.patch.dict(os.environ, GIT_IDENTITY):
        yield


def prepare_project(case: Case, workspace: Path) -> tuple[Path, str]:
    """Build the templates, the repository and the edited project; return (repository, record)."""
    template = build_template(workspace / "template", case.template)
    repository = workspace / "repository"
    project = repository / case.subfolder if case.subfolder else repository
    record = ANSWERS_FILE
    if case.subfolder:
        build_file_tree(repository, {"README.md": "the monorepo\n", "other/app.py": "x = 1\n"})
        commit_all(repository, "monorepo")
    new_project(project, template=str(template), vcs_ref="v1.0.0")
    if case.layer is not None:
        layer = build_template(workspace / "layer", case.layer)
        with git_identity():
            copier.run_copy(str(layer), project, vcs_ref="v1.0.0", defaults=True, quiet=True)
        commit_all(repository, "apply the layer with copier")
        link_project(project, answers_file=case.layer_answers_file)
        record = case.layer_answers_file
    case.edit(project)
    commit_all(repository, "user edits")
    return repository, record


def run_both(case: Case, workspace: Path) -> Outcome:
    """Update copies of the case's edited project with scaffold and with copier."""
    repository, record = prepare_project(case, workspace)
    with_scaffold = workspace / "with-scaffold"
    with_copier = workspace / "with-copier"
    shutil.copytree(repository, with_scaffold, symlinks=True)
    shutil.copytree(repository, with_copier, symlinks=True)
    scaffold_project = with_scaffold / case.subfolder
    copier_project = with_copier / case.subfolder

    update_project(scaffold_project, answers_file=record, use_defaults=True)
    with git_identity():
        copier.run_update(
            copier_project,
            answers_file=record,
            vcs_ref="v2.0.0",
            defaults=True,
            overwrite=True,
            skip_answered=True,
            quiet=True,
            conflict="inline",
        )
    skip = (record,)
    outside = (case.subfolder,) if case.subfolder else ()
    return Outcome(
        scaffold_tree=_without(snapshot(scaffold_project), skip),
        copier_tree=_without(snapshot(copier_project), skip),
        scaffold_answers=_answers(scaffold_project / record),
        copier_answers=_answers(copier_project / record),
        scaffold_outside=snapshot(with_scaffold, outside) if outside else {},
        copier_outside=snapshot(with_copier, outside) if outside else {},
    )


def _without(tree: Snapshot, paths: tuple[str, ...]) -> Snapshot:
    return {path: entry for path, entry in tree.items() if path not in paths}


def _answers(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def git_log_subjects(repository: Path) -> list[str]:
    """The commit subjects of `repository`, newest first (to show nothing was committed)."""
    return git(repository, "log", "--format=%s").splitlines()


def without_marker_labels(content: bytes) -> bytes:
    """Conflict markers without their labels (each tool names the sides its own way)."""
    lines = content.split(b"\n")
    return b"\n".join(
        line[:7] if line[:8] in (b"<<<<<<< ", b">>>>>>> ") else line for line in lines
    )
