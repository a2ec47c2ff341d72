"""Test helpers: build file trees and git repositories from plain dicts, run the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}


def build_file_tree(root: Path, spec: dict[str, str | bytes]) -> Path:
    """Write `spec` (relative path -> content) under `root` and return `root`."""
    for relative_path, content in spec.items():
        target = root / relative_path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return root


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` with a fixed identity and return stdout."""
    completed = subprocess.run(
        ["git", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **GIT_IDENTITY},
    )
    return completed.stdout


def commit_all(repo: Path, message: str, tag: str | None = None) -> None:
    """Stage everything in `repo`, commit it, and optionally tag the commit."""
    if not (repo / ".git").exists():
        git(repo, "init", "-q", "--initial-branch=main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", message)
    if tag:
        git(repo, "tag", tag)


def tree_contents(root: Path) -> dict[str, bytes]:
    """Every file under `root` (outside .git) as relative path -> bytes."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


def run_scaffold(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed `scaffold` CLI as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "scaffold", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **GIT_IDENTITY},
        check=False,
    )
