"""The pristine renders of a project's template, kept in the project's own git history.

Every `scaffold new`, `update` and `link` stores the untouched template render
as a commit on the template's pristine ref (`refs/scaffold/pristine`, or one
keyed by subfolder and answers file: `ProjectLayout.pristine_ref`), each one
the parent of the next. An update finds its merge base there: the pristine
commit whose answers file is byte-identical to the project's current one. So
the base survives a deleted template tag, a moved template and an upgraded
scaffold. This module reads and writes those refs; it neither renders nor merges.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from scaffold.git.repository import PRISTINE_REF, run_git
from scaffold.git.trees import read_commit_entries
from scaffold.project.answers import ANSWERS_FILE
from scaffold.scratch import scratch_folder
from scaffold.update.file_trees import FileTree


def pristine_commits(project: Path, ref: str = PRISTINE_REF) -> list[str]:
    """The pristine commits on `ref`, newest first (empty when there are none)."""
    if not run_git(project, "rev-parse", "--verify", "--quiet", ref, check=False).strip():
        return []
    return run_git(project, "rev-list", "--first-parent", ref).split()


def find_pristine_for_answers(
    project: Path, answers_text: bytes, ref: str = PRISTINE_REF, answers_file: str = ANSWERS_FILE
) -> str | None:
    """The newest pristine commit on `ref` rendered with exactly these answers (None if none)."""
    for commit in pristine_commits(project, ref):
        recorded = subprocess.run(
            ["git", "show", f"{commit}:{answers_file}"],
            cwd=project,
            capture_output=True,
            check=False,
        )
        if recorded.returncode == 0 and recorded.stdout == answers_text:
            return commit
    return None


def read_commit_tree(
    project: Path, commit: str, *, environment: Mapping[str, str] | None = None
) -> FileTree:
    """Every file, executable and symlink of `commit`, read with git plumbing (no `git archive`)."""
    return read_commit_entries(project, commit, environment=environment)


def store_pristine_commit(
    project: Path,
    rendered_folder: Path,
    message: str,
    ref: str = PRISTINE_REF,
    *,
    environment: Mapping[str, str] | None = None,
) -> str:
    """Commit `rendered_folder` as a pristine render on `ref` (objects only; `ref` is not moved).

    A temporary index keeps the user's index and work tree untouched. Every
    rendered file is stored, also those a `.gitignore` names: the render is the
    template's output, not what the user chose to track. The new commit's
    parent is the current pristine tip, so older renders stay reachable.
    `environment` (from `quarantined_objects`) keeps the objects out of the project.
    """
    git_dir = run_git(project, "rev-parse", "--absolute-git-dir").strip()
    with scratch_folder("scaffold-index-") as scratch:
        index_environment = {
            **(environment or os.environ),
            "GIT_INDEX_FILE": str(scratch / "index"),
            "GIT_DIR": git_dir,
            "GIT_WORK_TREE": str(rendered_folder),
        }
        run_git(rendered_folder, "add", "--all", "--force", ".", env=index_environment)
        tree = run_git(rendered_folder, "write-tree", env=index_environment).strip()
    parents = pristine_commits(project, ref)[:1]
    parent_options = [option for parent in parents for option in ("-p", parent)]
    return run_git(
        project, "commit-tree", tree, *parent_options, "-m", message, env=environment
    ).strip()


def move_pristine_ref(project: Path, commit: str, ref: str = PRISTINE_REF) -> None:
    """Point `ref` (default `refs/scaffold/pristine`) at `commit`."""
    run_git(project, "update-ref", ref, commit)
