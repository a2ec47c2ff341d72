"""Update branches: commit an update in a cache clone and push it to `scaffold/update-<version>`.

Pushes only that branch, never the default one, with a lease so nobody
else's push is overwritten; a branch that already holds exactly this update
(same tree) is left alone, which makes re-runs no-ops. Conflicts are
committed with their markers and named in the commit message.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from scaffold.errors import GitError
from scaffold.fleet.cache import UPDATE_BRANCH_PREFIX
from scaffold.fleet.safety import UnsafeValueError, require_plain_value
from scaffold.git.remotes import fetch, git_in, push
from scaffold.git.repository import run_git


def update_branch_name(version: str) -> str:
    """`scaffold/update-<version>`, refused when the version cannot name a git branch safely."""
    require_plain_value(version, "template version")
    name = f"{UPDATE_BRANCH_PREFIX}{version}"
    try:
        git_in(Path.cwd(), "check-ref-format", "--branch", name)
    except GitError as error:
        raise UnsafeValueError(
            f"template version {version!r} cannot name a git branch", "tag the template plainly"
        ) from error
    return name


def commit_update(clone: Path, subject: str, conflicts: Sequence[str]) -> str:
    """Commit everything the update wrote (conflict markers included); return the commit id."""
    run_git(clone, "add", "--all")
    body = ""
    if conflicts:
        listed = "\n".join(f"  {path}" for path in conflicts)
        body = f"\n\nConflicts, committed with markers; resolve them before merging:\n{listed}\n"
    run_git(clone, "commit", "--quiet", "--no-verify", "--message", subject + body)
    return run_git(clone, "rev-parse", "HEAD").strip()


def publish_branch(clone: Path, branch: str, commit: str, remote_commit: str | None) -> bool:
    """Push `commit` to `branch` unless the branch already holds the same files; True if pushed."""
    if remote_commit is not None:
        tracking = f"refs/remotes/origin/{branch}"
        fetch(clone, f"+refs/heads/{branch}:{tracking}", depth=1)
        same_tree = git_in(clone, "rev-parse", f"{commit}^{{tree}}", f"{tracking}^{{tree}}")
        first, second = same_tree.split()
        if first == second:
            return False
    push(clone, commit, f"refs/heads/{branch}", expected=remote_commit)
    return True
