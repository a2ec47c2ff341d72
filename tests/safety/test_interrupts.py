"""Guarantee 3: an interrupt (SIGINT, SIGTERM) or a failure midway leaves everything as it was.

The CLI runs in a subprocess (`pause_driver.py`) that stops at a chosen
point: the test waits for it to get there, sends the signal, and compares the
destination or project with what it was before.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import GIT_IDENTITY, git, tree_contents
from tests.safety.support import copier_template, generated_project, tagged_template

DRIVER = Path(__file__).with_name("pause_driver.py")
REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 90
DISK_FULL = "error: No space left on device (injected): disk (free space on the disk holding disk)"


def start(point: str, action: str, tmp_path: Path, *args: str, env: dict[str, str] | None = None):
    marker = tmp_path / f"reached-{point}"
    process = subprocess.Popen(
        [sys.executable, str(DRIVER), point, action, str(marker), "--", *args],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **GIT_IDENTITY, "PYTHONPATH": str(REPOSITORY_ROOT), **(env or {})},
    )
    return process, marker


def interrupt_at(point: str, signum: int, tmp_path: Path, *args: str, **kwargs) -> tuple[int, str]:
    """Run scaffold until it reaches `point`, send `signum`; return exit code and stderr."""
    process, marker = start(point, "pause", tmp_path, *args, **kwargs)
    deadline = time.monotonic() + WAIT_SECONDS
    while not marker.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"never reached {point}: {process.communicate()}")
        time.sleep(0.05)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=WAIT_SECONDS)
    return process.returncode, stderr


def project_state(project: Path) -> tuple[object, ...]:
    """Work tree (tracked and untracked), index, refs and status of a project."""
    return (
        tree_contents(project),
        git(project, "ls-files", "--stage"),
        git(project, "show-ref"),
        git(project, "status", "--porcelain", "--untracked-files=all"),
    )


@pytest.fixture
def slow_template(tmp_path: Path) -> Path:
    return copier_template(tmp_path / "tpl", files={f"f{index}.txt": "x\n" for index in range(5)})


@pytest.mark.parametrize(
    ("point", "signum"),
    [
        ("new-after-render", signal.SIGINT),
        ("new-after-render", signal.SIGTERM),
        ("new-git-commit", signal.SIGTERM),
        ("new-before-move", signal.SIGINT),
    ],
)
def test_new_interrupted_leaves_no_destination_and_no_staging(
    tmp_path: Path, slow_template: Path, point: str, signum: int
) -> None:
    parent = tmp_path / "parent"
    parent.mkdir()
    code, stderr = interrupt_at(
        point, signum, tmp_path, "new", str(parent / "dest"), "--template", str(slow_template)
    )
    assert (code, stderr.strip()) == (
        130,
        "interrupted: stopped before finishing; anything half-written was put back",
    )
    assert list(parent.iterdir()) == []


@pytest.fixture
def outdated_project(tmp_path: Path) -> Path:
    """A project at 1.0.0 of a template whose 2.0.0 changes three files and adds one."""
    v1 = {"a.txt": "a1\n", "b.txt": "b1\n", "c.txt": "c1\n"}
    v2 = {"a.txt": "a2\n", "b.txt": "b2\n", "c.txt": "c2\n", "d.txt": "d2\n"}
    template = tagged_template(tmp_path / "tpl", [("", v1), ("", v2)])
    project = generated_project(tmp_path, template, "--vcs-ref", "1.0.0")
    (project / "untracked-notes.txt").write_text("mine\n")
    git(project, "add", "untracked-notes.txt")
    git(project, "commit", "-q", "-m", "notes")
    return project


@pytest.mark.parametrize(
    ("point", "signum"),
    [
        ("update-after-merge", signal.SIGTERM),
        ("update-write-2", signal.SIGINT),
        ("update-write-4", signal.SIGTERM),
        ("update-ref-move", signal.SIGINT),
    ],
)
def test_update_interrupted_leaves_project_exactly_as_it_was(
    tmp_path: Path, outdated_project: Path, point: str, signum: int
) -> None:
    before = project_state(outdated_project)
    code, stderr = interrupt_at(
        point,
        signum,
        tmp_path,
        "update",
        str(outdated_project),
        env={"SCAFFOLD_TEST_PROJECT": str(outdated_project)},
    )
    assert (code, stderr.strip()) == (
        130,
        "interrupted: stopped before finishing; anything half-written was put back",
    )
    assert project_state(outdated_project) == before


def test_update_failing_midway_writes_puts_every_file_back(
    tmp_path: Path, outdated_project: Path
) -> None:
    before = project_state(outdated_project)
    process, marker = start(
        "update-write-3",
        "fail",
        tmp_path,
        "update",
        str(outdated_project),
        env={"SCAFFOLD_TEST_PROJECT": str(outdated_project)},
    )
    _, stderr = process.communicate(timeout=WAIT_SECONDS)
    assert marker.exists()
    assert process.returncode == 2
    assert stderr.strip() == DISK_FULL
    assert project_state(outdated_project) == before


def test_new_failing_in_git_leaves_no_destination(tmp_path: Path, slow_template: Path) -> None:
    parent = tmp_path / "parent"
    parent.mkdir()
    process, marker = start(
        "new-git-commit",
        "fail",
        tmp_path,
        "new",
        str(parent / "dest"),
        "--template",
        str(slow_template),
    )
    _, stderr = process.communicate(timeout=WAIT_SECONDS)
    assert marker.exists()
    assert (process.returncode, stderr.strip()) == (2, DISK_FULL)
    assert list(parent.iterdir()) == []


@pytest.mark.parametrize("action", ["pause", "fail"])
def test_update_stopped_while_writing_leaves_no_new_empty_folder(
    tmp_path: Path, action: str
) -> None:
    v1 = {"a.txt": "a1\n"}
    v2 = {"a.txt": "a2\n", "new/deep/b.txt": "b2\n", "z.txt": "z2\n"}
    template = tagged_template(tmp_path / "tpl", [("", v1), ("", v2)])
    project = generated_project(tmp_path, template, "--vcs-ref", "1.0.0")
    before = project_state(project)
    process, marker = start(
        "update-write-3",  # a.txt, new/deep/b.txt, then stop before z.txt
        action,
        tmp_path,
        "update",
        str(project),
        env={"SCAFFOLD_TEST_PROJECT": str(project)},
    )
    deadline = time.monotonic() + WAIT_SECONDS
    while action == "pause" and not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    if action == "pause":
        process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=WAIT_SECONDS)
    assert marker.exists()
    assert process.returncode == (130 if action == "pause" else 2), stderr
    assert project_state(project) == before
    assert not (project / "new").exists()


def test_update_interrupted_while_removing_its_scratch_folder_removes_it_whole(
    tmp_path: Path, outdated_project: Path
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    process, marker = start(
        "cleanup-scaffold-update-",
        "signal",
        tmp_path,
        "update",
        str(outdated_project),
        env={"TMPDIR": str(temporary)},
    )
    _, stderr = process.communicate(timeout=WAIT_SECONDS)
    assert marker.exists()
    assert (process.returncode, stderr.strip()) == (
        130,
        "interrupted: stopped before finishing; anything half-written was put back",
    )
    assert list(temporary.iterdir()) == []
