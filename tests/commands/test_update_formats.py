"""`scaffold update --format json|markdown`: the machine-readable summary and the PR body."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scaffold.commands.new import new_project
from tests.commands.test_update import commit, edit, make_versioned_template
from tests.helpers import run_scaffold


@pytest.fixture
def project_v1(tmp_path: Path) -> Path:
    template = make_versioned_template(tmp_path / "template")
    project = tmp_path / "project"
    new_project(project, template=str(template), vcs_ref="v1.0.0")
    return project


def test_update_json_lists_versions_counts_and_conflicts(project_v1: Path) -> None:
    edit(project_v1, "setup.cfg", "key = 1", "key = 99")
    commit(project_v1)
    completed = run_scaffold("update", "--format", "json", str(project_v1), cwd=project_v1.parent)
    assert completed.returncode == 1, completed.stderr
    summary = json.loads(completed.stdout)
    assert (summary["version_from"], summary["version_to"]) == ("v1.0.0", "v2.0.0")
    assert summary["conflicts"] == ["setup.cfg"]
    assert summary["counts"]["conflicted"] == 1
    assert summary["counts"]["added"] == 1
    outcomes = {entry["path"]: entry["outcome"] for entry in summary["files"]}
    assert outcomes["NEW.md"] == "added"
    assert summary["up_to_date"] is False


def test_update_json_dry_run_prints_no_diff_and_changes_nothing(project_v1: Path) -> None:
    completed = run_scaffold(
        "update", "--dry-run", "--format", "json", str(project_v1), cwd=project_v1.parent
    )
    assert completed.returncode == 0, completed.stderr
    summary = json.loads(completed.stdout)  # a diff before the JSON would break this
    assert summary["dry_run"] is True
    assert not (project_v1 / "NEW.md").exists()


def test_update_markdown_has_title_versions_table_and_conflict_checklist(project_v1: Path) -> None:
    edit(project_v1, "setup.cfg", "key = 1", "key = 99")
    commit(project_v1)
    completed = run_scaffold(
        "update", "--format", "markdown", str(project_v1), cwd=project_v1.parent
    )
    assert completed.returncode == 1
    body = completed.stdout
    assert "**v1.0.0 → v2.0.0**" in body
    assert "| conflicted | 1 |" in body
    assert "- [ ] `setup.cfg`" in body
    assert "with conflict markers" in body


def test_update_markdown_says_up_to_date_when_nothing_changes(project_v1: Path) -> None:
    run_scaffold("update", str(project_v1), cwd=project_v1.parent)
    commit(project_v1, "take the update")
    completed = run_scaffold(
        "update", "--format", "markdown", str(project_v1), cwd=project_v1.parent
    )
    assert completed.returncode == 0, completed.stderr
    assert "is up to date with" in completed.stdout
