"""`scaffold diff`: what the user changed relative to the pristine render of the recorded version.

This is exactly what an update will have to merge. Uncommitted and untracked
(not ignored) files count as the user's; the answers record does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scaffold.errors import ScaffoldError
from scaffold.git.repository import is_repository
from scaffold.project.answers import ANSWERS_FILE, locate_project, read_recorded_answers
from scaffold.project.foreign_records import RECORD_FILES
from scaffold.scratch import scratch_folder
from scaffold.update.baseline import merge_base
from scaffold.update.file_trees import read_tracked_files
from scaffold.update.text_diff import unified_diff


@dataclass(frozen=True)
class ProjectDiff:
    """The user's changes to the generated files of a project."""

    project: Path
    version: str | None
    diff: str
    changed_paths: list[str]
    generated_paths_changed: list[str]  # changed paths the template renders (edits, deletions)


def project_diff(project: Path, *, trust: bool = False) -> ProjectDiff:
    """Diff the pristine render of `project`'s recorded version against its work tree."""
    project = locate_project(project)
    recorded = read_recorded_answers(project)
    if not is_repository(project):
        raise ScaffoldError(
            f"{project} is not the top of a git repository",
            "scaffold diff needs the project's git history; run `git init` and commit first",
        )
    answers_text = (project / ANSWERS_FILE).read_bytes()
    with scratch_folder("scaffold-diff-") as scratch:
        base, _ = merge_base(project, answers_text, recorded, Path(scratch) / "base", trust)
    current = read_tracked_files(project, with_untracked=True)
    for record_file in RECORD_FILES:  # the template's record, not a change to its files
        base.pop(record_file, None)
        current.pop(record_file, None)
    changed = sorted(
        path for path in set(base) | set(current) if base.get(path) != current.get(path)
    )
    generated = [path for path in changed if path in base]
    return ProjectDiff(project, recorded.version, unified_diff(base, current), changed, generated)
