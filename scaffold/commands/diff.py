"""`scaffold diff`: what the user changed relative to the pristine render of the recorded version.

This is exactly what an update will have to merge. Uncommitted and untracked
(not ignored) files count as the user's, and so do ignored files where the
template generated one; the answers record does not, and in a project holding
several templates neither do the files the other templates render.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scaffold.errors import ScaffoldError
from scaffold.git.repository import run_git
from scaffold.project.answers import read_recorded_answers
from scaffold.project.foreign_records import RECORD_FILES
from scaffold.project.layout import ProjectLayout, answers_files_in, project_layout
from scaffold.scratch import scratch_folder
from scaffold.update.baseline import merge_base
from scaffold.update.file_trees import read_paths, read_tracked_files
from scaffold.update.text_diff import unified_diff


@dataclass(frozen=True)
class ProjectDiff:
    """The user's changes to the generated files of a project."""

    project: Path
    version: str | None
    diff: str
    changed_paths: list[str]
    generated_paths_changed: list[str]  # changed paths the template renders (edits, deletions)
    answers_file: str = ".copier-answers.yml"


def project_diff(
    project: Path, *, trust: bool = False, answers_file: str | None = None
) -> ProjectDiff:
    """Diff the pristine render of `project`'s recorded version against its work tree.

    `answers_file` picks the template of a project holding several.
    """
    return layout_diff(project_layout(project, answers_file), trust=trust)


def layout_diff(layout: ProjectLayout, *, trust: bool = False) -> ProjectDiff:
    """`project_diff` for one template record of one project."""
    project, record = layout.root, layout.answers_file
    recorded = read_recorded_answers(project, record)
    if layout.repository is None:
        raise ScaffoldError(
            f"{project} is not in a git repository",
            "scaffold diff needs the project's git history; run `git init` and commit first",
        )
    answers_text = (project / record).read_bytes()
    with scratch_folder("scaffold-diff-") as scratch:
        base, _ = merge_base(
            project,
            answers_text,
            recorded,
            scratch / "base",
            trust,
            ref=layout.pristine_ref,
            answers_file=record,
        )
    current = read_tracked_files(project, with_untracked=True)
    # Generated files git ignores (the template's `.gitignore` names them) are compared too.
    current.update(read_paths(project, sorted(set(base) - set(current))))
    others = _other_templates_paths(layout)
    records = {record, *RECORD_FILES}  # the template's record, not a change to its files
    for record_file in records:
        base.pop(record_file, None)
    current = {
        path: content
        for path, content in current.items()
        if path not in records and (path in base or path not in others)
    }
    changed = sorted(
        path for path in set(base) | set(current) if base.get(path) != current.get(path)
    )
    generated = [path for path in changed if path in base]
    return ProjectDiff(
        project, recorded.version, unified_diff(base, current), changed, generated, record
    )


def _other_templates_paths(layout: ProjectLayout) -> set[str]:
    """The records of the project's other templates and the files their latest renders hold."""
    paths: set[str] = set()
    for name in answers_files_in(layout.root):
        if name == layout.answers_file:
            continue
        other = ProjectLayout(layout.root, name, layout.repository)
        paths.add(other.answers_file)
        listed = run_git(
            layout.root,
            *("ls-tree", "-r", "-z", "--full-tree", "--name-only", other.pristine_ref),
            check=False,
        )
        paths.update(filter(None, listed.split("\0")))
    return paths
