"""Thin wrappers over the git command line, and the names of scaffold's pristine refs.

scaffold keeps each template's pristine render on a dedicated ref
(`refs/scaffold/pristine` for a project at the top of its repository with the
default answers file) so that updates always have a merge base. This module
runs git; it knows nothing about templates or answers.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

from scaffold.errors import GitError

PRISTINE_REF = "refs/scaffold/pristine"
# Refs of a project in a subfolder or of a layered template: one per (subfolder, answers file).
# A separate namespace, because git cannot hold both `refs/scaffold/pristine` and refs below it.
KEYED_PRISTINE_NAMESPACE = "refs/scaffold/pristine-of"
REF_SAFE_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
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


def init_repository(project: Path, message: str, ref: str = PRISTINE_REF) -> str:
    """`git init` the project, commit everything, mark it pristine on `ref`; return the commit."""
    run_git(project, "init", "--quiet", "--initial-branch=main")
    run_git(project, "add", "--all")
    run_git(project, "commit", "--quiet", "--no-verify", "--message", message)
    commit = run_git(project, "rev-parse", "HEAD").strip()
    run_git(project, "update-ref", ref, commit)
    return commit


def pristine_ref(prefix: str = "", answers_file: str | None = None) -> str:
    """The ref holding the pristine renders of one template of one project.

    `prefix` is the project's folder inside the repository ("" at the top);
    `answers_file` its answers record, None for the default one. The default
    pair keeps `refs/scaffold/pristine`, so projects made before stay valid;
    any other pair gets `refs/scaffold/pristine-of/<prefix>/<answers file>`,
    each part percent-encoded into one ref component (so two projects or two
    templates never share a ref, and every name is a valid ref).
    """
    if not prefix and answers_file is None:
        return PRISTINE_REF
    folder = _ref_component(prefix) if prefix else "%2E"  # "." never names a real subfolder
    record = _ref_component(answers_file) if answers_file is not None else "%2Edefault"
    return f"{KEYED_PRISTINE_NAMESPACE}/{folder}/{record}"


def _ref_component(text: str) -> str:
    return "".join(
        character
        if character in REF_SAFE_CHARACTERS
        else "".join(f"%{byte:02X}" for byte in character.encode("utf-8"))
        for character in text
    )


def repository_root(path: Path) -> Path | None:
    """The top of the git work tree holding the folder `path`, or None (also without git)."""
    if shutil.which("git") is None or not path.is_dir():
        return None
    completed = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"],
        cwd=path,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0 or not completed.stdout.strip():
        return None
    return Path(completed.stdout.strip()).resolve()


def is_repository(project: Path) -> bool:
    """Whether `project` is the top of a git work tree."""
    return repository_root(project) == project.resolve()


def is_dirty(project: Path) -> bool:
    """Whether `project` (the whole folder, which may be part of a larger repository) has
    uncommitted or untracked changes; changes elsewhere in the repository do not count."""
    return bool(run_git(project, "status", "--porcelain", "--", ".").strip())


def is_ignored(repository_folder: Path, path: Path) -> bool:
    """Whether git ignores `path` (which need not exist yet) in the repository of the folder."""
    relative = os.path.relpath(path.resolve(), repository_folder.resolve())
    completed = subprocess.run(
        ["git", "check-ignore", "--quiet", "--", relative + "/"],
        cwd=repository_folder,
        capture_output=True,
        check=False,
    )
    return completed.returncode == 0


def commit_folder(folder: Path, message: str) -> str:
    """Add and commit `folder` alone (other staged changes stay staged); return the commit id.

    For a new project inside an existing repository: no nested `git init`.
    """
    run_git(folder, "add", "--all", "--", ".")
    run_git(folder, "commit", "--quiet", "--no-verify", "--message", message, "--only", "--", ".")
    return run_git(folder, "rev-parse", "HEAD").strip()
