"""`scaffold fleet status` and `check` on the test fleet: versions the org allows, answers files."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.commands.fleet import run_fleet
from scaffold.fleet.results import State
from scaffold.project.orgconfig import OrgConfig
from tests.fleet.fleet_builder import Fleet
from tests.helpers import build_file_tree, commit_all, git

pytestmark = pytest.mark.slow


def test_status_targets_the_newest_version_the_org_allows(
    built_fleet: Fleet, tmp_path: Path
) -> None:
    result = run_fleet(
        "status",
        org=OrgConfig(template_source=str(built_fleet.template), template_version="<3"),
        fleet_file=built_fleet.fleet_file,
        cache=tmp_path / "cache", jobs=2,
    )  # fmt: skip
    by_name = {project.name: project for project in result.projects}
    for name, version in built_fleet.version_of.items():
        project = by_name[name]
        assert project.target_version == "2.0.0"
        expected = State.OUTDATED if version == "1.0.0" else State.CURRENT
        assert project.state is expected, name
        assert project.versions_behind == (1 if version == "1.0.0" else 0)


def test_status_and_update_follow_the_answers_file_an_entry_names(
    built_fleet: Fleet, tmp_path: Path
) -> None:
    repository = build_file_tree(
        tmp_path / "two-templates",
        {
            ".copier-answers.serving.yml": f"_src_path: {built_fleet.template}\n_commit: 1.0.0\n",
            "README.md": "a project holding two templates\n",
        },
    )
    commit_all(repository, "two templates")
    fleet_file = tmp_path / "fleet.txt"
    fleet_file.write_text(f"{repository} .copier-answers.serving.yml\n")
    org = built_fleet.org
    status = run_fleet("status", org=org, fleet_file=fleet_file, cache=tmp_path / "cache", jobs=1)
    project = status.projects[0]
    assert (project.state, project.version, project.target_version) == (
        State.OUTDATED, "1.0.0", "3.0.0",
    )  # fmt: skip
    update = run_fleet("update", org=org, fleet_file=fleet_file, cache=tmp_path / "cache", jobs=1)
    updated = update.projects[0]
    assert updated.state in (State.UPDATED, State.CONFLICTED), updated.error
    branch = f"scaffold/update-{project.target_version}"
    record = git(repository, "show", f"{branch}:.copier-answers.serving.yml")
    assert "_commit: 3.0.0" in record  # the named record moved on
    listed = git(repository, "ls-tree", "--name-only", branch).split()
    assert ".copier-answers.yml" not in listed  # no second record written


def test_check_reports_failed_rules_per_project_with_exit_code_one(
    built_fleet: Fleet, tmp_path: Path
) -> None:
    result = run_fleet(
        "check", org=built_fleet.org, fleet_file=built_fleet.fleet_file,
        cache=tmp_path / "cache", jobs=2, select=("SCF-S001", "SCF-H001"),
    )  # fmt: skip
    assert result.exit_code == 1
    assert {rule.id for rule in result.rules} == {"SCF-S001", "SCF-H001"}
    checked = [project for project in result.projects if project.check is not None]
    assert len(checked) == len(built_fleet.remotes) - 2  # all but the two refused hostile ones
    assert all(project.failed_rules == ("SCF-S001",) for project in checked)
    hostile = next(project for project in result.projects if project.name == built_fleet.hostile)
    assert hostile.state is State.FAILED and hostile.check is None
