"""The one place that writes into a project: no symlink followed, never into `.git`, undoable.

Paths are walked from the project folder with `O_NOFOLLOW` and entries renamed into place, so no
symlink or hard link is written through; symlink targets are checked at write time. Every change
is journalled for `rollback`. It decides nothing about what to write: the update engine does.
"""

from __future__ import annotations

import contextlib
import errno
import os
import posixpath
import secrets
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scaffold.errors import ScaffoldError
from scaffold.git.trees import Entry, regular_file, symlink

GIT_FOLDER = ".git"
HINT = "scaffold never writes through a symlink, into .git or outside the project"
DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW


class UnsafeWriteError(ScaffoldError):
    """A write would follow a symlink, enter `.git` or leave the project."""


@dataclass(frozen=True)
class PathState:
    """What is on disk at a path, without following symlinks.

    `kind` is `missing`, `file`, `symlink`, `folder`, or `blocked` (a parent
    component is a file or a symlink; `blocked_by` names it).
    """

    kind: str
    blocked_by: str = ""


@dataclass(frozen=True)
class _Previous:
    """An entry as it was before the writer touched it (None: it did not exist)."""

    entry: Entry | None
    permissions: int = 0


def checked_parts(relative: str) -> list[str]:
    """The components of a project-relative POSIX path; refuses `..`, absolute paths and `.git`."""
    parts = relative.split("/")
    if relative.startswith("/") or not relative or any(part in ("", ".", "..") for part in parts):
        raise UnsafeWriteError(f"refusing to write outside the project: {relative}", HINT)
    if any(part.casefold() == GIT_FOLDER for part in parts):
        raise UnsafeWriteError(f"refusing to write into git's own folder: {relative}", HINT)
    return parts


def check_symlink_target(root: Path, relative: str, target: bytes) -> None:
    """Refuse a symlink at `relative` whose target leaves the project or enters `.git`."""
    shown = f"{relative} -> {target.decode(errors='replace')}"
    text = os.fsdecode(target)
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(relative), text))
    if posixpath.isabs(text) or joined == ".." or joined.startswith("../"):
        raise UnsafeWriteError(f"refusing a symlink pointing outside the project: {shown}", HINT)
    resolved_root = root.resolve()
    resolved = Path(os.path.realpath(resolved_root / posixpath.dirname(relative) / text))
    if not resolved.is_relative_to(resolved_root):
        raise UnsafeWriteError(f"refusing a symlink pointing outside the project: {shown}", HINT)
    inside = resolved.relative_to(resolved_root).parts
    if any(part.casefold() == GIT_FOLDER for part in (*joined.split("/"), *inside)):
        raise UnsafeWriteError(f"refusing a symlink pointing into .git: {shown}", HINT)


def path_state(root: Path, relative: str) -> PathState:
    """What `relative` is on disk under `root` (see `PathState`)."""
    parts = relative.split("/")
    current = root
    for index, part in enumerate(parts):
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            return PathState("missing")
        except NotADirectoryError:
            return PathState("blocked", "/".join(parts[:index]))
        if index == len(parts) - 1:
            if stat.S_ISLNK(mode):
                return PathState("symlink")
            return PathState("folder" if stat.S_ISDIR(mode) else "file")
        if not stat.S_ISDIR(mode):
            return PathState("blocked", "/".join(parts[: index + 1]))
    return PathState("folder")


def read_entry(root: Path, relative: str) -> Entry | None:
    """The file or symlink at `relative`, read without following symlinks (None: none there)."""
    try:
        parent = _open_parent(root, relative.split("/"), create=None)
    except (FileNotFoundError, UnsafeWriteError):
        return None
    try:
        return _read_at(parent, relative.rsplit("/", 1)[-1])[0]
    except ScaffoldError:  # a folder or a special file: not an entry
        return None
    finally:
        os.close(parent)


def files_under(root: Path, relative: str) -> list[str]:
    """Every non-folder entry (files, symlinks, anything else) under the folder `relative`."""
    found = []
    for folder, subfolders, names in os.walk(root / relative):
        for name in list(subfolders):
            if os.path.islink(os.path.join(folder, name)):
                subfolders.remove(name)
                names.append(name)
        found.extend(Path(folder, name).relative_to(root).as_posix() for name in names)
    return sorted(found)


class ProjectWriter:
    """Writes and removes entries under `root`, journalling each change for `rollback`."""

    def __init__(self, root: Path, *, journal: bool = True) -> None:
        self.root = root.resolve()
        self._journal: list[tuple[str, str, _Previous | None]] | None = [] if journal else None
        self._seen: set[str] = set()

    def write(self, relative: str, entry: Entry, *, check_target: bool = True) -> None:
        """Place `entry` at `relative`, creating folders; never through a symlink.

        `check_target=False` only for copying a user's own tree into a scratch
        folder: their symlinks are kept as they are, wherever they point.
        """
        parts = checked_parts(relative)
        if entry.is_symlink and check_target:
            check_symlink_target(self.root, relative, entry.content)
        parent = _open_parent(self.root, parts, create=self._created_folder)
        try:
            previous, permissions = _read_at(parent, parts[-1], shown=relative)
            self._remember(relative, _Previous(previous, permissions))
            _place(parent, parts[-1], entry, permissions if previous is not None else None)
        finally:
            os.close(parent)

    def remove(self, relative: str) -> None:
        """Delete the file or symlink at `relative` (not what a symlink points to)."""
        parts = checked_parts(relative)
        try:
            parent = _open_parent(self.root, parts, create=None)
        except FileNotFoundError:
            return
        try:
            previous, permissions = _read_at(parent, parts[-1], shown=relative)
            if previous is None:
                return
            self._remember(relative, _Previous(previous, permissions))
            os.unlink(parts[-1], dir_fd=parent)
        finally:
            os.close(parent)

    def remove_empty_folders(self, relative: str) -> None:
        """Remove the parent folders of `relative` that are now empty, deepest first."""
        parts = checked_parts(relative)
        for depth in range(len(parts) - 1, 0, -1):
            folder = "/".join(parts[:depth])
            try:
                parent = _open_parent(self.root, parts[:depth], create=None)
            except (FileNotFoundError, UnsafeWriteError):
                return
            try:
                os.rmdir(parts[depth - 1], dir_fd=parent)
            except OSError:
                return
            finally:
                os.close(parent)
            if self._journal is not None:
                self._journal.append(("removed-folder", folder, None))

    def rollback(self) -> None:
        """Put back every entry and folder as it was before this writer touched them."""
        if self._journal is None:
            return
        for action, relative, previous in reversed(self._journal):
            parts = relative.split("/")
            if action == "removed-folder":
                parent = _open_parent(self.root, parts, create=lambda _: None)
                try:
                    os.mkdir(parts[-1], dir_fd=parent)
                except FileExistsError:
                    pass
                finally:
                    os.close(parent)
                continue
            try:
                parent = _open_parent(self.root, parts, create=None)
            except FileNotFoundError:
                parent = None
            if action == "created-folder":
                if parent is not None:
                    with contextlib.suppress(OSError):
                        os.rmdir(parts[-1], dir_fd=parent)
                    os.close(parent)
                continue
            assert previous is not None
            if parent is None:
                parent = _open_parent(self.root, parts, create=lambda _: None)
            try:
                if previous.entry is None:
                    if _read_at(parent, parts[-1])[0] is not None:
                        os.unlink(parts[-1], dir_fd=parent)
                else:
                    _place(parent, parts[-1], previous.entry, previous.permissions)
            finally:
                os.close(parent)
        self._journal.clear()
        self._seen.clear()

    def _remember(self, relative: str, previous: _Previous) -> None:
        if self._journal is not None and relative not in self._seen:
            self._seen.add(relative)
            self._journal.append(("entry", relative, previous))

    def _created_folder(self, relative: str) -> None:
        if self._journal is not None:
            self._journal.append(("created-folder", relative, None))


def _open_parent(root: Path, parts: list[str], create: Callable[[str], None] | None) -> int:
    """A descriptor of the folder holding `parts[-1]`, walked with O_NOFOLLOW from `root`.

    `create` is None (a missing folder raises FileNotFoundError) or a callback
    told about each folder it makes.
    """
    descriptor = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    for depth, part in enumerate(parts[:-1], start=1):
        try:
            try:
                child = os.open(part, DIRECTORY_FLAGS, dir_fd=descriptor)
            except FileNotFoundError:
                if create is None:
                    raise
                os.mkdir(part, dir_fd=descriptor)
                create("/".join(parts[:depth]))
                child = os.open(part, DIRECTORY_FLAGS, dir_fd=descriptor)
        except OSError as error:
            os.close(descriptor)
            if error.errno in (errno.ELOOP, errno.ENOTDIR, errno.EEXIST):
                blocked = "/".join(parts[:depth])
                raise UnsafeWriteError(
                    f"refusing to write {'/'.join(parts)}: {blocked} is a symlink or a file", HINT
                ) from error
            raise
        os.close(descriptor)
        descriptor = child
    return descriptor


def _read_at(parent: int, name: str, shown: str = "") -> tuple[Entry | None, int]:
    """The entry named `name` in the folder `parent` and its permission bits (`shown` in errors)."""
    shown = shown or name
    try:
        status = os.lstat(name, dir_fd=parent)
    except FileNotFoundError:
        return None, 0
    permissions = stat.S_IMODE(status.st_mode)
    if stat.S_ISLNK(status.st_mode):
        return symlink(os.readlink(os.fsencode(name), dir_fd=parent)), permissions
    if stat.S_ISDIR(status.st_mode):
        raise ScaffoldError(
            f"cannot write {shown}: a folder is in the way", "move the folder away and run again"
        )
    if not stat.S_ISREG(status.st_mode):
        raise UnsafeWriteError(f"refusing to replace {shown}: it is not a regular file", HINT)
    descriptor = os.open(name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=parent)
    with os.fdopen(descriptor, "rb") as opened:
        content = opened.read()
    return regular_file(content, executable=bool(permissions & stat.S_IXUSR)), permissions


def _place(parent: int, name: str, entry: Entry, permissions: int | None) -> None:
    """Put `entry` at `name` by renaming a fresh entry over it (so nothing is written through)."""
    temporary = f".{name[:64]}.scaffold-{secrets.token_hex(4)}"
    if entry.is_symlink:
        os.symlink(entry.content, temporary, dir_fd=parent)
    else:
        creation_mode = 0o777 if entry.is_executable else 0o666
        descriptor = os.open(
            temporary,
            os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
            creation_mode,
            dir_fd=parent,
        )
        try:
            with os.fdopen(descriptor, "wb", closefd=False) as opened:
                opened.write(entry.content)
            if permissions is not None:
                os.fchmod(descriptor, _with_executable_bits(permissions, entry.is_executable))
        finally:
            os.close(descriptor)
    try:
        os.rename(temporary, name, src_dir_fd=parent, dst_dir_fd=parent)
    except BaseException:
        os.unlink(temporary, dir_fd=parent)
        raise


def _with_executable_bits(permissions: int, executable: bool) -> int:
    """Keep a file's permissions, adding x where r is (as `chmod +x`) or removing every x."""
    if not executable:
        return permissions & ~0o111
    if permissions & stat.S_IXUSR:
        return permissions
    return permissions | ((permissions & 0o444) >> 2)
