"""Keep a template inside its lanes: what it renders stays in the project, and never in `.git`.

A render is checked in its scratch folder, before anything reaches the user's
destination or git: no entry named `.git` (a template could otherwise plant git
hooks or a `core.fsmonitor` command), no symlink resolving outside the render,
no path that is absolute or climbs out with `..`. Template folders are checked
for symlinks that would pull in files from outside the template. This module
only inspects paths; it neither renders nor writes.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from scaffold.errors import TemplateError

HINT = "a template may only write regular files and folders inside the new project"
GIT_FOLDER = ".git"


class ContainmentError(TemplateError):
    """A template would write outside the project, into `.git`, or link outside."""


def check_rendered_tree(root: Path, template: str) -> None:
    """Refuse a render with `.git` entries or symlinks leaving `root` or entering `.git`."""
    resolved_root = root.resolve()
    for folder, subfolders, names in os.walk(root):
        for name in [*subfolders, *names]:
            path = Path(folder, name)
            relative = path.relative_to(root).as_posix()
            if name == GIT_FOLDER:
                raise ContainmentError(
                    f"template '{template}' would write into git's own folder: {relative}", HINT
                )
            if not path.is_symlink():
                continue
            resolved = _resolved(path, template, relative)
            if not _inside(resolved, resolved_root):
                raise ContainmentError(
                    f"template '{template}' renders a symlink pointing outside the project: "
                    f"{relative} -> {os.readlink(path)}",
                    HINT,
                )
            target_parts = (
                *Path(os.readlink(path)).parts,
                *resolved.relative_to(resolved_root).parts,
            )
            if any(part.casefold() == GIT_FOLDER for part in target_parts):
                raise ContainmentError(
                    f"template '{template}' renders a symlink pointing into .git: "
                    f"{relative} -> {os.readlink(path)}",
                    HINT,
                )


def check_relative_path(rendered: str, template: str) -> None:
    """Refuse a rendered path that is absolute, climbs out of the project or enters `.git`."""
    parts = PurePosixPath(rendered.replace("\\", "/")).parts
    if rendered.startswith(("/", "\\")):
        raise ContainmentError(
            f"template '{template}' would write to an absolute path: {rendered}", HINT
        )
    depth = 0
    for part in parts:
        depth += -1 if part == ".." else (0 if part == "." else 1)
        if depth < 0:
            raise ContainmentError(
                f"template '{template}' would write outside the project: {rendered}", HINT
            )
    if GIT_FOLDER in parts:
        raise ContainmentError(
            f"template '{template}' would write into git's own folder: {rendered}", HINT
        )


def check_template_symlinks(folder: Path, template: str) -> None:
    """Refuse a template whose symlinks point outside it (rendering would copy those files in)."""
    resolved_folder = folder.resolve()
    for parent, subfolders, names in os.walk(folder):
        subfolders[:] = [name for name in subfolders if name != GIT_FOLDER]  # the template's own
        for name in [*subfolders, *names]:
            path = Path(parent, name)
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink() and not _inside(
                _resolved(path, template, relative), resolved_folder
            ):
                raise ContainmentError(
                    f"template '{template}' links to a file outside the template: "
                    f"{relative} -> {os.readlink(path)}",
                    "a template may only use its own files",
                )


def _resolved(path: Path, template: str, relative: str) -> Path:
    """Where a symlink leads; a loop of symlinks is the template's error, in one line."""
    try:
        return path.resolve()
    except (RuntimeError, OSError) as error:  # Python 3.11 raises RuntimeError on a loop
        raise ContainmentError(
            f"template '{template}' holds a symlink that cannot be resolved: {relative} "
            f"-> {os.readlink(path)} ({error.__class__.__name__}: a loop?)",
            HINT,
        ) from error


def _inside(path: Path, root: Path) -> bool:
    return path == root or path.is_relative_to(root)
