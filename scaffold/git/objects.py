"""Read a project's git data cheaply: the index's file list and the pristine render's blob ids.

`scaffold check` runs over thousands of projects, so this reads `.git` files
directly (index, refs, loose objects) and starts at most one
`git cat-file --batch` per project, only when objects are packed. It never
writes to the repository and knows nothing about rules.
"""

from __future__ import annotations

import hashlib
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

from scaffold import bounded_reads
from scaffold.git.repository import PRISTINE_REF

INDEX_ENTRY_FIXED_SIZE = 62
EXTENDED_FLAG = 0x4000


def git_dir_of(project: Path) -> Path | None:
    """The `.git` folder of `project` (following a `gitdir:` file), or None."""
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


def tracked_files(git_dir: Path) -> dict[str, int] | None:
    """Paths in the git index with their sizes; None when the index format is unsupported."""
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
    return files


def blob_id(content: bytes) -> str:
    """The id git gives a file with this content."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


class ObjectReader:
    """Reads git objects: loose ones from disk, packed ones through one `git cat-file --batch`."""

    def __init__(self, git_dir: Path) -> None:
        self.git_dir = git_dir
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
        loose = self.git_dir / "objects" / object_id[:2] / object_id[2:]
        if loose.is_file():
            raw = zlib.decompress(loose.read_bytes())
            header, _, body = raw.partition(b"\0")
            return header.split(b" ")[0].decode(), body
        return self._read_batched(object_id)

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


def pristine_blob_ids(project: Path) -> dict[str, str] | str:
    """Path -> blob id of every file in the pristine render; a reason string when unknown."""
    git_dir = git_dir_of(project)
    if git_dir is None:
        return "the project is not a git repository"
    reader = ObjectReader(git_dir)
    try:
        commit_id = reader.resolve(PRISTINE_REF)
        if commit_id is None:
            return f"the project has no {PRISTINE_REF} (made without scaffold new or link)"
        commit = reader.read(commit_id)
        if commit is None or commit[0] != "commit":
            return f"cannot read {PRISTINE_REF} (is git installed?)"
        tree_id = commit[1].split(b"\n", 1)[0].removeprefix(b"tree ").decode()
        blobs: dict[str, str] = {}
        if not _walk_tree(reader, tree_id, "", blobs):
            return f"cannot read the tree of {PRISTINE_REF}"
        return blobs
    finally:
        reader.close()


def _walk_tree(reader: ObjectReader, tree_id: str, prefix: str, blobs: dict[str, str]) -> bool:
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
            if not _walk_tree(reader, object_id, f"{prefix}{name}/", blobs):
                return False
        elif mode != b"160000":  # skip submodules
            blobs[f"{prefix}{name}"] = object_id
    return True
