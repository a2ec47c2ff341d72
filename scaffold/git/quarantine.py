"""A scratch object store for git objects a command may not keep: `update --dry-run`, `diff`.

git reads objects from the project's store through an alternate and writes new
ones into a temporary folder that disappears afterwards, as `git receive-pack`
quarantines pushed objects. This module builds the environment callers pass to
the git commands that would write objects, and moves the objects into the
project once a command keeps them; it runs no other git command.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from scaffold.git.repository import run_git


@contextmanager
def quarantined_objects(project: Path) -> Iterator[dict[str, str]]:
    """An environment under which git writes objects to a temporary store, reading the project's."""
    common_dir = run_git(project, "rev-parse", "--path-format=absolute", "--git-common-dir")
    with tempfile.TemporaryDirectory(prefix="scaffold-objects-") as scratch:
        objects = Path(scratch) / "objects"
        objects.mkdir()
        yield {
            **os.environ,
            "GIT_OBJECT_DIRECTORY": str(objects),
            "GIT_ALTERNATE_OBJECT_DIRECTORIES": str(Path(common_dir.strip()) / "objects"),
        }


def keep_quarantined_objects(environment: Mapping[str, str]) -> None:
    """Move the objects written under `environment` into the project's object store.

    What `git receive-pack` does once a push is accepted, without a git process:
    every object file is copied under a temporary name and renamed into place
    (a reader never sees half an object), packs before their indexes, and an
    object the project already has is left as it is.
    """
    quarantine = Path(environment["GIT_OBJECT_DIRECTORY"])
    store = Path(environment["GIT_ALTERNATE_OBJECT_DIRECTORIES"])
    files = [path for path in quarantine.rglob("*") if path.is_file()]
    for path in sorted(files, key=lambda path: (path.suffix == ".idx", str(path))):
        target = store / path.relative_to(quarantine)
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"tmp_obj_{target.name}")
        shutil.copy2(path, partial)
        os.replace(partial, target)
