"""Read a project's git data cheaply: the index's file list and the pristine render's blob ids.

`scaffold check` runs over thousands of projects, so this reads `.git` files
directly (index, refs, loose objects) and starts at most one
`git cat-file --batch` per project, only when objects are packed. It never
writes to the repository and knows nothing about rules.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path

from scaffold import bounded_reads
from scaffold.git.repository import PRISTINE_REF

INDEX_ENTRY_FIXED_SIZE = 62
EXTENDED_FLAG = 0x4000


def git_dir_of(project: Path) -> Path | None:
    """The `.git` folder of `project` itself (following a `gitdir:` file), or None."""
    dot_git = project / ".git"
    if dot_git.is_dir():
        return dot_git
    if dot_git.is_file():
        try:  # a `gitdir:` line is short; anything else is not a work tree's `.git` file
            text = bounded_reads.read_bytes(dot_git, limit=4096).decode(errors="replace").strip()
        except OSError:
            return None
        if text.startswith("gitdir:"):
            target = Path(text.removeprefix("gitdir:").strip())
            target = target if target.is_absolute() else project / target
            return target if target.is_dir() else None
    return None


def common_dir_of(git_dir: Path) -> Path:
    """The folder holding the refs and objects all work trees share.

    A linked `git worktree` has its own git folder (HEAD, index) whose `commondir` file
    points at the main repository's, where `refs/scaffold/*` and the objects live.
    """
    commondir = git_dir / "commondir"
    if commondir.is_file():
        try:  # one short line naming a folder
            text = bounded_reads.read_bytes(commondir, limit=4096).decode(errors="replace")
        except OSError:
            return git_dir
        target = Path(text.strip())
        target = target if target.is_absolute() else git_dir / target
        if target.is_dir():
            return target
    return git_dir


def enclosing_repository(path: Path) -> tuple[Path, Path] | None:
    """(top of the work tree, `.git` folder) of the repository holding `path`, or None.

    Walks up from `path` reading the file system only (no git process), so a
    project in a subfolder of a monorepo finds its repository.
    """
    resolved = path.resolve()
    for folder in (resolved, *resolved.parents):
        git_dir = git_dir_of(folder)
        if git_dir is not None:
            return folder, git_dir
    return None


def tracked_files(git_dir: Path, prefix: str = "") -> dict[str, int] | None:
    """Paths in the git index with their sizes; None when the index format is unsupported.

    With `prefix` (a project's folder in the repository, POSIX, no trailing
    slash), only the files under it, relative to it.
    """
    try:
        data = (git_dir / "index").read_bytes()
    except OSError:
        return {} if (git_dir / "HEAD").exists() else None
    if len(data) < 12 or data[:4] != b"DIRC":
        return None
    version, count = struct.unpack(">II", data[4:12])
    if version not in (2, 3):
        return None  # v4 compresses paths; the caller walks the folder instead
    files: dict[str, int] = {}
    offset = 12
    for _ in range(count):
        size = struct.unpack(">I", data[offset + 36 : offset + 40])[0]
        flags = struct.unpack(">H", data[offset + 60 : offset + 62])[0]
        name_start = offset + INDEX_ENTRY_FIXED_SIZE + (2 if flags & EXTENDED_FLAG else 0)
        name_end = data.index(b"\0", name_start)
        files[data[name_start:name_end].decode("utf-8", errors="replace")] = size
        offset += (name_start - offset + (name_end - name_start) + 8) & ~7
    if not prefix:
        return files
    start = prefix + "/"
    return {path[len(start) :]: size for path, size in files.items() if path.startswith(start)}


def blob_id(content: bytes) -> str:
    """The id git gives a file with this content."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


class ObjectReader:
    """Reads git objects: loose ones from disk, packed ones through one `git cat-file --batch`."""

    def __init__(self, git_dir: Path) -> None:
        self.git_dir = git_dir
        self._objects = os.path.join(git_dir, "objects")  # a string: joined once per object
        self._batch: subprocess.Popen[bytes] | None = None

    def resolve(self, ref: str) -> str | None:
        """The object id a full ref name points to, or None."""
        ref_file = self.git_dir / ref
        if ref_file.is_file():
            return ref_file.read_text(encoding="ascii", errors="replace").strip() or None
        packed = self.git_dir / "packed-refs"
        if packed.is_file():
            for line in packed.read_text(encoding="utf-8", errors="replace").splitlines():
                object_id, _, name = line.partition(" ")
                if name == ref:
                    return object_id
        return None

    def read(self, object_id: str) -> tuple[str, bytes] | None:
        """(type, body) of an object, or None when it does not exist."""
        try:
            with open(os.path.join(self._objects, object_id[:2], object_id[2:]), "rb") as loose:
                raw = zlib.decompress(loose.read())
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return self._read_batched(object_id)
        header, _, body = raw.partition(b"\0")
        return header.split(b" ")[0].decode(), body

    def _read_batched(self, object_id: str) -> tuple[str, bytes] | None:
        if self._batch is None:
            git = shutil.which("git")
            if git is None:
                return None
            self._batch = subprocess.Popen(
                [git, "--git-dir", str(self.git_dir), "cat-file", "--batch"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        assert self._batch.stdin is not None and self._batch.stdout is not None
        self._batch.stdin.write(object_id.encode() + b"\n")
        self._batch.stdin.flush()
        header = self._batch.stdout.readline().split()
        if len(header) != 3:
            return None
        body = self._batch.stdout.read(int(header[2]) + 1)[:-1]
        return header[1].decode(), body

    def close(self) -> None:
        """Stop the batch process, if one was started."""
        if self._batch is not None:
            self._batch.communicate()
            self._batch = None


def pristine_blob_ids(
    project: Path, ref: str = PRISTINE_REF, descend: Callable[[str], bool] | None = None
) -> dict[str, str] | str:
    """Path -> blob id of every file in the pristine render on `ref`; a reason string when unknown.

    The repository may hold `project` in a subfolder: it is found by walking up.
    In a linked `git worktree` the refs and objects are read from the shared folder.
    `descend`, given a folder path ending in `/`, says whether to read that folder
    (default: all), so a caller that needs a few files reads a few trees.
    """
    repository = enclosing_repository(project)
    if repository is None:
        return "the project is not in a git repository"
    reader = ObjectReader(common_dir_of(repository[1]))
    try:
        commit_id = reader.resolve(ref)
        if commit_id is None:
            return f"the project has no {ref}"
        commit = reader.read(commit_id)
        if commit is None or commit[0] != "commit":
            return f"cannot read {ref} (is git installed?)"
        tree_id = commit[1].split(b"\n", 1)[0].removeprefix(b"tree ").decode()
        blobs: dict[str, str] = {}
        if not _walk_tree(reader, tree_id, "", blobs, descend or _everywhere):
            return f"cannot read the tree of {ref}"
        return blobs
    finally:
        reader.close()


def _everywhere(folder: str) -> bool:
    return True


def _walk_tree(
    reader: ObjectReader,
    tree_id: str,
    prefix: str,
    blobs: dict[str, str],
    descend: Callable[[str], bool],
) -> bool:
    tree = reader.read(tree_id)
    if tree is None or tree[0] != "tree":
        return False
    body, offset = tree[1], 0
    while offset < len(body):
        space = body.index(b" ", offset)
        nul = body.index(b"\0", space)
        mode = body[offset:space]
        name = body[space + 1 : nul].decode("utf-8", errors="replace")
        object_id = body[nul + 1 : nul + 21].hex()
        offset = nul + 21
        if mode == b"40000":
            folder = f"{prefix}{name}/"
            if descend(folder) and not _walk_tree(reader, object_id, folder, blobs, descend):
                return False
        elif mode != b"160000":  # skip submodules
            blobs[f"{prefix}{name}"] = object_id
    return True
