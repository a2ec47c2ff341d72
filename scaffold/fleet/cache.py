"""The clone cache: one private clone per fleet entry, fetched fresh on every run.

Clones are shallow (the default branch's tip; the pristine renders in full),
check symlinks out as plain files (`core.symlinks=false`), and are reset to
the remote's default branch before use, so a previous run leaves nothing
behind. Only the cache is written; the user's repositories are only read.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from scaffold.errors import GitError, ScaffoldError
from scaffold.fleet.listing import FleetEntry
from scaffold.fleet.safety import require_plain_value
from scaffold.git.remotes import (
    RemoteRefs,
    clone_shallow,
    fetch,
    git_in,
    list_remote,
    remote_url,
)
from scaffold.git.repository import PRISTINE_REF

CACHE_ENVIRONMENT_VARIABLE = "SCAFFOLD_FLEET_CACHE"
UPDATE_BRANCH_PREFIX = "scaffold/update-"


class UnreachableError(ScaffoldError):
    """A fleet repository cannot be listed or fetched."""


@dataclass(frozen=True)
class CachedClone:
    """A fetched clone of one entry, checked out (detached) at the remote's default branch."""

    entry: FleetEntry
    path: Path
    default_branch: str
    update_branches: dict[str, str]  # remote `scaffold/update-*` branch -> commit


def default_cache_folder() -> Path:
    """`$SCAFFOLD_FLEET_CACHE`, else the user cache folder's `scaffold/fleet`."""
    configured = os.environ.get(CACHE_ENVIRONMENT_VARIABLE, "").strip()
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "scaffold" / "fleet"


def fetch_clone(entry: FleetEntry, cache: Path) -> CachedClone:
    """Clone `entry` into `cache` (or fetch the existing clone) and check out its default branch."""
    cache.mkdir(parents=True, exist_ok=True)
    folder = cache / entry.key
    remote = _remote_of(entry)
    try:
        refs = list_remote(cache, remote, PRISTINE_REF, f"refs/heads/{UPDATE_BRANCH_PREFIX}*")
    except GitError as error:
        raise UnreachableError(
            f"cannot reach {entry.location}: {error.message}", error.hint
        ) from error
    branch = _default_branch(entry, refs)
    if folder.is_symlink() or (folder.exists() and remote_url(folder) != remote):
        _remove(folder)
    try:
        try:
            _refresh(folder, remote, branch, PRISTINE_REF in refs.refs)
        except GitError:
            if not (folder / ".git").is_dir():
                raise
            _remove(folder)  # a clone an interrupted run left broken: start it again
            _refresh(folder, remote, branch, PRISTINE_REF in refs.refs)
    except GitError as error:
        raise UnreachableError(
            f"cannot fetch {entry.location}: {error.message}", error.hint
        ) from error
    branches = {
        name.removeprefix("refs/heads/"): commit
        for name, commit in refs.refs.items()
        if name.startswith(f"refs/heads/{UPDATE_BRANCH_PREFIX}")
    }
    return CachedClone(entry, folder, branch, branches)


def _refresh(folder: Path, remote: str, branch: str, with_pristine: bool) -> None:
    """Clone or fetch `branch` (and the pristine renders), then check it out, clean."""
    tracking = f"refs/remotes/origin/{branch}"
    reused = (folder / ".git").is_dir()
    if reused:
        fetch(folder, f"+refs/heads/{branch}:{tracking}", depth=1)
    else:
        _remove(folder)
        clone_shallow(folder, remote, branch)
    if with_pristine:
        fetch(folder, f"+{PRISTINE_REF}:{PRISTINE_REF}")
    git_in(folder, "checkout", "--quiet", "--force", "--detach", tracking)
    if reused:  # leftovers of an earlier run (an update's untracked files)
        git_in(folder, "clean", "-ffdxq")


def _remote_of(entry: FleetEntry) -> str:
    """What git fetches: a local repository as a `file://` URL, so the clone can be shallow."""
    if entry.is_local:
        if not Path(entry.location).is_dir():
            raise UnreachableError(f"{entry.location} does not exist", "fix the fleet entry")
        return Path(entry.location).as_uri()
    return entry.location


def _default_branch(entry: FleetEntry, refs: RemoteRefs) -> str:
    if refs.default_branch is None:
        raise UnreachableError(
            f"{entry.location} has no default branch (an empty repository?)",
            "push a first commit, or drop it from the fleet",
        )
    return require_plain_value(refs.default_branch, "default branch")


def _remove(folder: Path) -> None:
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    elif folder.exists():
        shutil.rmtree(folder)
