"""Get a template's files at a git version into a temporary folder, and name the commit.

cookiecutter cannot check out a version of a local template (it ignores
`checkout` for folders) and reports no commit, so scaffold does both itself
with plain `git clone`. This module also tells which engine a git template is
written for. It neither renders nor reads answers.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from scaffold.errors import TemplateError
from scaffold.git.repository import require_git
from scaffold.scratch import scratch_folder

COPIER_CONFIG_FILES = ("copier.yml", "copier.yaml")
COOKIECUTTER_CONFIG_FILE = "cookiecutter.json"
URL_ABBREVIATIONS = {"gh:": "https://github.com/", "gl:": "https://gitlab.com/"}
GIT_BUNDLE_HEADERS = (b"# v2 git bundle\n", b"# v3 git bundle\n")


@dataclass(frozen=True)
class CheckedOutTemplate:
    """A template's files in `folder`, at git version `commit`: a tag on it, else its id.

    `commit` is None for a template folder outside git.
    """

    folder: Path
    commit: str | None


def engine_of_folder(folder: Path) -> str:
    """ "cookiecutter" for a folder with `cookiecutter.json` and no copier config, else "copier"."""
    has_copier_config = any((folder / name).is_file() for name in COPIER_CONFIG_FILES)
    if not has_copier_config and (folder / COOKIECUTTER_CONFIG_FILE).is_file():
        return "cookiecutter"
    return "copier"


def engine_of_git_url(url: str) -> str:
    """The engine of the template at `url`, read from a shallow clone without file contents.

    An unreachable URL counts as copier, so copier reports the fetch error as before.
    """
    with scratch_folder("scaffold-probe-") as scratch:
        cloned = _git(
            Path(scratch),
            "clone",
            "--quiet",
            "--depth=1",
            "--filter=blob:none",
            "--no-checkout",
            "--",
            clone_url(url),
            "probe",
            check=False,
        )
        if cloned.returncode != 0:
            return "copier"
        listing = _git(Path(scratch) / "probe", "ls-tree", "--name-only", "HEAD", check=False)
    names = set(listing.stdout.split())
    if COOKIECUTTER_CONFIG_FILE in names and not names.intersection(COPIER_CONFIG_FILES):
        return "cookiecutter"
    return "copier"


def is_git_bundle(path: Path) -> bool:
    """Whether `path` is a git bundle file (`git bundle create`), read from its header line."""
    try:
        with path.open("rb") as bundle:
            header = bundle.readline(64)
    except OSError:
        return False
    return header in GIT_BUNDLE_HEADERS


def clone_url(location: str) -> str:
    """A URL git understands: copier's `gh:`/`gl:` abbreviations expanded, `git+` dropped."""
    for abbreviation, prefix in URL_ABBREVIATIONS.items():
        if location.startswith(abbreviation):
            return prefix + location.removeprefix(abbreviation).removesuffix(".git") + ".git"
    return location.removeprefix("git+")


@contextmanager
def checked_out_template(
    location: str, *, is_git_url: bool, vcs_ref: str | None
) -> Iterator[CheckedOutTemplate]:
    """The template at `location` and `vcs_ref`, in a folder that lives as long as the context.

    A local folder without `vcs_ref` is used as it is (working-tree state);
    its commit is the HEAD of the repository holding it, if any. Otherwise the
    repository is cloned into a temporary folder and `vcs_ref` (default: its
    HEAD) checked out; a template in a sub-folder of a local repository keeps
    its place in the clone.
    """
    if not is_git_url:
        folder = Path(location)
        repository_root = _repository_root(folder)
        if vcs_ref is None:
            commit = _head_version(folder) if repository_root else None
            yield CheckedOutTemplate(folder, commit)
            return
        if repository_root is None:
            raise TemplateError(
                f"template folder {folder} is not a git repository, so it has no version "
                f"'{vcs_ref}'",
                "drop --vcs-ref, or make the template a git repository with tags",
            )
        clone_source = str(repository_root)
        inner_path = folder.resolve().relative_to(repository_root)
    else:
        clone_source = clone_url(location)
        inner_path = Path()

    with scratch_folder("scaffold-template-") as scratch:
        clone = scratch / "template"
        cloned = _git(scratch, "clone", "--quiet", "--no-checkout", "--", clone_source, str(clone))
        if cloned.returncode != 0:
            raise TemplateError(
                f"cannot fetch template '{location}': {_last_line(cloned)}",
                "check the URL and your network",
            )
        if not _check_out(clone, vcs_ref or "HEAD"):
            raise TemplateError(
                f"template '{location}' has no version '{vcs_ref}'",
                "pass an existing tag, branch or commit to --vcs-ref",
            )
        yield CheckedOutTemplate(clone / inner_path, _head_version(clone))


def _check_out(clone: Path, vcs_ref: str) -> bool:
    """Check out the commit `vcs_ref` names; it is resolved first, so it is never an option."""
    # A branch other than the default one exists in a fresh clone only as `origin/<name>`.
    for candidate in (vcs_ref, f"origin/{vcs_ref}"):
        resolved = _git(
            clone, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{candidate}^{{commit}}"
        )
        commit = resolved.stdout.strip()
        if resolved.returncode == 0 and commit:
            return _git(clone, "checkout", "--quiet", "--detach", commit).returncode == 0
    return False


def _repository_root(folder: Path) -> Path | None:
    if shutil.which("git") is None or not folder.is_dir():
        return None
    if is_outside_git(folder):
        return None  # git would look for the same `.git` entries and find none: no process
    shown = _git(folder, "rev-parse", "--show-toplevel", check=False)
    return Path(shown.stdout.strip()).resolve() if shown.returncode == 0 else None


def is_outside_git(folder: Path) -> bool:
    """Whether git would find no repository for `folder`, told without running git.

    True when `GIT_DIR` is unset and neither `folder` nor a folder above it holds
    a `.git` entry (folder or `gitdir:` file); git searches the same entries.
    """
    if "GIT_DIR" in os.environ:
        return False
    resolved = folder.resolve()
    return not any(os.path.lexists(parent / ".git") for parent in (resolved, *resolved.parents))


def _head_version(folder: Path) -> str | None:
    """The highest tag on HEAD (as copier records versions), else HEAD's commit id."""
    tags = _git(folder, "tag", "--points-at", "HEAD", "--sort=-v:refname").stdout.split()
    if tags:
        return tags[0]
    shown = _git(folder, "rev-parse", "--verify", "--quiet", "HEAD", check=False)
    return shown.stdout.strip() or None


def _git(cwd: Path, *args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [require_git(), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=check,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},  # fail, never hang on a password prompt
    )


def _last_line(completed: subprocess.CompletedProcess[str]) -> str:
    lines = [line.strip() for line in (completed.stderr or completed.stdout).splitlines()]
    lines = [line for line in lines if line]
    return lines[-1] if lines else f"exit code {completed.returncode}"
