"""A scratch object store for git objects a command may not keep: `update --dry-run`, `diff`.

git reads objects from the project's store through an alternate and writes new
ones into a temporary folder that disappears afterwards, as `git receive-pack`
quarantines pushed objects. This module builds the environment callers pass to
the git commands that would write objects; it never writes into `.git` itself.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
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
