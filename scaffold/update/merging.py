"""Three-way merge of file trees: (old pristine render) → (user's project) ← (new pristine render).

For each path the outcome is decided from which sides changed; text files
changed on both sides are merged line by line with `git merge-file`. This
module computes outcomes only: it never touches the user's project.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from scaffold.scratch import scratch_folder
from scaffold.update.file_trees import FileTree, is_text
from scaffold.update.text_diff import unified_diff

REJECT_SUFFIX = ".rej"
BINARY_THEIRS_SUFFIX = ".new-from-template"
OURS_LABEL = "yours"
BASE_LABEL = "template (old)"
THEIRS_LABEL = "template (new)"


class Outcome(StrEnum):
    """What an update does to one path."""

    ADDED = "added"  # new template file, written
    UPDATED = "updated"  # template change to a file the user did not touch
    MERGED = "merged"  # both changed; merged cleanly
    CONFLICTED = "conflicted"  # both changed the same lines; markers or .rej written
    REMOVED = "removed"  # template removed a file the user did not touch
    KEPT = "kept"  # the user's version (edit, deletion or addition) stays as it is
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class FileMerge:
    """The merge outcome of one path; `content` None means the file is absent afterwards."""

    path: str
    outcome: Outcome
    content: bytes | None
    reason: str = ""
    # A file written beside a conflicted one: with --conflict rej the template's change as
    # `FILE.rej`; for a binary file the template's version as `FILE.new-from-template`.
    leftover_path: str | None = None
    leftover: bytes | None = None


def merge_trees(
    base: FileTree,
    ours: FileTree,
    theirs: FileTree,
    *,
    required: Iterable[str] = (),
    conflict_style: str = "inline",
) -> list[FileMerge]:
    """Merge every path of the three trees; sorted by path."""
    required_paths = set(required)
    return [
        merge_file(
            path,
            base.get(path),
            ours.get(path),
            theirs.get(path),
            required=path in required_paths,
            conflict_style=conflict_style,
        )
        for path in sorted(set(base) | set(ours) | set(theirs))
    ]


def merge_file(
    path: str,
    base: bytes | None,
    ours: bytes | None,
    theirs: bytes | None,
    *,
    required: bool = False,
    conflict_style: str = "inline",
) -> FileMerge:
    """Decide the outcome for one path from its three versions (None = absent)."""
    if ours == theirs:
        outcome = Outcome.UNCHANGED if base == ours else Outcome.KEPT
        return FileMerge(path, outcome, ours, "" if base == ours else "same change as template")
    if base == ours:  # the user did not touch it: the template's version wins
        if theirs is None:
            return FileMerge(path, Outcome.REMOVED, None, "removed from the template")
        if base is None:
            return FileMerge(path, Outcome.ADDED, theirs, "new in the template")
        return FileMerge(path, Outcome.UPDATED, theirs, "changed in the template")
    if base == theirs:  # only the user changed it
        return FileMerge(path, Outcome.KEPT, ours, "your change; template unchanged")
    if ours is None:
        if required and theirs is not None:
            return FileMerge(path, Outcome.ADDED, theirs, "required by the template; restored")
        return FileMerge(path, Outcome.KEPT, None, "you deleted it; stays deleted")
    if theirs is None:
        return FileMerge(path, Outcome.KEPT, ours, "removed from the template but you changed it")
    return _merge_contents(path, base or b"", ours, theirs, conflict_style)


def _merge_contents(
    path: str, base: bytes, ours: bytes, theirs: bytes, conflict_style: str
) -> FileMerge:
    if not (is_text(base) and is_text(ours) and is_text(theirs)):
        return FileMerge(
            path,
            Outcome.CONFLICTED,
            ours,
            "binary file changed by you and the template; yours kept",
            leftover_path=f"{path}{BINARY_THEIRS_SUFFIX}",
            leftover=theirs,
        )
    merged, conflicts = _git_merge_file(base, ours, theirs)
    if conflicts == 0:
        return FileMerge(path, Outcome.MERGED, merged, "your change and the template's merged")
    reason = f"{conflicts} conflicting change(s)"
    if conflict_style == "rej":
        hunks = unified_diff({path: base}, {path: theirs}).encode()
        return FileMerge(path, Outcome.CONFLICTED, ours, reason, f"{path}{REJECT_SUFFIX}", hunks)
    return FileMerge(path, Outcome.CONFLICTED, merged, reason)


def _git_merge_file(base: bytes, ours: bytes, theirs: bytes) -> tuple[bytes, int]:
    """Line merge with git; returns (content with markers, number of conflicts)."""
    with scratch_folder("scaffold-merge-") as scratch:
        folder = Path(scratch)
        files = []
        for name, content in (("ours", ours), ("base", base), ("theirs", theirs)):
            (folder / name).write_bytes(content)
            files.append(str(folder / name))
        completed = subprocess.run(
            [
                "git",
                "merge-file",
                "--stdout",
                "-L",
                OURS_LABEL,
                "-L",
                BASE_LABEL,
                "-L",
                THEIRS_LABEL,
                *files,
            ],
            capture_output=True,
            check=False,
        )
    if completed.returncode < 0 or completed.returncode > 127:
        raise RuntimeError(completed.stderr.decode(errors="replace"))
    return completed.stdout, completed.returncode


def has_conflict_markers(content: bytes) -> bool:
    """Whether `content` still holds merge markers written by an update."""
    return f"<<<<<<< {OURS_LABEL}".encode() in content
