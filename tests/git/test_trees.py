"""Commit trees read with plumbing (modes, symlinks, no export attributes); object quarantine."""

from __future__ import annotations

import os
from pathlib import Path

from scaffold.git.quarantine import quarantined_objects
from scaffold.git.repository import run_git
from scaffold.git.trees import read_commit_entries, regular_file, symlink
from tests.helpers import build_file_tree, commit_all, git


def test_commit_entries_keep_modes_symlinks_and_export_placeholders(tmp_path: Path) -> None:
    repo = build_file_tree(
        tmp_path / "repo",
        {
            ".gitattributes": "VERSION export-subst\nhidden.txt export-ignore\n",
            "VERSION": "$Format:%H$\n",
            "hidden.txt": "h\n",
            "bin/run": "echo\n",
        },
    )
    (repo / "bin" / "run").chmod(0o755)
    os.symlink("bin/run", repo / "run")
    commit_all(repo, "one")
    entries = read_commit_entries(repo, "HEAD")
    assert entries["VERSION"] == regular_file(b"$Format:%H$\n")
    assert entries["hidden.txt"] == regular_file(b"h\n")
    assert entries["bin/run"] == regular_file(b"echo\n", executable=True)
    assert entries["run"] == symlink("bin/run")


def test_quarantined_objects_stay_out_of_the_repository(tmp_path: Path) -> None:
    repo = build_file_tree(tmp_path / "repo", {"a.txt": "a\n"})
    commit_all(repo, "one")
    objects_before = sorted(p.name for p in (repo / ".git" / "objects").rglob("*"))
    with quarantined_objects(repo) as environment:
        blob = run_git(repo, "hash-object", "-w", "--stdin", stdin="new\n", env=environment)
        assert run_git(repo, "cat-file", "-p", blob.strip(), env=environment) == "new\n"
        assert run_git(repo, "cat-file", "-p", "HEAD:a.txt", env=environment) == "a\n"
    assert sorted(p.name for p in (repo / ".git" / "objects").rglob("*")) == objects_before
    assert git(repo, "cat-file", "-t", "HEAD") == "commit\n"
