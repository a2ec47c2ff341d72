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

import io
import os
import subprocess
import tarfile
import tempfile
from pathlib import Path

from scaffold.git.repository import PRISTINE_REF, run_git
from scaffold.project.answers import ANSWERS_FILE
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


def read_commit_tree(project: Path, commit: str) -> FileTree:
    """Every regular file of `commit` as path -> bytes."""
    # Run from the git folder: from a subfolder of the work tree (a project in a monorepo),
    # git would archive only that subfolder of the commit.
    git_dir = run_git(project, "rev-parse", "--absolute-git-dir").strip()
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit], cwd=git_dir, capture_output=True, check=True
    ).stdout
    tree: FileTree = {}
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar.getmembers():
            if member.isfile():
                extracted = tar.extractfile(member)
                if extracted is not None:
                    tree[member.name] = extracted.read()
    return tree


def store_pristine_commit(
    project: Path, rendered_folder: Path, message: str, ref: str = PRISTINE_REF
) -> str:
    """Commit `rendered_folder` as a pristine render on `ref` (objects only; `ref` is not moved).

    A temporary index keeps the user's index and work tree untouched. The new
    commit's parent is the current pristine tip, so older renders stay reachable.
    """
    with tempfile.TemporaryDirectory(prefix="scaffold-index-") as scratch:
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
    parents = pristine_commits(project, ref)[:1]
    parent_options = [option for parent in parents for option in ("-p", parent)]
    return run_git(project, "commit-tree", tree, *parent_options, "-m", message).strip()


def move_pristine_ref(project: Path, commit: str, ref: str = PRISTINE_REF) -> None:
    """Point `ref` (default `refs/scaffold/pristine`) at `commit`."""
    run_git(project, "update-ref", ref, commit)
