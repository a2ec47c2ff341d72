"""Objects written in quarantine never reach the project's object store."""

from __future__ import annotations

import subprocess
from pathlib import Path

from scaffold.git.quarantine import quarantined_objects
from tests.helpers import build_file_tree, commit_all


def has_object(project: Path, object_id: str) -> bool:
    found = subprocess.run(["git", "cat-file", "-e", object_id], cwd=project, check=False)
    return found.returncode == 0


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
