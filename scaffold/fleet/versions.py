"""Template versions across a fleet: what a source offers, and the newest the org allows.

A built-in template offers the releases shipped inside scaffold; a git
template its PEP 440 tags (`git ls-remote --tags`, the source after `--`).
Looked up once per source in each process. This module renders nothing.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Sequence
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from scaffold.errors import GitError
from scaffold.git.remotes import git_in
from scaffold.render.builtin_templates import BUILTIN_PREFIX, find_builtin_template


def parsed(version: str | None) -> Version | None:
    """`version` as a PEP 440 version (a leading `v` allowed), or None."""
    if version is None:
        return None
    try:
        return Version(version)
    except InvalidVersion:
        return None


@functools.lru_cache(maxsize=256)
def available_versions(source: str) -> tuple[str, ...]:
    """The versions `source` offers, oldest first (empty: none, or unreachable)."""
    if source.startswith(BUILTIN_PREFIX):
        builtin = find_builtin_template(source)
        return tuple(builtin.released_versions) if builtin else ()
    location = source.removeprefix("git+")
    if not ("://" in location or location.startswith("/") or "@" in location):
        return ()
    try:
        with tempfile.TemporaryDirectory(prefix="scaffold-tags-") as scratch:
            listing = git_in(Path(scratch), "ls-remote", "--tags", "--refs", "--", location)
    except GitError:
        return ()
    tags = [line.split("refs/tags/", 1)[1] for line in listing.splitlines() if "refs/tags/" in line]
    versioned = sorted((version, tag) for tag in tags if (version := parsed(tag)) is not None)
    return tuple(tag for _, tag in versioned)


def newest_allowed(versions: Sequence[str], allowed_range: str | None) -> str | None:
    """The highest of `versions` inside the org's PEP 440 range (any, without a range)."""
    try:
        specifier = SpecifierSet(allowed_range or "")
    except InvalidSpecifier:
        return None
    allowed = [
        tag
        for tag in versions
        if (version := parsed(tag)) is not None and specifier.contains(version, prereleases=True)
    ]
    return max(allowed, key=lambda tag: parsed(tag) or Version("0")) if allowed else None


def versions_behind(versions: Sequence[str], current: str | None, target: str | None) -> int | None:
    """How many offered versions lie after `current`, up to and including `target`."""
    now, goal = parsed(current), parsed(target)
    if now is None or goal is None:
        return None
    return sum(
        1 for tag in versions if (version := parsed(tag)) is not None and now < version <= goal
    )


def is_newer(candidate: str | None, current: str | None) -> bool:
    """Whether `candidate` is a higher version than `current` (different, when not versions)."""
    new, old = parsed(candidate), parsed(current)
    if new is None or old is None:
        return candidate is not None and candidate != current
    return new > old
