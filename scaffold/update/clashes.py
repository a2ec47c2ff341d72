"""Make per-path merge outcomes a writable tree: a template entry that cannot be placed goes beside.

A file where a folder of yours must stay, a file below your symlink or file, a file over your
git-ignored files: yours wins, the template's is written as `NAME.new-from-template` and the path
is a conflict. Names beside never replace anything on disk. It reads the disk; it writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from scaffold.errors import ScaffoldError
from scaffold.render.project_writer import PathState
from scaffold.update.file_trees import FileTree
from scaffold.update.merging import BINARY_THEIRS_SUFFIX, FileMerge, Outcome

MAX_NUMBERED_NAMES = 100


def settle_clashes(
    files: list[FileMerge],
    ours: FileTree,
    disk_state: Callable[[str], PathState],
    files_under: Callable[[str], list[str]],
) -> list[FileMerge]:
    """`files` with every entry that cannot be placed moved beside, and leftovers on free names.

    `ours` is what the project holds now (tracked files and the ignored ones the
    merge looked at); `disk_state(path)` and `files_under(folder)` read the project.
    """
    final = {entry.path: entry.entry for entry in files if entry.entry is not None}
    removed = {path for path in ours if final.get(path) is None}
    folders_needed = {prefix for path in final for prefix in _prefixes(path)}
    settled: list[FileMerge] = []
    for merge in files:
        if merge.entry is None or merge.entry == ours.get(merge.path):
            settled.append(merge)
            continue
        blocker = _blocker(
            merge.path, final, ours, removed, folders_needed, disk_state, files_under
        )
        if blocker is None:
            settled.append(merge)
            continue
        final.pop(merge.path, None)
        kept = ours.get(merge.path)
        if kept is not None:
            final[merge.path] = kept
        settled.append(
            replace(
                merge,
                outcome=Outcome.CONFLICTED,
                entry=kept,
                reason=f"{_shown(blocker, merge.path)} is in the way; the template's version "
                "is written beside it",
                leftover_path=f"{blocker}{BINARY_THEIRS_SUFFIX}{merge.path[len(blocker) :]}",
                leftover=merge.entry,
                stages=None,
            )
        )
    taken = set(final) | {prefix for path in final for prefix in _prefixes(path)}
    placed: list[FileMerge] = []
    for merge in settled:
        if merge.leftover_path is None:
            placed.append(merge)
            continue
        free = _free_name(merge.leftover_path, taken, disk_state)
        taken.add(free)
        taken.update(_prefixes(free))
        placed.append(merge if free == merge.leftover_path else replace(merge, leftover_path=free))
    return placed


def _blocker(
    path: str,
    final: dict[str, object],
    ours: FileTree,
    removed: set[str],
    folders_needed: set[str],
    disk_state: Callable[[str], PathState],
    files_under: Callable[[str], list[str]],
) -> str | None:
    """The path (`path` itself or a parent) that keeps `path` from being written, or None."""
    for prefix in _prefixes(path):
        if prefix in final:  # a file or symlink of the result where a folder is needed
            return prefix
    if path in folders_needed:  # the result keeps files under `path`
        return path
    if path in ours:  # replacing a file or symlink the merge knows about
        return None
    state = disk_state(path)
    if state.kind in ("file", "symlink"):
        return path
    if state.kind == "folder":
        leftovers = [name for name in files_under(path) if name not in removed]
        return path if leftovers else None
    if state.kind == "blocked":
        return None if state.blocked_by in removed else state.blocked_by
    return None


def _free_name(wanted: str, taken: set[str], disk_state: Callable[[str], PathState]) -> str:
    """`wanted`, or the first numbered variant of it that neither the result nor the disk uses."""
    head, marker, tail = wanted.rpartition(BINARY_THEIRS_SUFFIX)
    if not marker:
        head, tail, marker = wanted, "", ""
    for number in range(1, MAX_NUMBERED_NAMES + 1):
        candidate = wanted if number == 1 else f"{head}{marker}.{number}{tail}"
        if candidate in taken or any(prefix in taken for prefix in _prefixes(candidate)):
            continue
        if disk_state(candidate).kind == "missing":
            return candidate
    raise ScaffoldError(
        f"no free name to write the template's version of {wanted} beside yours",
        f"remove the old {BINARY_THEIRS_SUFFIX} files and run again",
    )


def _prefixes(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:depth]) for depth in range(1, len(parts))]


def _shown(blocker: str, path: str) -> str:
    return "the folder" if blocker == path else f"{blocker} (not a folder)"
