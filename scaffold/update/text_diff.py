"""Unified diffs between two file trees, as `git diff` would show them."""

from __future__ import annotations

import difflib

from scaffold.update.file_trees import FileTree, is_text


def unified_diff(before: FileTree, after: FileTree) -> str:
    """A unified diff of every path that differs between `before` and `after`."""
    chunks: list[str] = []
    for path in sorted(set(before) | set(after)):
        old, new = before.get(path), after.get(path)
        if old == new:
            continue
        if (old is not None and not is_text(old)) or (new is not None and not is_text(new)):
            chunks.append(f"Binary file {path} differs\n")
            continue
        chunks.extend(
            difflib.unified_diff(
                _lines(old),
                _lines(new),
                fromfile=f"a/{path}" if old is not None else "/dev/null",
                tofile=f"b/{path}" if new is not None else "/dev/null",
            )
        )
    return "".join(chunks)


def _lines(content: bytes | None) -> list[str]:
    if content is None:
        return []
    lines = content.decode("utf-8").splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines
