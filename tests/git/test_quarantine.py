"""Objects written in quarantine stay out of the project until kept, then are all there."""

from __future__ import annotations

import subprocess
from pathlib import Path

from scaffold.git.quarantine import keep_quarantined_objects, quarantined_objects
from tests.helpers import build_file_tree, commit_all, git


def has_object(project: Path, object_id: str) -> bool:
    found = subprocess.run(["git", "cat-file", "-e", object_id], cwd=project, check=False)
    return found.returncode == 0


def test_kept_objects_move_into_the_project_and_others_stay_out(tmp_path: Path) -> None:
    project = build_file_tree(tmp_path / "project", {"README.md": "# demo\n"})
    commit_all(project, "first")
    existing = git(project, "rev-parse", "HEAD:README.md").strip()
    with quarantined_objects(project) as quarantine:
        written = (
            subprocess.run(
                ["git", "hash-object", "-w", "--stdin"],
                cwd=project,
                input=b"made in quarantine\n",
                capture_output=True,
                env=quarantine,
                check=True,
            )
            .stdout.decode()
            .strip()
        )
        assert not has_object(project, written)
        keep_quarantined_objects(quarantine)
    assert has_object(project, written)
    assert has_object(project, existing)
    assert git(project, "fsck", "--no-dangling").strip() == ""


def test_objects_not_kept_vanish_with_the_quarantine(tmp_path: Path) -> None:
    project = build_file_tree(tmp_path / "project", {"README.md": "# demo\n"})
    commit_all(project, "first")
    with quarantined_objects(project) as quarantine:
        written = (
            subprocess.run(
                ["git", "hash-object", "-w", "--stdin"],
                cwd=project,
                input=b"thrown away\n",
                capture_output=True,
                env=quarantine,
                check=True,
            )
            .stdout.decode()
            .strip()
        )
    assert not has_object(project, written)
