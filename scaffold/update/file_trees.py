"""File trees as mappings of relative POSIX path -> Entry (mode and content; a symlink's target).

Updates compare three trees (pristine old render, the user's project, pristine
new render); this module reads them from folders and git listings without
following symlinks. It knows nothing about templates or merging, and writes
only through `ProjectWriter`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from scaffold.git.repository import run_git
from scaffold.git.trees import Entry
from scaffold.render.project_writer import ProjectWriter, read_entry

FileTree = dict[str, Entry]


def read_folder(root: Path) -> FileTree:
    """Every file and symlink under `root`, outside `.git`; symlinks are not followed."""
    tree: FileTree = {}
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [name for name in subfolders if name != ".git"]
        linked = [name for name in subfolders if os.path.islink(os.path.join(folder, name))]
        for name in [*names, *linked]:
            relative = Path(folder, name).relative_to(root).as_posix()
            entry = read_entry(root, relative)
            if entry is not None:
                tree[relative] = entry
    return dict(sorted(tree.items()))


def read_tracked_files(project: Path, *, with_untracked: bool = False) -> FileTree:
    """The files and symlinks git tracks in `project`, as they are in the work tree.

    With `with_untracked`, also the untracked files git does not ignore.
    """
    tree = read_paths(project, _listed(project, "--cached"))
    if with_untracked:
        tree.update(read_paths(project, _listed(project, "--others", "--exclude-standard")))
    return tree


def read_paths(project: Path, paths: Iterable[str]) -> FileTree:
    """The entries at `paths` in `project` that exist as files or symlinks."""
    tree: FileTree = {}
    for relative in paths:
        entry = read_entry(project, relative)
        if entry is not None:
            tree[relative] = entry
    return tree


def _listed(project: Path, *selection: str) -> list[str]:
    listing = run_git(project, "ls-files", "-z", *selection)
    return sorted(set(filter(None, listing.split("\0"))))


def copy_tree_into_scratch(root: Path, tree: FileTree) -> None:
    """Write a user's `tree` into the scratch folder `root`, their symlinks as they are."""
    root.mkdir(parents=True, exist_ok=True)
    writer = ProjectWriter(root, journal=False)
    for relative, entry in tree.items():
        writer.write(relative, entry, check_target=False)


def is_text(content: bytes) -> bool:
    """Whether `content` looks like text (no NUL byte in the first 8 KiB, decodes as UTF-8)."""
    if b"\0" in content[:8192]:
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
