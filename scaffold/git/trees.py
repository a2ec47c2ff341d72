"""Trees as git stores them: path -> Entry(mode, content) for files, executables and symlinks.

A commit's tree is read with plumbing (`git ls-tree -r -z` and one `git cat-file
--batch`), never with `git archive`, which would apply the template's
`export-subst` and `export-ignore` attributes. This module reads git; it does
not write into a project.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from scaffold.errors import GitError
from scaffold.git.repository import require_git

FILE_MODE = "100644"
EXECUTABLE_MODE = "100755"
SYMLINK_MODE = "120000"
ENTRY_MODES = (FILE_MODE, EXECUTABLE_MODE, SYMLINK_MODE)


@dataclass(frozen=True)
class Entry:
    """One path of a tree: its git mode and its content (a symlink's content is its target)."""

    mode: str
    content: bytes

    @property
    def is_symlink(self) -> bool:
        """Whether this entry is a symbolic link."""
        return self.mode == SYMLINK_MODE

    @property
    def is_executable(self) -> bool:
        """Whether this entry is a file with its executable bit set."""
        return self.mode == EXECUTABLE_MODE

    @property
    def kind(self) -> str:
        """`file`, `executable file` or `symlink`, as reports name it."""
        return {SYMLINK_MODE: "symlink", EXECUTABLE_MODE: "executable file"}.get(self.mode, "file")


def regular_file(content: bytes, *, executable: bool = False) -> Entry:
    """A regular file entry."""
    return Entry(EXECUTABLE_MODE if executable else FILE_MODE, content)


def symlink(target: str | bytes) -> Entry:
    """A symlink entry pointing at `target`."""
    return Entry(SYMLINK_MODE, target.encode() if isinstance(target, str) else target)


def read_commit_entries(
    project: Path, commit: str, *, environment: Mapping[str, str] | None = None
) -> dict[str, Entry]:
    """Every file, executable and symlink of `commit` (submodules are skipped).

    `environment` lets a caller read from a quarantined object store (see
    `scaffold.git.quarantine`).
    """
    git = require_git()
    listing = _run([git, "ls-tree", "-r", "-z", "--full-tree", commit], project, environment)
    modes: dict[str, str] = {}
    blob_ids: dict[str, str] = {}
    for record in filter(None, listing.split(b"\0")):
        header, _, raw_path = record.partition(b"\t")
        mode, object_type, object_id = header.decode().split()
        if object_type != "blob" or mode not in ENTRY_MODES:
            continue
        path = raw_path.decode("utf-8", errors="surrogateescape")
        modes[path], blob_ids[path] = mode, object_id
    contents = read_blobs(project, sorted(set(blob_ids.values())), environment=environment)
    return {path: Entry(modes[path], contents[blob_ids[path]]) for path in sorted(modes)}


def read_blobs(
    project: Path, blob_ids: list[str], *, environment: Mapping[str, str] | None = None
) -> dict[str, bytes]:
    """The contents of `blob_ids`, read through one `git cat-file --batch`."""
    if not blob_ids:
        return {}
    git = require_git()
    output = _run(
        [git, "cat-file", "--batch"], project, environment, stdin="\n".join(blob_ids) + "\n"
    )
    contents: dict[str, bytes] = {}
    offset = 0
    for blob_id in blob_ids:
        newline = output.index(b"\n", offset)
        header = output[offset:newline].split()
        if len(header) != 3:
            raise GitError(f"git cat-file cannot read object {blob_id}", "run `git fsck`")
        size = int(header[2])
        contents[blob_id] = output[newline + 1 : newline + 1 + size]
        offset = newline + 1 + size + 1
    return contents


def _run(
    command: list[str],
    project: Path,
    environment: Mapping[str, str] | None,
    stdin: str | None = None,
) -> bytes:
    completed = subprocess.run(
        command,
        cwd=project,
        input=None if stdin is None else stdin.encode(),
        capture_output=True,
        env=None if environment is None else dict(environment),
        check=False,
    )
    if completed.returncode != 0:
        detail = completed.stderr.decode(errors="replace").strip().splitlines()
        last_line = detail[-1] if detail else completed.returncode
        raise GitError(
            f"git {command[1]} failed in {project}: {last_line}",
            "check the repository with `git status`",
        )
    return completed.stdout
