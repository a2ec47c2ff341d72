"""Which projects make up a fleet: the org config's `fleet:` list, a fleet file, or a folder.

A fleet file holds one git URL or local path per line, optionally followed by
the answers file to use (for a project holding several templates); `#` starts
a comment. This module only lists and validates entries; it clones nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scaffold.errors import ScaffoldError
from scaffold.fleet.safety import (
    UnsafeValueError,
    redact,
    require_relative_path,
    require_remote_location,
)
from scaffold.project.answers import ANSWERS_FILE

SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__", "venv", ".venv", "site-packages"})
NAME_CHARACTERS = re.compile(r"[^A-Za-z0-9._-]+")


class FleetListError(ScaffoldError):
    """The fleet cannot be listed: a missing or malformed fleet file, or no projects."""


@dataclass(frozen=True)
class FleetEntry:
    """One project of the fleet: where its repository is, and which answers file to read."""

    location: str  # a git URL, or an absolute local path
    answers_file: str = ANSWERS_FILE

    @property
    def is_local(self) -> bool:
        """Whether the repository is a folder on this machine."""
        return self.location.startswith("/")

    @property
    def name(self) -> str:
        """A short, readable name: the repository's last path segment without `.git`."""
        tail = redact(self.location).rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        return tail.removesuffix(".git") or "project"

    @property
    def key(self) -> str:
        """A folder name unique to this entry (its name plus a digest of location and answers)."""
        digest = hashlib.sha256(f"{self.location}\0{self.answers_file}".encode()).hexdigest()
        return f"{NAME_CHARACTERS.sub('-', self.name)[:40]}-{digest[:10]}"


def make_entry(
    location: str, answers_file: str | None = None, base: Path | None = None
) -> FleetEntry:
    """A validated entry; a relative local path is taken relative to `base`."""
    location = location.strip()
    require_remote_location(location)
    if not _looks_remote(location):
        location = str(((base or Path.cwd()) / Path(location).expanduser()).resolve())
    if answers_file is not None:
        require_relative_path(answers_file, "answers file")
    return FleetEntry(location, answers_file or ANSWERS_FILE)


def read_fleet_file(path: Path) -> list[FleetEntry]:
    """Entries of the fleet file at `path` (`LOCATION [ANSWERS_FILE]` per line, `#` comments)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise FleetListError(
            f"cannot read fleet file {path}: {reason}", "pass a UTF-8 text file"
        ) from error
    entries = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].split("\t#", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split()
        if len(fields) > 2:
            raise FleetListError(
                f"{path}:{number}: expected `LOCATION [ANSWERS_FILE]`, got {len(fields)} fields",
                "write one repository per line, optionally followed by its answers file",
            )
        try:
            entries.append(
                make_entry(fields[0], fields[1] if len(fields) == 2 else None, path.parent)
            )
        except UnsafeValueError as error:
            raise FleetListError(f"{path}:{number}: {error.message}", error.hint) from error
    return entries


def entries_from_org(items: Iterable[str | dict[str, str]], base: Path | None) -> list[FleetEntry]:
    """Entries of the org config's `fleet:` list (strings, or {repository, answers_file})."""
    entries = []
    for item in items:
        if isinstance(item, str):
            entries.append(make_entry(item, None, base))
        else:
            entries.append(make_entry(item["repository"], item.get("answers_file"), base))
    return entries


def discover_repositories(root: Path) -> list[FleetEntry]:
    """Every git repository under `root` (not descending into one, nor through symlinks)."""
    if not root.is_dir():
        raise FleetListError(f"{root} is not a folder", "pass the folder holding the repositories")
    found = []
    for folder, subfolders, _ in os.walk(root, followlinks=False):
        current = Path(folder)
        if (current / ".git").exists() and not current.is_symlink():
            found.append(make_entry(str(current)))
            subfolders[:] = []
            continue
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not name.startswith(".")
            and name not in SKIPPED_FOLDERS
            and not (current / name).is_symlink()
        )
    return sorted(found, key=lambda entry: entry.location)


def list_fleet(
    org_fleet: Sequence[FleetEntry] = (),
    fleet_file: Path | None = None,
    recursive: Path | None = None,
) -> list[FleetEntry]:
    """The fleet: `--fleet FILE` and `--recursive DIR` when given, else the org config's list."""
    entries: list[FleetEntry] = []
    if fleet_file is not None:
        entries += read_fleet_file(fleet_file)
    if recursive is not None:
        entries += discover_repositories(recursive)
    if fleet_file is None and recursive is None:
        entries += org_fleet
    if not entries:
        raise FleetListError(
            "the fleet is empty",
            "list repositories under `fleet:` in the org config, or pass --fleet FILE "
            "or --recursive DIR",
        )
    return list(dict.fromkeys(entries))


def _looks_remote(location: str) -> bool:
    return "://" in location or bool(re.match(r"^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:", location))
