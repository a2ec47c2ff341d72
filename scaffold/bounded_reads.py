"""Read project and config files without trusting them: regular files only, size and YAML bounded.

A project contributor controls what `pyproject.toml` or an answers file *is*: a FIFO, a link to
`/dev/zero`, 35 MB, a YAML alias bomb. Every read of such a file goes through here, so a hostile
file costs at most `limit` bytes and `MAX_YAML_NODES` nodes. This module neither parses formats
other than YAML nor decides what a caller reports; it raises `OSError`s and `yaml.YAMLError`s.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

import yaml

CONFIG_LIMIT = 1024 * 1024  # answers files, org config, cookiecutter.json, copier.yml
PROJECT_FILE_LIMIT = 8 * 1024 * 1024  # files `scaffold check` reads (pyproject.toml, CI files)
MAX_YAML_NODES = 100_000  # after expanding aliases; real configs have hundreds
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


class UnsafeFileError(OSError):
    """The path is not a regular file, or is larger than the reader allows."""

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(errno.EINVAL, reason, str(path))


def read_bytes(path: str | Path, *, limit: int = CONFIG_LIMIT) -> bytes:
    """The content of the regular file at `path` (symlinks followed), at most `limit` bytes.

    A FIFO is opened without blocking and refused before anything is read; a
    device, socket or folder is refused too; a longer file is refused, not cut.
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
            raise UnsafeFileError(path, f"is {kind}, not a regular file")
        chunks = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    finally:
        os.close(descriptor)
    content = b"".join(chunks)
    if len(content) > limit:
        raise UnsafeFileError(path, f"is larger than {_size(limit)}")
    return content


def read_text(path: Path, *, limit: int = CONFIG_LIMIT) -> str:
    """`read_bytes` decoded as UTF-8 (a `UnicodeDecodeError` when it is not)."""
    return read_bytes(path, limit=limit).decode("utf-8")


def load_yaml(text: str, *, loader: type[Any] = SafeLoader, max_nodes: int = MAX_YAML_NODES) -> Any:
    """The one YAML document in `text`, refused when it expands to more than `max_nodes` nodes.

    Aliases are counted as often as they are used, so an alias bomb (a few
    lines that expand to billions of nodes) fails here, before any caller walks
    the result; a recursive alias is refused too.
    """
    instance = loader(text)
    try:
        try:
            node = instance.get_single_node()
        except RecursionError as error:
            raise yaml.YAMLError("the document nests too deeply") from error
        if node is None:
            return None
        if "&" in text:
            count_nodes(node, max_nodes)
        else:  # no anchor, so no alias: a tree, each node used once (`check` parses many)
            _count_tree(node, max_nodes)
        return instance.construct_document(node)
    finally:
        instance.dispose()


def count_nodes(root: yaml.Node, max_nodes: int = MAX_YAML_NODES) -> int:
    """How many nodes `root` stands for once every alias is expanded (at most `max_nodes`)."""
    sizes: dict[int, int] = {}
    # Iterative post-order walk: a deep document must not exhaust Python's stack.
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    open_nodes: set[int] = set()
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] > max_nodes:
                raise yaml.YAMLError(f"the document expands to more than {max_nodes} nodes")
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise yaml.YAMLError("the document refers to itself through an alias")
        open_nodes.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in open_nodes:
                raise yaml.YAMLError("the document refers to itself through an alias")
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(root)]


def _count_tree(root: yaml.Node, max_nodes: int) -> int:
    """`count_nodes` for a document without anchors: one pass, no bookkeeping of shared nodes."""
    count, stack = 0, [root]
    while stack:
        node = stack.pop()
        count += 1
        if count > max_nodes:
            raise yaml.YAMLError(f"the document expands to more than {max_nodes} nodes")
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append(key)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return count


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit} bytes"
