"""Unified diffs between two file trees, as `git diff` shows them (modes and symlinks included)."""

from __future__ import annotations

import difflib

from scaffold.git.trees import Entry
from scaffold.update.file_trees import FileTree, is_text


def unified_diff(before: FileTree, after: FileTree) -> str:
    """A unified diff of every path that differs between `before` and `after`."""
    chunks: list[str] = []
    for path in sorted(set(before) | set(after)):
        old, new = before.get(path), after.get(path)
        if old == new:
            continue
        chunks.append(f"diff --git a/{path} b/{path}\n")
        if old is not None and new is not None and old.is_symlink != new.is_symlink:
            chunks.extend(_one_sided(path, old, None))  # git shows a type change as delete + add
            chunks.extend(_one_sided(path, None, new))
            continue
        chunks.extend(_one_sided(path, old, new))
    return "".join(chunks)


def _one_sided(path: str, old: Entry | None, new: Entry | None) -> list[str]:
    lines: list[str] = []
    if old is None and new is not None:
        lines.append(f"new file mode {new.mode}\n")
    elif new is None and old is not None:
        lines.append(f"deleted file mode {old.mode}\n")
    elif old is not None and new is not None and old.mode != new.mode:
        lines.append(f"old mode {old.mode}\nnew mode {new.mode}\n")
    old_content = None if old is None else old.content
    new_content = None if new is None else new.content
    if old_content == new_content:
        return lines
    if any(content is not None and not is_text(content) for content in (old_content, new_content)):
        return [*lines, f"Binary file {path} differs\n"]
    lines.extend(
        difflib.unified_diff(
            _lines(old_content, symlink=old is not None and old.is_symlink),
            _lines(new_content, symlink=new is not None and new.is_symlink),
            fromfile=f"a/{path}" if old is not None else "/dev/null",
            tofile=f"b/{path}" if new is not None else "/dev/null",
        )
    )
    return lines


def _lines(content: bytes | None, *, symlink: bool) -> list[str]:
    if content is None:
        return []
    lines = content.decode("utf-8").splitlines(keepends=True)
    if symlink or (lines and not lines[-1].endswith("\n")):
        lines[-1] = lines[-1].rstrip("\n") + "\n\\ No newline at end of file\n"
    return lines
