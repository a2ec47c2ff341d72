"""`scaffold new` as a library function: rendering, recording, refusing bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scaffold.commands.new import new_project
from scaffold.errors import (
    DestinationError,
    InvalidAnswerError,
    ScaffoldError,
    TemplateError,
    UntrustedTemplateError,
)
from scaffold.git.repository import PRISTINE_REF
from tests.helpers import build_file_tree, commit_all, git, tree_contents


def recorded(project: Path) -> dict:
    return yaml.safe_load((project / ".copier-answers.yml").read_text())


def test_new_builtin_default_records_template_version_and_answers(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    created = new_project(project, data=["project_name=Fraud Detector"])
    record = recorded(project)
    assert record["_src_path"] == "builtin:mlops"
    assert record["_commit"] == created.template_version
    assert record["package_name"] == "fraud_detector"
    assert record["ml_framework"] == "sklearn"
    assert "project_slug" not in record  # computed, not an answer


def test_new_commits_project_and_marks_pristine_ref(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    created = new_project(project)
    assert git(project, "rev-parse", "HEAD").strip() == created.commit
    assert git(project, "rev-parse", PRISTINE_REF).strip() == created.commit
    assert git(project, "status", "--porcelain") == ""


def test_new_same_answers_give_byte_identical_trees(tmp_path: Path) -> None:
    answers = ["project_name=Same", "ml_framework=pytorch"]
    new_project(tmp_path / "a", data=answers, use_git=False)
    new_project(tmp_path / "b", data=answers, use_git=False)
    assert tree_contents(tmp_path / "a") == tree_contents(tmp_path / "b")


def test_new_no_git_leaves_no_repository(tmp_path: Path) -> None:
    created = new_project(tmp_path / "proj", use_git=False)
    assert created.commit is None
    assert not (tmp_path / "proj" / ".git").exists()


def test_new_refuses_non_empty_destination_and_keeps_its_files(tmp_path: Path) -> None:
    project = build_file_tree(tmp_path / "proj", {"notes.txt": "mine"})
    with pytest.raises(DestinationError, match="not empty"):
        new_project(project)
    assert tree_contents(project) == {"notes.txt": b"mine"}


def test_new_accepts_existing_empty_destination(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    new_project(project, use_git=False)
    assert (project / ".copier-answers.yml").is_file()


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("package_name=1bad", "lowercase Python identifier"),
        ("package_name=class", "lowercase Python identifier"),
        ("ml_framework=tensorflow", "Invalid choice"),
        ("python_version=2.7", "Invalid choice"),
        ("author_email=nobody", "not an e-mail"),
        ("dvc_remote_url=/abs/path", "relative path"),
    ],
)
def test_new_rejects_invalid_answer_and_leaves_nothing(
    tmp_path: Path, answer: str, message: str
) -> None:
    with pytest.raises(InvalidAnswerError, match=message):
        new_project(tmp_path / "proj", data=[answer])
    assert list(tmp_path.iterdir()) == []


def test_new_rejects_unknown_question(tmp_path: Path) -> None:
    with pytest.raises(InvalidAnswerError, match="unknown question.*colour"):
        new_project(tmp_path / "proj", data=["colour=red"])
    assert list(tmp_path.iterdir()) == []


def test_new_rejects_data_without_equals(tmp_path: Path) -> None:
    with pytest.raises(InvalidAnswerError, match="KEY=VALUE"):
        new_project(tmp_path / "proj", data=["just-a-word"])


def test_new_renders_local_copier_template(tmp_path: Path, small_template: Path) -> None:
    project = tmp_path / "proj"
    new_project(project, template=str(small_template), data=["name=widget", "flavour=fancy"])
    assert (project / "src" / "widget.py").read_text() == 'NAME = "widget"\n'
    assert "flavour: fancy" in (project / "README.md").read_text()
    assert recorded(project)["_src_path"] == str(small_template.resolve())


def test_new_git_template_uses_latest_tag_by_default(tmp_path: Path, git_template: Path) -> None:
    project = tmp_path / "proj"
    created = new_project(project, template=str(git_template))
    assert created.template_version == "v2.0.0"
    assert (project / "README.md").read_text().endswith("v2\n")


def test_new_git_template_honours_vcs_ref(tmp_path: Path, git_template: Path) -> None:
    project = tmp_path / "proj"
    new_project(project, template=str(git_template), vcs_ref="v1.0.0")
    assert recorded(project)["_commit"] == "v1.0.0"
    assert "v2" not in (project / "README.md").read_text()


def test_new_unknown_vcs_ref_is_a_template_error(tmp_path: Path, git_template: Path) -> None:
    with pytest.raises(TemplateError):
        new_project(tmp_path / "proj", template=str(git_template), vcs_ref="v9.9.9")
    assert not (tmp_path / "proj").exists()


def test_new_answers_file_supplies_answers_and_data_overrides_it(
    tmp_path: Path, small_template: Path
) -> None:
    answers_file = tmp_path / "answers.yml"
    answers_file.write_text("_src_path: elsewhere\nname: fromfile\nflavour: fancy\n")
    project = tmp_path / "proj"
    new_project(
        project, template=str(small_template), answers_file=answers_file, data=["flavour=plain"]
    )
    assert recorded(project)["name"] == "fromfile"
    assert recorded(project)["flavour"] == "plain"


@pytest.mark.parametrize(
    ("content", "message"),
    [("name: [unclosed\n", "not valid YAML"), ("- a\n- b\n", "must hold a mapping")],
)
def test_new_malformed_answers_file_is_refused(
    tmp_path: Path, small_template: Path, content: str, message: str
) -> None:
    answers_file = tmp_path / "answers.yml"
    answers_file.write_text(content)
    with pytest.raises(ScaffoldError, match=message):
        new_project(tmp_path / "proj", template=str(small_template), answers_file=answers_file)
    assert not (tmp_path / "proj").exists()


def test_new_missing_answers_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ScaffoldError, match="cannot read answers file"):
        new_project(tmp_path / "proj", answers_file=tmp_path / "missing.yml")


def test_new_unknown_template_names_the_choices(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="not found") as caught:
        new_project(tmp_path / "proj", template="no-such-template")
    assert "mlops" in caught.value.hint


def test_new_template_that_fails_to_render_leaves_nothing(tmp_path: Path) -> None:
    broken = build_file_tree(
        tmp_path / "broken",
        {"copier.yml": "name:\n  default: x\n", "file.txt.jinja": "{{ name | no_such_filter }}"},
    )
    project = tmp_path / "out" / "proj"
    with pytest.raises(TemplateError, match="failed to render"):
        new_project(project, template=str(broken))
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_new_untrusted_template_with_tasks_is_refused_then_runs_with_trust(
    tmp_path: Path,
) -> None:
    with_tasks = build_file_tree(
        tmp_path / "tasks",
        {"copier.yml": "_tasks:\n  - touch task-ran\n", "README.md": "hello\n"},
    )
    with pytest.raises(UntrustedTemplateError, match="wants to run code"):
        new_project(tmp_path / "refused", template=str(with_tasks))
    assert not (tmp_path / "refused").exists()
    new_project(tmp_path / "trusted", template=str(with_tasks), trust=True, use_git=False)
    assert (tmp_path / "trusted" / "task-ran").exists()


def test_new_git_template_records_commit_for_untagged_repo(tmp_path: Path) -> None:
    repo = build_file_tree(tmp_path / "repo", {"copier.yml": "x:\n  default: 1\n", "a.txt": "a"})
    commit_all(repo, "only commit")
    project = tmp_path / "proj"
    created = new_project(project, template=str(repo))
    assert created.template_version is not None
    assert (project / "a.txt").read_text() == "a"


def test_new_next_steps_follow_the_projects_makefile(tmp_path: Path, small_template: Path) -> None:
    builtin = new_project(tmp_path / "ml", use_git=False)
    assert builtin.next_steps.endswith("&& make setup && make pipeline && make test")
    other = new_project(tmp_path / "other", template=str(small_template), use_git=False)
    assert other.next_steps == f"cd {tmp_path / 'other'}"


@pytest.mark.parametrize(
    ("project_name", "package_name"),
    [("3D Vision", "p3d_vision"), ("2024 Forecast!", "p2024_forecast"), ("Churn", "churn")],
)
def test_new_builtin_derives_a_valid_package_name_from_any_project_name(
    tmp_path: Path, project_name: str, package_name: str
) -> None:
    project = tmp_path / "proj"
    new_project(project, data=[f"project_name={project_name}"], use_git=False)
    assert recorded(project)["package_name"] == package_name
    assert (project / "src" / package_name / "__init__.py").is_file()


def test_new_builtin_derived_package_name_can_be_overridden(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    new_project(project, data=["project_name=3D Vision", "package_name=vision3d"], use_git=False)
    assert recorded(project)["package_name"] == "vision3d"
