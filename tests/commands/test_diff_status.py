"""`scaffold diff` and `scaffold status`: the user's drift and how far behind a project is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scaffold.commands.diff import project_diff
from scaffold.commands.new import new_project
from scaffold.commands.status import project_status
from scaffold.errors import ScaffoldError
from tests.helpers import git, run_scaffold


def test_diff_is_empty_for_fresh_project(tmp_path: Path, small_template: Path) -> None:
    new_project(tmp_path / "p", template=str(small_template))
    result = project_diff(tmp_path / "p")
    assert result.diff == ""
    assert result.changed_paths == []


def test_diff_shows_committed_uncommitted_and_untracked_changes(
    tmp_path: Path, small_template: Path
) -> None:
    project = tmp_path / "p"
    new_project(project, template=str(small_template))
    (project / "README.md").write_text("# demo\nflavour: plain\nmy note\n")
    (project / "extra.txt").write_text("mine\n")
    result = project_diff(project)
    assert result.changed_paths == ["README.md", "extra.txt"]
    assert "+my note\n" in result.diff
    assert "+++ b/extra.txt" in result.diff


def test_diff_outside_project_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ScaffoldError, match="not a generated project"):
        project_diff(tmp_path)


def test_status_reports_outdated_git_template_with_exit_1(
    tmp_path: Path, git_template: Path
) -> None:
    project = tmp_path / "p"
    new_project(project, template=str(git_template), vcs_ref="v1.0.0")
    status = project_status(project)
    assert (status.version, status.latest_version, status.outdated) == ("v1.0.0", "v2.0.0", True)
    assert status.edited is False
    completed = run_scaffold("status", "--format", "json", str(project), cwd=tmp_path)
    assert completed.returncode == 1
    [entry] = json.loads(completed.stdout)
    assert entry["outdated"] is True
    assert entry["latest_version"] == "v2.0.0"


def test_status_current_builtin_project_with_edits(tmp_path: Path) -> None:
    project = tmp_path / "p"
    new_project(project)
    (project / "README.md").write_text("rewritten\n")
    git(project, "commit", "-qam", "edit")
    completed = run_scaffold("status", str(project), cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    header, row = completed.stdout.splitlines()[:2]
    assert header.split() == ["project", "template", "version", "latest", "edited", "state"]
    assert row.split()[1:] == ["builtin:mlops", *([row.split()[2]] * 2), "yes", "current"]


def test_status_compares_untagged_template_by_head_commit(tmp_path: Path) -> None:
    from tests.cookiecutter_templates import build_cookiecutter_template
    from tests.helpers import commit_all

    template = build_cookiecutter_template(tmp_path / "template")
    commit_all(template, "first")
    project = tmp_path / "p"
    new_project(project, template=str(template))
    first = project_status(project)
    head = git(template, "rev-parse", "HEAD").strip()
    assert (first.version, first.latest_version, first.outdated) == (head, head, False)
    (template / "NEWS.md").write_text("second commit\n")
    commit_all(template, "second")
    second = project_status(project)
    assert second.latest_version == git(template, "rev-parse", "HEAD").strip()
    assert second.outdated


def test_status_edited_ignores_new_files_such_as_pipeline_outputs(tmp_path: Path) -> None:
    project = tmp_path / "p"
    new_project(project)
    (project / "dvc.lock").write_text("schema: '2.0'\n")
    assert project_status(project).edited is False
    (project / "params.yaml").write_text("seed: 1\n")
    assert project_status(project).edited is True


def test_status_reports_each_project_and_exit_2_for_a_non_project(tmp_path: Path) -> None:
    new_project(tmp_path / "good")
    (tmp_path / "bad").mkdir()
    completed = run_scaffold("status", "good", "bad", cwd=tmp_path)
    assert completed.returncode == 2
    lines = completed.stdout.splitlines()
    assert lines[1].split()[:2] == ["good", "builtin:mlops"]
    assert "bad: " in completed.stdout and "is not a generated project" in completed.stdout


def test_commands_find_the_project_from_a_subfolder(tmp_path: Path) -> None:
    new_project(tmp_path / "p")
    inside = tmp_path / "p" / "src"
    assert project_status(inside).version is not None
    assert project_diff(inside).project == (tmp_path / "p").resolve()
    completed = run_scaffold("update", "--dry-run", cwd=inside)
    assert completed.returncode == 0, completed.stderr
    assert "is up to date" in completed.stdout


def test_missing_path_is_named_as_missing(tmp_path: Path) -> None:
    completed = run_scaffold("update", "nowhere", cwd=tmp_path)
    assert completed.returncode == 2
    assert "nowhere does not exist" in completed.stderr
