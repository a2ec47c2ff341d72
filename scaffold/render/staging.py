"""Build a folder somewhere safe and move it into place in one step.

`new` renders into a temporary folder beside the destination and renames it
into place only when everything succeeded, so a failure or an interrupt
leaves nothing behind. This module moves folders; it does not render.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scaffold.errors import DestinationError
from scaffold.scratch import remove_scratch


def check_destination_is_free(destination: Path) -> None:
    """Refuse a destination that exists and is not an empty folder."""
    if destination.is_dir():
        if any(destination.iterdir()):
            raise DestinationError(
                f"destination {destination} is not empty", "pick a new folder name"
            )
    elif destination.exists():
        raise DestinationError(f"destination {destination} is a file", "pick a new folder name")


def nearest_existing_parent(path: Path) -> Path:
    """The nearest folder above `path` that exists (where a new folder will be created)."""
    parent = path.resolve().parent
    while not parent.exists():
        parent = parent.parent
    return parent


@contextmanager
def staged_folder(destination: Path) -> Iterator[Path]:
    """Yield a fresh folder to build in; on success it becomes `destination`.

    The staging folder sits on the destination's file system so the final
    move is a rename. On any exception (including KeyboardInterrupt) the
    staging folder is removed and the destination is untouched.
    """
    check_destination_is_free(destination)
    parent = nearest_existing_parent(destination)
    try:
        staging_root = Path(tempfile.mkdtemp(prefix=".scaffold-staging-", dir=parent))
    except OSError as error:
        raise DestinationError(
            f"cannot create the project beside {destination}: {error.strerror}",
            "pick a destination in a folder you can write to",
        ) from error
    try:
        built = staging_root / "project"
        yield built
        check_destination_is_free(destination)
        try:
            if destination.is_dir():  # an empty folder (maybe `.`, the shell's own): fill it
                _move_entries(built, destination)
            else:
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.replace(built, destination)
        except OSError as error:
            raise DestinationError(
                f"cannot move the project to {destination}: {error.strerror}",
                "pick a destination in a folder you can write to",
            ) from error
    finally:
        remove_scratch(staging_root)


def _move_entries(source: Path, destination: Path) -> None:
    """Move every entry of `source` into the empty folder `destination`, or none of them.

    The folder itself stays (its inode, owner and mode): a shell sitting in it keeps working.
    """
    moved: list[Path] = []
    try:
        for entry in sorted(source.iterdir()):
            os.replace(entry, destination / entry.name)
            moved.append(entry)
    except BaseException:
        for entry in reversed(moved):
            os.replace(destination / entry.name, entry)
        raise
