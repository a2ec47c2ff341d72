"""`scaffold link`: adopting cruft, hand-made and freshly cloned projects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from scaffold.commands.link import link_project
from scaffold.commands.new import new_project
from scaffold.errors import DestinationError, ScaffoldError
from scaffold.git.repository import PRISTINE_REF
from tests.cookiecutter_templates import build_git_cookiecutter_template
from tests.helpers import build_file_tree, commit_all, git, run_scaffold, tree_contents

ANSWERS_FILE = ".copier-answers.yml"


def recorded(project: Path) -> dict:
    return yaml.safe_load((project / ANSWERS_FILE).read_text())


def pristine_files(project: Path) -> list[str]:
    return git(project, "ls-tree", "-r", "--name-only", PRISTINE_REF).split()


def pristine_text(project: Path, path: str) -> str:
    return git(project, "show", f"{PRISTINE_REF}:{path}")


@pytest.fixture
def cookiecutter_repo(tmp_path: Path) -> Path:
    return build_git_cookiecutter_template(tmp_path / "template")


@pytest.fixture
def cruft_project(tmp_path: Path, cookiecutter_repo: Path, monkeypatch) -> Path:
    """A project made by `cruft create` at v1.0.0, then committed to git by its owner."""
    from cruft import create

    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # cruft's cookiecutter replay goes here
    project = create(
        str(cookiecutter_repo),
        output_dir=tmp_path / "made-by-cruft",
        checkout="v1.0.0",
        extra_context={"project_name": "Churn Model"},
        no_input=True,
    )
    commit_all(project, "Project made with cruft")
    return project


def test_link_cruft_project_records_cruft_template_commit_and_answers(
    cruft_project: Path, cookiecutter_repo: Path
) -> None:
    cruft_record = json.loads((cruft_project / ".cruft.json").read_text())
    linked = link_project(cruft_project)
    record = recorded(cruft_project)
    assert record["_src_path"] == str(cookiecutter_repo.resolve())
    assert cruft_record["commit"] == git(cookiecutter_repo, "rev-parse", "v1.0.0").strip()
    assert record["_commit"] == "v1.0.0"  # the tag on cruft's commit, as copier records it
    assert record["_engine"] == "cookiecutter"
    assert record["project_name"] == "Churn Model"
    assert record["project_slug"] == "churn_model"
    assert linked.record_origin == ".cruft.json"
    assert linked.template_version == "v1.0.0"


def test_link_cruft_project_pristine_ref_is_the_template_render_at_cruft_commit(
    cruft_project: Path,
) -> None:
    linked = link_project(cruft_project)
    assert git(cruft_project, "rev-parse", PRISTINE_REF).strip() == linked.pristine_commit
    assert git(cruft_project, "rev-list", "--count", PRISTINE_REF).strip() == "1"  # parentless
    assert "CHANGELOG.md" not in pristine_files(cruft_project)  # v1 had none
    assert pristine_text(cruft_project, "README.md") == (cruft_project / "README.md").read_text()
    assert pristine_text(cruft_project, ANSWERS_FILE) == (cruft_project / ANSWERS_FILE).read_text()
    assert linked.differing_paths == []  # cruft's own record is not a difference


def test_link_commits_only_the_answers_record_and_leaves_work_tree_clean(
    cruft_project: Path,
) -> None:
    files_before = tree_contents(cruft_project)
    head_before = git(cruft_project, "rev-parse", "HEAD").strip()
    linked = link_project(cruft_project)
    assert git(cruft_project, "status", "--porcelain") == ""
    assert git(cruft_project, "rev-parse", "HEAD~1").strip() == head_before
    assert linked.commit == git(cruft_project, "rev-parse", "HEAD").strip()
    changed = git(cruft_project, "diff", "--name-only", head_before, "HEAD").split()
    assert changed == [ANSWERS_FILE]
    files_after = tree_contents(cruft_project)
    del files_after[ANSWERS_FILE]
    assert files_after == files_before


def test_link_hand_made_project_with_template_version_and_answers(
    tmp_path: Path, cookiecutter_repo: Path
) -> None:
    project = build_file_tree(
        tmp_path / "hand-made",
        {
            "README.md": "# Spam Filter\n\nLicence: MIT\nMy own words.\n",
            "src/spam_filter/__init__.py": '"""Spam Filter."""\n',
            "notes.txt": "mine\n",
        },
    )
    commit_all(project, "Hand-made project")
    linked = link_project(
        project,
        template=str(cookiecutter_repo),
        vcs_ref="v1.0.0",
        data=["project_name=Spam Filter"],
    )
    record = recorded(project)
    assert record["_commit"] == "v1.0.0"
    assert record["project_slug"] == "spam_filter"
    assert linked.record_origin == ""
    assert "README.md" in linked.differing_paths  # the user's words differ from the template
    assert "notes.txt" in linked.differing_paths
    assert "src/spam_filter/__init__.py" not in linked.differing_paths
    assert pristine_text(project, "README.md").startswith("# Spam Filter\n\nLicence: MIT\n")


def test_link_hand_made_project_without_template_is_refused(tmp_path: Path) -> None:
    project = build_file_tree(tmp_path / "hand-made", {"README.md": "hi\n"})
    commit_all(project, "Hand-made project")
    with pytest.raises(ScaffoldError, match="records no template") as caught:
        link_project(project)
    assert "--template" in caught.value.hint


def test_link_restores_pristine_ref_in_a_fresh_clone(tmp_path: Path, git_template: Path) -> None:
    original = tmp_path / "original"
    new_project(original, template=str(git_template), data=["name=demo"])
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(original), str(clone))
    assert git(clone, "for-each-ref", "refs/scaffold") == ""  # refs/scaffold/* do not travel
    linked = link_project(clone)
    assert linked.commit is None  # the record was already committed
    assert linked.differing_paths == []
    original_tree = git(original, "rev-parse", f"{PRISTINE_REF}^{{tree}}").strip()
    assert git(clone, "rev-parse", f"{PRISTINE_REF}^{{tree}}").strip() == original_tree


def test_link_refuses_folder_that_is_not_a_git_repository(tmp_path: Path) -> None:
    project = build_file_tree(tmp_path / "plain", {"README.md": "hi\n"})
    with pytest.raises(DestinationError, match="not in a git repository") as caught:
        link_project(project, template="mlops")
    assert "git init" in caught.value.hint
    assert caught.value.exit_code == 2
    assert not (project / ANSWERS_FILE).exists()


def test_link_refuses_dirty_work_tree_and_changes_nothing(cruft_project: Path) -> None:
    (cruft_project / "README.md").write_text("edited, not committed\n")
    with pytest.raises(DestinationError, match="uncommitted changes"):
        link_project(cruft_project)
    assert not (cruft_project / ANSWERS_FILE).exists()
    assert git(cruft_project, "for-each-ref", "refs/scaffold") == ""


def test_link_refuses_project_already_managed_by_scaffold(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    new_project(project)
    with pytest.raises(DestinationError, match="already managed"):
        link_project(project)


def test_link_cli_reports_non_git_folder_in_one_line_with_exit_2(tmp_path: Path) -> None:
    project = build_file_tree(tmp_path / "plain", {"README.md": "hi\n"})
    completed = run_scaffold("link", str(project), "--template", "mlops", cwd=tmp_path)
    assert completed.returncode == 2
    assert "not in a git repository" in completed.stderr
    assert len(completed.stderr.strip().splitlines()) == 1


def test_link_cli_links_cruft_project(cruft_project: Path) -> None:
    completed = run_scaffold("link", str(cruft_project), cwd=cruft_project)
    assert completed.returncode == 0, completed.stderr
    assert "answers from .cruft.json" in completed.stdout
    assert "0 file(s) differ" in completed.stdout


def test_diff_after_linking_a_cruft_project_shows_no_change(cruft_project: Path) -> None:
    from scaffold.commands.diff import project_diff

    link_project(cruft_project)
    result = project_diff(cruft_project)
    assert (result.changed_paths, result.diff) == ([], "")
