"""git commands that talk to a remote: ls-remote, fetch into a cache, push a branch.

Every value that names a remote, branch or ref goes after `--` or into a
refspec, never where git could read it as an option. Git runs with a fixed
environment (no prompts, only plain transports). This module knows nothing
about templates.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from scaffold.errors import GitError

ALLOWED_PROTOCOLS = "file:git:http:https:ssh"
REMOTE_TIMEOUT_S = 300


@dataclass(frozen=True)
class RemoteRefs:
    """What `git ls-remote --symref` says about a remote: its default branch and its refs."""

    default_branch: str | None
    refs: dict[str, str]  # ref name -> commit id


def git_environment() -> dict[str, str]:
    """The environment for git talking to remotes: no prompts, no `ext::` and other transports."""
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("GIT_CONFIG_")
    }
    environment.update(
        GIT_TERMINAL_PROMPT="0",
        GIT_ALLOW_PROTOCOL=ALLOWED_PROTOCOLS,
        GIT_ASKPASS=environment.get("GIT_ASKPASS", "true"),
        GCM_INTERACTIVE="never",
    )
    environment.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    return environment


def git_in(folder: Path, *args: str, timeout: float = REMOTE_TIMEOUT_S) -> str:
    """Run `git args` in `folder` with `git_environment()`; a GitError names what failed."""
    git = shutil.which("git")
    if git is None:
        raise GitError("git is not installed", "install git")
    try:
        completed = subprocess.run(
            [git, "-c", "core.hooksPath=/dev/null", *args],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
            env=git_environment(),
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as error:
        raise GitError(f"git {args[0]} took over {timeout:.0f} s", "check the remote") from error
    if completed.returncode != 0:
        detail = (completed.stderr or completed.stdout).strip().splitlines()
        raise GitError(
            f"git {args[0]} failed: {detail[-1] if detail else completed.returncode}",
            "check the remote's URL and your access to it",
        )
    return completed.stdout


def list_remote(folder: Path, remote: str, *patterns: str) -> RemoteRefs:
    """The default branch and the refs matching `patterns` of `remote` (URL, path or name)."""
    output = git_in(folder, "ls-remote", "--symref", "--", remote, "HEAD", *patterns)
    default_branch = None
    refs: dict[str, str] = {}
    for line in output.splitlines():
        if line.startswith("ref: ") and line.endswith("\tHEAD"):
            default_branch = line[len("ref: ") :].split("\t")[0].removeprefix("refs/heads/")
        elif "\t" in line:
            commit, name = line.split("\t", 1)
            refs[name] = commit
    return RemoteRefs(default_branch, refs)


def clone_shallow(folder: Path, remote: str, branch: str) -> None:
    """Clone `branch` of `remote` into `folder`: depth 1, no checkout, symlinks as plain files."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    git_in(
        folder.parent,
        "clone", "--quiet", "--no-tags", "--depth=1", "--no-checkout", f"--branch={branch}",
        "--config=core.symlinks=false", "--config=advice.detachedHead=false",
        "--", remote, str(folder),
    )  # fmt: skip


def remote_url(folder: Path) -> str:
    """The URL `origin` points at in the clone at `folder` ("" when unset)."""
    try:
        return git_in(folder, "config", "--get", "remote.origin.url").strip()
    except GitError:
        return ""


def fetch(folder: Path, *refspecs: str, depth: int | None = None) -> None:
    """Fetch `refspecs` from `origin` (shallow to `depth` when given), pruning nothing else."""
    options = ["--quiet", "--no-tags", "--force"]
    if depth is not None:
        options.append(f"--depth={depth}")
    git_in(folder, "fetch", *options, "origin", "--", *refspecs)


def push(folder: Path, local_ref: str, remote_ref: str, *, expected: str | None) -> None:
    """Push `local_ref` to `remote_ref` on `origin`, only if the remote still has `expected`.

    `expected` None means the remote ref must not exist yet (no one else's work is overwritten).
    """
    lease = f"--force-with-lease={remote_ref}:{expected or ''}"
    git_in(
        folder, "push", "--quiet", "--no-verify", lease, "origin", "--", f"{local_ref}:{remote_ref}"
    )
