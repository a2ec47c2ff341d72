"""Three-way merge of file trees: (old pristine render) → (user's project) ← (new pristine render).

For each path the outcome is decided from which sides changed, comparing
content, executable bit and kind (file or symlink) together; text files changed
on both sides are merged line by line with `git merge-file`. This module
computes outcomes only: it never touches the user's project.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from scaffold.git.trees import FILE_MODE, Entry, regular_file
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
    """The merge outcome of one path; `entry` None means the path is absent afterwards."""

    path: str
    outcome: Outcome
    entry: Entry | None
    reason: str = ""
    # An entry written beside a conflicted one: with --conflict rej the template's change as
    # `FILE.rej`; otherwise (binary, symlink, untracked file in the way) the template's version
    # as `FILE.new-from-template`.
    leftover_path: str | None = None
    leftover: Entry | None = None
    # (base, yours, template's) to record as unmerged stages 1/2/3 in the git index.
    stages: tuple[Entry | None, Entry | None, Entry | None] | None = None

    @property
    def content(self) -> bytes | None:
        """The content afterwards (a symlink's target), None when the path is absent."""
        return None if self.entry is None else self.entry.content


def merge_trees(
    base: FileTree,
    ours: FileTree,
    theirs: FileTree,
    *,
    required: Iterable[str] = (),
    conflict_style: str = "inline",
    keep_existing: Callable[[str], bool] = lambda path: False,
    untracked: Iterable[str] = (),
) -> list[FileMerge]:
    """Merge every path of the three trees; sorted by path.

    `keep_existing(path)` is true for copier's `_skip_if_exists` paths: a file the
    project has is never changed. `untracked` names paths of `ours` that git does
    not track (ignored files): a clash there keeps the user's file untouched.
    """
    required_paths, untracked_paths = set(required), set(untracked)
    return [
        merge_file(
            path,
            base.get(path),
            ours.get(path),
            theirs.get(path),
            required=path in required_paths,
            conflict_style=conflict_style,
            keep_existing=keep_existing(path),
            untracked=path in untracked_paths,
        )
        for path in sorted(set(base) | set(ours) | set(theirs))
    ]


def merge_file(
    path: str,
    base: Entry | None,
    ours: Entry | None,
    theirs: Entry | None,
    *,
    required: bool = False,
    conflict_style: str = "inline",
    keep_existing: bool = False,
    untracked: bool = False,
) -> FileMerge:
    """Decide the outcome for one path from its three versions (None = absent)."""
    if ours == theirs:
        outcome = Outcome.UNCHANGED if base == ours else Outcome.KEPT
        return FileMerge(path, outcome, ours, "" if base == ours else "same change as template")
    if keep_existing and ours is not None and theirs is not None:
        return FileMerge(path, Outcome.KEPT, ours, "listed in _skip_if_exists; yours kept")
    if base == ours:  # the user did not touch it: the template's version wins
        if theirs is None:
            return FileMerge(path, Outcome.REMOVED, None, "removed from the template")
        if base is None:
            return FileMerge(path, Outcome.ADDED, theirs, "new in the template")
        return FileMerge(path, Outcome.UPDATED, theirs, _template_change(base, theirs))
    if base == theirs:  # only the user changed it
        return FileMerge(path, Outcome.KEPT, ours, "your change; template unchanged")
    if ours is None:
        if (required or keep_existing) and theirs is not None:
            why = "required by the template" if required else "listed in _skip_if_exists"
            return FileMerge(path, Outcome.ADDED, theirs, f"{why}; restored")
        return FileMerge(path, Outcome.KEPT, None, "you deleted it; stays deleted")
    if theirs is None:
        return FileMerge(path, Outcome.KEPT, ours, "removed from the template but you changed it")
    if untracked:
        return _kept_beside(
            path, ours, theirs, "your untracked (git-ignored) file is in the way", stages=False
        )
    if ours.is_symlink or theirs.is_symlink or (base is not None and base.is_symlink):
        return _kept_beside(
            path,
            ours,
            theirs,
            f"you and the template both changed it (yours: {ours.kind}, template: {theirs.kind})",
            stages=conflict_style == "inline",
            base=base,
        )
    return _merge_files(path, base, ours, theirs, conflict_style)


def _template_change(base: Entry, theirs: Entry) -> str:
    if base.kind != theirs.kind and base.content == theirs.content:
        return f"{theirs.kind} in the template (was {base.kind})"
    if base.kind != theirs.kind:
        return f"changed in the template, now a {theirs.kind}"
    return "changed in the template"


def _kept_beside(
    path: str,
    ours: Entry,
    theirs: Entry,
    why: str,
    *,
    stages: bool,
    base: Entry | None = None,
) -> FileMerge:
    return FileMerge(
        path,
        Outcome.CONFLICTED,
        ours,
        f"{why}; yours kept, the template's beside it",
        leftover_path=f"{path}{BINARY_THEIRS_SUFFIX}",
        leftover=theirs,
        stages=(base, ours, theirs) if stages else None,
    )


def _merge_files(
    path: str, base: Entry | None, ours: Entry, theirs: Entry, conflict_style: str
) -> FileMerge:
    """Both sides changed a regular file: merge the executable bit and the content apart."""
    base_mode = FILE_MODE if base is None else base.mode
    mode = theirs.mode if ours.mode == base_mode else ours.mode
    base_content = b"" if base is None else base.content
    if ours.content == theirs.content or base_content == theirs.content:
        return FileMerge(path, Outcome.MERGED, Entry(mode, ours.content), _MODE_MERGED)
    if base_content == ours.content:
        return FileMerge(path, Outcome.MERGED, Entry(mode, theirs.content), _MODE_MERGED)
    stages = (base, ours, theirs) if conflict_style == "inline" else None
    if not (is_text(base_content) and is_text(ours.content) and is_text(theirs.content)):
        return FileMerge(
            path,
            Outcome.CONFLICTED,
            ours,
            "binary file changed by you and the template; yours kept",
            leftover_path=f"{path}{BINARY_THEIRS_SUFFIX}",
            leftover=theirs,
            stages=stages,
        )
    merged, conflicts = _git_merge_file(base_content, ours.content, theirs.content)
    if conflicts == 0:
        return FileMerge(
            path, Outcome.MERGED, Entry(mode, merged), "your change and the template's merged"
        )
    reason = f"{conflicts} conflicting change(s)"
    if conflict_style == "rej":
        hunks = unified_diff({path: Entry(mode, base_content)}, {path: theirs}).encode()
        return FileMerge(
            path, Outcome.CONFLICTED, ours, reason, f"{path}{REJECT_SUFFIX}", regular_file(hunks)
        )
    return FileMerge(path, Outcome.CONFLICTED, Entry(mode, merged), reason, stages=stages)


_MODE_MERGED = "your change and the template's merged (content and executable bit)"


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
