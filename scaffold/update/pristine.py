"""The pristine renders of a project's template, kept in the project's own git history.

Every `scaffold new`, `update` and `link` stores the untouched template render
as a commit on `refs/scaffold/pristine` (each one the parent of the next). An
update finds its merge base there: the pristine commit whose answers file is
byte-identical to the project's current one. So the base survives a deleted
template tag, a moved template and an upgraded scaffold. This module reads
and writes that ref; it neither renders nor merges.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
from pathlib import Path

from scaffold.git.repository import PRISTINE_REF, run_git
from scaffold.project.answers import ANSWERS_FILE
from scaffold.scratch import scratch_folder
from scaffold.update.file_trees import FileTree


def pristine_commits(project: Path) -> list[str]:
    """The pristine commits of `project`, newest first (empty when there are none)."""
    if not run_git(project, "rev-parse", "--verify", "--quiet", PRISTINE_REF, check=False).strip():
        return []
    return run_git(project, "rev-list", "--first-parent", PRISTINE_REF).split()


def find_pristine_for_answers(project: Path, answers_text: bytes) -> str | None:
    """The newest pristine commit rendered with exactly these answers (None if none)."""
    for commit in pristine_commits(project):
        recorded = subprocess.run(
            ["git", "show", f"{commit}:{ANSWERS_FILE}"],
            cwd=project,
            capture_output=True,
            check=False,
        )
        if recorded.returncode == 0 and recorded.stdout == answers_text:
            return commit
    return None


def read_commit_tree(project: Path, commit: str) -> FileTree:
    """Every regular file of `commit` as path -> bytes."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit], cwd=project, capture_output=True, check=True
    ).stdout
    tree: FileTree = {}
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar.getmembers():
            if member.isfile():
                extracted = tar.extractfile(member)
                if extracted is not None:
                    tree[member.name] = extracted.read()
    return tree


def store_pristine_commit(project: Path, rendered_folder: Path, message: str) -> str:
    """Commit `rendered_folder` as a pristine render (objects only; the ref is not moved).

    A temporary index keeps the user's index and work tree untouched. The new
    commit's parent is the current pristine tip, so older renders stay reachable.
    """
    with scratch_folder("scaffold-index-") as scratch:
        environment = {**os.environ, "GIT_INDEX_FILE": str(Path(scratch) / "index")}
        git_dir = run_git(project, "rev-parse", "--absolute-git-dir").strip()
        base_command = ["git", f"--git-dir={git_dir}", f"--work-tree={rendered_folder}"]
        subprocess.run(
            [*base_command, "add", "--all", "."],
            cwd=rendered_folder,
            env=environment,
            capture_output=True,
            check=True,
        )
        tree = subprocess.run(
            [*base_command, "write-tree"],
            cwd=rendered_folder,
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    parents = pristine_commits(project)[:1]
    parent_options = [option for parent in parents for option in ("-p", parent)]
    return run_git(project, "commit-tree", tree, *parent_options, "-m", message).strip()


def move_pristine_ref(project: Path, commit: str) -> None:
    """Point `refs/scaffold/pristine` at `commit`."""
    run_git(project, "update-ref", PRISTINE_REF, commit)
