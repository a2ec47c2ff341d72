"""`scaffold update`, `diff` and `status` on projects made from cookiecutter templates."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scaffold.commands.diff import project_diff
from scaffold.commands.link import link_project
from scaffold.commands.new import new_project
from scaffold.commands.status import project_status
from scaffold.commands.update import update_project
from tests.cookiecutter_templates import build_git_cookiecutter_template
from tests.helpers import build_file_tree, commit_all, git

ANSWERS_FILE = ".copier-answers.yml"


@pytest.fixture
def cookiecutter_repo(tmp_path: Path) -> Path:
    return build_git_cookiecutter_template(tmp_path / "template")


def edit_like_a_user(project: Path) -> None:
    readme = (project / "README.md").read_text()
    (project / "README.md").write_text(
        readme.replace("# Fraud Detector", "# Fraud Detector (team)")
    )
    build_file_tree(project, {"notes.md": "my notes\n"})
    commit_all(project, "User edits")


def test_update_cookiecutter_project_to_next_version_keeps_user_edits(
    tmp_path: Path, cookiecutter_repo: Path
) -> None:
    project = tmp_path / "proj"
    new_project(
        project,
        template=str(cookiecutter_repo),
        vcs_ref="v1.0.0",
        data=["project_name=Fraud Detector"],
    )
    edit_like_a_user(project)

    result = update_project(project)

    assert result.conflicts == []
    assert (result.version_from, result.version_to) == ("v1.0.0", "v2.0.0")
    readme = (project / "README.md").read_text()
    assert readme.startswith("# Fraud Detector (team)\n")  # the user's edit
    assert "pip install fraud_detector" in readme  # the template's change
    assert (project / "CHANGELOG.md").read_text() == "# Changes to Fraud Detector\n"
    assert (project / "notes.md").read_text() == "my notes\n"
    record = yaml.safe_load((project / ANSWERS_FILE).read_text())
    assert record["_commit"] == "v2.0.0"
    assert record["_engine"] == "cookiecutter"
    assert record["project_slug"] == "fraud_detector"


def test_diff_and_status_of_cookiecutter_project(tmp_path: Path, cookiecutter_repo: Path) -> None:
    project = tmp_path / "proj"
    new_project(
        project,
        template=str(cookiecutter_repo),
        vcs_ref="v1.0.0",
        data=["project_name=Fraud Detector"],
    )
    edit_like_a_user(project)
    assert sorted(project_diff(project).changed_paths) == ["README.md", "notes.md"]
    status = project_status(project)
    assert (status.version, status.latest_version, status.outdated) == ("v1.0.0", "v2.0.0", True)

    update_project(project)
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "--message", "Update template")
    assert project_status(project).outdated is False


def test_update_after_linking_a_cruft_project_keeps_user_edits(
    tmp_path: Path, cookiecutter_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cruft import create

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    project = create(
        str(cookiecutter_repo),
        output_dir=tmp_path / "made-by-cruft",
        checkout="v1.0.0",
        extra_context={"project_name": "Fraud Detector"},
        no_input=True,
    )
    commit_all(project, "Project made with cruft")
    edit_like_a_user(project)
    link_project(project)

    result = update_project(project)

    assert result.conflicts == []
    readme = (project / "README.md").read_text()
    assert readme.startswith("# Fraud Detector (team)\n")
    assert "pip install fraud_detector" in readme
    assert (project / "CHANGELOG.md").is_file()
    assert (project / ".cruft.json").is_file()  # cruft's own file is the user's business
