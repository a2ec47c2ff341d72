"""Thin wrappers over the git command line.

scaffold keeps each project's pristine template render on a dedicated ref
(`refs/scaffold/pristine`) so that updates always have a merge base. This
module runs git; it knows nothing about templates or answers.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

from scaffold.errors import GitError

PRISTINE_REF = "refs/scaffold/pristine"
FALLBACK_IDENTITY = ("-c", "user.name=scaffold", "-c", "user.email=scaffold@localhost")
COMMITTING_COMMANDS = frozenset({"commit", "commit-tree"})


def require_git() -> str:
    """The path of the git executable, or a GitError naming the fix."""
    git = shutil.which("git")
    if git is None:
        raise GitError("git is not installed", "install git, or pass --no-git")
    return git


def run_git(
    project: Path,
    *args: str,
    check: bool = True,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
) -> str:
    """Run `git args` in `project` (with `env` as its whole environment) and return its stdout.

    Only the commands that write commits get an identity (the user's when set,
    else a neutral one), so other calls cost one process, not two.
    """
    git = require_git()
    identity = _identity_options(project) if args and args[0] in COMMITTING_COMMANDS else ()
    completed = subprocess.run(
        [git, *identity, *args],
        cwd=project,
        input=stdin,
        capture_output=True,
        text=True,
        env=None if env is None else dict(env),
        check=False,
    )
    if check and completed.returncode != 0:
        detail = (completed.stderr or completed.stdout).strip().splitlines()
        raise GitError(
            f"git {args[0]} failed in {project}: {detail[-1] if detail else completed.returncode}",
            "check the repository with `git status`",
        )
    return completed.stdout


def _identity_options(project: Path) -> tuple[str, ...]:
    """Use the user's identity when set, otherwise a neutral one so commits never fail."""
    completed = subprocess.run(
        ["git", "config", "user.email"], cwd=project, capture_output=True, text=True, check=False
    )
    return () if completed.stdout.strip() else FALLBACK_IDENTITY


def init_repository(project: Path, message: str) -> str:
    """`git init` the project, commit everything, mark it pristine; return the commit id."""
    run_git(project, "init", "--quiet", "--initial-branch=main")
    run_git(project, "add", "--all")
    run_git(project, "commit", "--quiet", "--no-verify", "--message", message)
    commit = run_git(project, "rev-parse", "HEAD").strip()
    run_git(project, "update-ref", PRISTINE_REF, commit)
    return commit


def is_repository(project: Path) -> bool:
    """Whether `project` is the top of a git work tree."""
    if shutil.which("git") is None:
        return False
    completed = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    return completed.returncode == 0 and Path(completed.stdout.strip()) == project.resolve()


def is_dirty(project: Path) -> bool:
    """Whether the work tree has uncommitted or untracked changes."""
    return bool(run_git(project, "status", "--porcelain").strip())
