"""The index side of an update: conflicts recorded as unmerged, and what `.gitignore` excludes.

A conflicted path gets stages 1 (base), 2 (yours) and 3 (the template's) as
`git merge` leaves them, so `git status` says "both modified" and `git commit -a`
refuses until the file is resolved with `git add`. This module runs git; it
neither merges nor writes work tree files.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from scaffold.errors import GitError
from scaffold.git.repository import run_git
from scaffold.git.trees import Entry

NO_OBJECT = "0" * 40
Stages = tuple[Entry | None, Entry | None, Entry | None]


def literal_paths_environment() -> dict[str, str]:
    """git's environment with every pathspec taken literally (a file name is never a pattern)."""
    return {**os.environ, "GIT_LITERAL_PATHSPECS": "1"}


def record_unmerged(project: Path, conflicts: Sequence[tuple[str, Stages | None]]) -> None:
    """Replace the index entries of `conflicts` by their stages 1/2/3 (a None stage is left out).

    Stage 2 is the index's current entry for the path (the user's committed version).
    """
    conflicts = [(path, stages) for path, stages in conflicts if stages is not None]
    if not conflicts:
        return
    environment = literal_paths_environment()
    listing = run_git(
        project, "ls-files", "-s", "-z", "--", *(path for path, _ in conflicts), env=environment
    )
    current: dict[str, str] = {}
    for record in filter(None, listing.split("\0")):
        header, _, path = record.partition("\t")
        mode, object_id, _stage = header.split()
        current[path] = f"{mode} {object_id}"
    stored = _store_blobs(
        project, [entry for _, stages in conflicts for entry in (stages[0], stages[2]) if entry]
    )
    # `--index-info` takes paths from the top of the work tree; a project in a subfolder of
    # a repository (a monorepo) names them from its own folder, as `ls-files` above does.
    prefix = run_git(project, "rev-parse", "--show-prefix").strip()
    lines = []
    for path, (base, _ours, theirs) in conflicts:
        full_path = prefix + path
        lines.append(f"0 {NO_OBJECT}\t{full_path}")
        if base is not None:
            lines.append(f"{base.mode} {stored[base.content]} 1\t{full_path}")
        if path in current:
            lines.append(f"{current[path]} 2\t{full_path}")
        if theirs is not None:
            lines.append(f"{theirs.mode} {stored[theirs.content]} 3\t{full_path}")
    run_git(project, "update-index", "-z", "--index-info", stdin="\0".join(lines) + "\0")


def ignored_paths(project: Path, work_tree: Path, paths: Sequence[str]) -> list[str]:
    """Which of `paths` git ignores in `work_tree` (its `.gitignore` files, the project's excludes).

    `work_tree` is a scratch copy of the project after the update, so the new
    `.gitignore` counts before anything is written.
    """
    if not paths:
        return []
    git_dir = run_git(project, "rev-parse", "--absolute-git-dir").strip()
    environment = {**os.environ, "GIT_DIR": git_dir, "GIT_WORK_TREE": str(work_tree)}
    completed_output = run_git(
        work_tree,
        "check-ignore",
        "--no-index",
        "-z",
        "--stdin",
        check=False,
        env=environment,
        stdin="\0".join(paths) + "\0",
    )
    return [path for path in completed_output.split("\0") if path]


def _store_blobs(project: Path, entries: Sequence[Entry]) -> dict[bytes, str]:
    """Write each distinct content as a blob (unfiltered, as the tree holds it); content -> id."""
    contents = list(dict.fromkeys(entry.content for entry in entries))
    if not contents:
        return {}
    with tempfile.TemporaryDirectory(prefix="scaffold-blobs-") as scratch:
        files = []
        for number, content in enumerate(contents):
            path = Path(scratch) / str(number)
            path.write_bytes(content)
            files.append(str(path))
        output = run_git(
            project, "hash-object", "-w", "--no-filters", "--stdin-paths", stdin="\n".join(files)
        )
    object_ids = output.split()
    if len(object_ids) != len(contents):
        raise GitError("git hash-object did not store every blob", "check the repository")
    return dict(zip(contents, object_ids, strict=True))
