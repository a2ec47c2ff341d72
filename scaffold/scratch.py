"""Scratch folders: created fresh, and always removed whole, even when interrupted.

Every temporary folder scaffold makes comes from `scratch_folder`; its removal holds
interrupts until it is done, so Ctrl-C during clean-up cannot leave half a folder behind.
This module does not decide what goes into the folder.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scaffold.interrupts import deferred_interrupts


@contextmanager
def scratch_folder(prefix: str, parent: Path | None = None) -> Iterator[Path]:
    """Yield a new empty folder (in `parent`, default the system's temporary folder)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    try:
        yield folder
    finally:
        remove_scratch(folder)


def remove_scratch(folder: Path) -> None:
    """Remove `folder` and everything in it; an interrupt waits until it is gone."""
    with deferred_interrupts():
        shutil.rmtree(folder, ignore_errors=True)
