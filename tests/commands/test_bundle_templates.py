"""A git bundle file as the template source of new, update, diff and status (as copier allows)."""

from __future__ import annotations

from pathlib import Path

from scaffold.commands.diff import project_diff
from scaffold.commands.new import new_project
from scaffold.commands.status import project_statuses
from scaffold.commands.update import update_project
from tests.helpers import git, run_scaffold


def test_project_from_a_git_bundle_is_created_diffed_reported_and_updated(
    tmp_path: Path, git_template: Path
) -> None:
    bundle = tmp_path / "template.bundle"
    git(git_template, "bundle", "create", "-q", str(bundle), "--all")
    project = tmp_path / "project"
    created = run_scaffold(
        "new", str(project), "-t", str(bundle), "--vcs-ref", "v1.0.0", cwd=tmp_path
    )
    assert created.returncode == 0, created.stderr
    assert f"_src_path: {bundle.resolve()}" in (project / ".copier-answers.yml").read_text()
    assert project_diff(project).changed_paths == []
    [status] = project_statuses([project])
    assert (status.version, status.latest_version, status.outdated) == ("v1.0.0", "v2.0.0", True)
    result = update_project(project)
    assert (result.version_from, result.version_to) == ("v1.0.0", "v2.0.0")
    assert (project / "README.md").read_text().endswith("v2\n")


def test_new_from_a_git_bundle_without_vcs_ref_takes_its_head(
    tmp_path: Path, git_template: Path
) -> None:
    bundle = tmp_path / "template.bundle"
    git(git_template, "bundle", "create", "-q", str(bundle), "--all")
    created = new_project(tmp_path / "p", template=str(bundle))
    assert created.template_version == "v2.0.0"
