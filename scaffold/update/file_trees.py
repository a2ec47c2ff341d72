"""File trees as plain mappings of relative POSIX path -> bytes.

Updates compare three trees (pristine old render, the user's project, pristine
new render); this module reads and writes such trees. It knows nothing about
templates or merging.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

FileTree = dict[str, bytes]


def read_folder(root: Path) -> FileTree:
    """Every regular file under `root`, outside `.git`."""
    tree: FileTree = {}
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if ".git" in relative.parts or path.is_symlink() or not path.is_file():
            continue
        tree[relative.as_posix()] = path.read_bytes()
    return tree


def read_tracked_files(project: Path, *, with_untracked: bool = False) -> FileTree:
    """The files git tracks in `project`, as they are in the work tree.

    With `with_untracked`, also the untracked files git does not ignore.
    """
    tree = _read_listed(project, "--cached")
    if with_untracked:
        tree.update(_read_listed(project, "--others", "--exclude-standard"))
    return tree


def _read_listed(project: Path, *selection: str) -> FileTree:
    listing = subprocess.run(
        ["git", "ls-files", "-z", *selection], cwd=project, capture_output=True, check=True
    ).stdout.decode()
    tree: FileTree = {}
    for relative in filter(None, listing.split("\0")):
        path = project / relative
        if path.is_file() and not path.is_symlink():
            tree[relative] = path.read_bytes()
    return tree


def write_folder(root: Path, tree: FileTree) -> None:
    """Write `tree` under `root` (which may already hold other files)."""
    for relative, content in tree.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def is_text(content: bytes) -> bool:
    """Whether `content` looks like text (no NUL byte in the first 8 KiB, decodes as UTF-8)."""
    if b"\0" in content[:8192]:
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
