"""`scaffold update`: 3-way merge rules, conflicts, dry runs, refusals, unreachable old versions."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scaffold.commands.new import new_project
from scaffold.commands.update import DirtyTreeError, update_project
from scaffold.errors import InvalidAnswerError, ScaffoldError, UntrustedTemplateError
from scaffold.git.repository import PRISTINE_REF
from scaffold.update.merging import Outcome
from tests.helpers import build_file_tree, commit_all, git, run_scaffold, tree_contents

BODY = "".join(f"line {number}\n" for number in range(1, 21))

V1 = {
    "copier.yml": "name:\n  type: str\n  default: demo\n_answers_file: .copier-answers.yml\n",
    "{{ _copier_conf.answers_file }}.jinja": "{{ _copier_answers|to_nice_yaml -}}\n",
    "README.md.jinja": "# {{ name }}\n" + BODY,
    "setup.cfg": "[tool]\nkey = 1\n",
    "docs/guide.md": "guide v1\n",
    "obsolete.txt": "old file\n",
    "obsolete-edited.txt": "old file, edited later\n",
}
V2_CHANGES = {
    "copier.yml": V1["copier.yml"] + "colour:\n  type: str\n  default: blue\n",
    "README.md.jinja": "# {{ name }}\n" + BODY.replace("line 2\n", "line 2 (v2)\n"),
    "setup.cfg": "[tool]\nkey = 2\n",
    "docs/guide.md": "guide v2\n",
    "NEW.md.jinja": "colour: {{ colour }}\n",
}
V2_REMOVED = ("obsolete.txt", "obsolete-edited.txt")


def make_versioned_template(root: Path) -> Path:
    """A git copier template with tags v1.0.0 and v2.0.0."""
    repo = build_file_tree(root, V1)
    commit_all(repo, "v1", tag="v1.0.0")
    build_file_tree(repo, V2_CHANGES)
    for path in V2_REMOVED:
        (repo / path).unlink()
    commit_all(repo, "v2", tag="v2.0.0")
    return repo


@pytest.fixture
def template_repo(tmp_path: Path) -> Path:
    return make_versioned_template(tmp_path / "template")


@pytest.fixture
def project_v1(tmp_path: Path, template_repo: Path) -> Path:
    project = tmp_path / "project"
    new_project(project, template=str(template_repo), vcs_ref="v1.0.0")
    return project


def edit(project: Path, path: str, old: str, new: str) -> None:
    target = project / path
    target.write_text(target.read_text().replace(old, new))


def commit(project: Path, message: str = "user edits") -> None:
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", message)


def outcome_of(result, path: str) -> Outcome:
    return next(entry.outcome for entry in result.files if entry.path == path)


def test_update_keeps_user_edit_and_brings_template_change_to_same_file(project_v1: Path) -> None:
    edit(project_v1, "README.md", "line 15\n", "line 15 edited by user\n")
    commit(project_v1)
    result = update_project(project_v1)
    readme = (project_v1 / "README.md").read_text()
    assert "line 15 edited by user\n" in readme
    assert "line 2 (v2)\n" in readme
    assert outcome_of(result, "README.md") is Outcome.MERGED
    assert result.version_to == "v2.0.0"


def test_update_brings_template_change_to_untouched_file(project_v1: Path) -> None:
    result = update_project(project_v1)
    assert (project_v1 / "docs/guide.md").read_text() == "guide v2\n"
    assert outcome_of(result, "docs/guide.md") is Outcome.UPDATED


def test_update_keeps_file_the_user_deleted(project_v1: Path) -> None:
    (project_v1 / "docs/guide.md").unlink()
    commit(project_v1)
    result = update_project(project_v1)
    assert not (project_v1 / "docs/guide.md").exists()
    assert outcome_of(result, "docs/guide.md") is Outcome.KEPT


def test_update_restores_deleted_file_the_template_requires(tmp_path: Path) -> None:
    repo = build_file_tree(tmp_path / "template", V1)
    commit_all(repo, "v1", tag="v1.0.0")
    build_file_tree(
        repo,
        {
            "copier.yml": V1["copier.yml"] + "_scaffold_required_files: [docs/guide.md]\n",
            "docs/guide.md": "guide v2\n",
        },
    )
    commit_all(repo, "v2", tag="v2.0.0")
    project = tmp_path / "project"
    new_project(project, template=str(repo), vcs_ref="v1.0.0")
    (project / "docs/guide.md").unlink()
    commit(project)
    update_project(project)
    assert (project / "docs/guide.md").read_text() == "guide v2\n"


def test_update_adds_new_template_file_with_default_for_new_question(project_v1: Path) -> None:
    result = update_project(project_v1)
    assert (project_v1 / "NEW.md").read_text() == "colour: blue\n"
    assert outcome_of(result, "NEW.md") is Outcome.ADDED
    answers = yaml.safe_load((project_v1 / ".copier-answers.yml").read_text())
    assert answers["colour"] == "blue"
    assert answers["_commit"] == "v2.0.0"


def test_update_data_answers_new_question(project_v1: Path) -> None:
    update_project(project_v1, data=["colour=green"])
    assert (project_v1 / "NEW.md").read_text() == "colour: green\n"


def test_update_rejects_unknown_data_key_and_changes_nothing(project_v1: Path) -> None:
    before = tree_contents(project_v1)
    with pytest.raises(InvalidAnswerError, match="shade"):
        update_project(project_v1, data=["shade=dark"])
    assert tree_contents(project_v1) == before


def test_update_removes_file_template_dropped_when_user_did_not_change_it(
    project_v1: Path,
) -> None:
    result = update_project(project_v1)
    assert not (project_v1 / "obsolete.txt").exists()
    assert outcome_of(result, "obsolete.txt") is Outcome.REMOVED


def test_update_keeps_file_template_dropped_when_user_changed_it(project_v1: Path) -> None:
    edit(project_v1, "obsolete-edited.txt", "edited later", "edited by the user")
    commit(project_v1)
    result = update_project(project_v1)
    assert "edited by the user" in (project_v1 / "obsolete-edited.txt").read_text()
    assert outcome_of(result, "obsolete-edited.txt") is Outcome.KEPT


def test_update_marks_real_conflict_inline_and_lists_it(project_v1: Path) -> None:
    edit(project_v1, "setup.cfg", "key = 1", "key = 99")
    commit(project_v1)
    result = update_project(project_v1)
    content = (project_v1 / "setup.cfg").read_text()
    assert "<<<<<<< yours\nkey = 99\n" in content
    assert "key = 2\n>>>>>>> template (new)" in content
    assert [entry.path for entry in result.conflicts] == ["setup.cfg"]


def test_update_conflict_rej_keeps_user_file_and_writes_rej(project_v1: Path) -> None:
    edit(project_v1, "setup.cfg", "key = 1", "key = 99")
    commit(project_v1)
    result = update_project(project_v1, conflict="rej")
    assert (project_v1 / "setup.cfg").read_text() == "[tool]\nkey = 99\n"
    rejected = (project_v1 / "setup.cfg.rej").read_text()
    assert "-key = 1\n+key = 2\n" in rejected
    assert "setup.cfg.rej" in result.extra_files


def test_update_cli_reports_conflict_with_exit_code_1(project_v1: Path) -> None:
    edit(project_v1, "setup.cfg", "key = 1", "key = 99")
    commit(project_v1)
    completed = run_scaffold("update", str(project_v1), cwd=project_v1.parent)
    assert completed.returncode == 1
    assert "1 conflict(s) to resolve:\n  setup.cfg" in completed.stdout


def test_update_dry_run_prints_diff_and_summary_and_changes_nothing(project_v1: Path) -> None:
    before = tree_contents(project_v1)
    pristine_before = git(project_v1, "rev-parse", PRISTINE_REF)
    completed = run_scaffold("update", "--dry-run", str(project_v1), cwd=project_v1.parent)
    assert completed.returncode == 0, completed.stderr
    assert "+guide v2" in completed.stdout
    assert "Would update project" in completed.stdout
    assert "added 1  updated 3" in completed.stdout
    assert tree_contents(project_v1) == before
    assert git(project_v1, "rev-parse", PRISTINE_REF) == pristine_before
    assert git(project_v1, "status", "--porcelain") == ""


def test_update_refuses_dirty_tree(project_v1: Path) -> None:
    edit(project_v1, "README.md", "line 3", "uncommitted")
    with pytest.raises(DirtyTreeError, match="uncommitted changes"):
        update_project(project_v1)
    assert "uncommitted" in (project_v1 / "README.md").read_text()


def test_update_refuses_folder_that_is_not_a_generated_project(tmp_path: Path) -> None:
    completed = run_scaffold("update", str(tmp_path), cwd=tmp_path)
    assert completed.returncode == 2
    assert "is not a generated project" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_update_git_diff_shows_changes_and_checkout_undoes_them(project_v1: Path) -> None:
    committed = tree_contents(project_v1)
    update_project(project_v1)
    shown = git(project_v1, "diff")
    assert "+guide v2" in shown
    assert "+colour: blue" in shown  # new files are intent-to-add, so git diff shows them
    git(project_v1, "checkout", ".")
    git(project_v1, "reset", "-q")
    git(project_v1, "clean", "-fdq")
    assert tree_contents(project_v1) == committed


def test_update_works_after_old_tag_was_deleted(project_v1: Path, template_repo: Path) -> None:
    git(template_repo, "tag", "-d", "v1.0.0")
    edit(project_v1, "README.md", "line 15\n", "line 15 edited\n")
    commit(project_v1)
    result = update_project(project_v1)
    assert result.base_from == "pristine ref"
    assert "line 15 edited\n" in (project_v1 / "README.md").read_text()
    assert (project_v1 / "docs/guide.md").read_text() == "guide v2\n"


def test_update_rerenders_base_when_pristine_ref_is_missing(
    project_v1: Path,
) -> None:
    git(project_v1, "update-ref", "-d", PRISTINE_REF)
    edit(project_v1, "README.md", "line 15\n", "line 15 edited\n")
    commit(project_v1)
    result = update_project(project_v1)
    assert result.base_from == "re-rendered"
    assert "line 15 edited\n" in (project_v1 / "README.md").read_text()
    assert outcome_of(result, "docs/guide.md") is Outcome.UPDATED


def test_update_without_pristine_ref_or_old_tag_fails_cleanly(
    project_v1: Path, template_repo: Path
) -> None:
    git(project_v1, "update-ref", "-d", PRISTINE_REF)
    git(template_repo, "tag", "-d", "v1.0.0")
    before = tree_contents(project_v1)
    with pytest.raises(ScaffoldError, match="cannot rebuild the project as generated at v1.0.0"):
        update_project(project_v1)
    assert tree_contents(project_v1) == before


def test_second_update_after_undo_uses_the_older_pristine(project_v1: Path) -> None:
    update_project(project_v1)
    git(project_v1, "checkout", ".")
    git(project_v1, "reset", "-q")
    git(project_v1, "clean", "-fdq")
    result = update_project(project_v1)
    assert outcome_of(result, "docs/guide.md") is Outcome.UPDATED
    assert (project_v1 / "docs/guide.md").read_text() == "guide v2\n"


def test_update_to_same_version_is_up_to_date(project_v1: Path) -> None:
    update_project(project_v1)
    commit(project_v1, "update")
    result = update_project(project_v1)
    assert result.up_to_date
    assert git(project_v1, "status", "--porcelain") == ""


def test_update_untrusted_migration_is_refused_and_runs_with_trust(tmp_path: Path) -> None:
    repo = build_file_tree(tmp_path / "template", V1)
    commit_all(repo, "v1", tag="v1.0.0")
    migration = (
        "_migrations:\n"
        "  - version: v2.0.0\n"
        "    command: echo migrated > MIGRATED.txt\n"
        "    when: \"{{ _stage == 'after' }}\"\n"
    )
    build_file_tree(repo, {"copier.yml": V1["copier.yml"] + migration})
    commit_all(repo, "v2", tag="v2.0.0")
    project = tmp_path / "project"
    new_project(project, template=str(repo), vcs_ref="v1.0.0")
    with pytest.raises(UntrustedTemplateError, match="echo migrated"):
        update_project(project)
    assert not (project / "MIGRATED.txt").exists()
    result = update_project(project, trust=True)
    assert (project / "MIGRATED.txt").read_text() == "migrated\n"
    assert result.migrations_run == ["echo migrated > MIGRATED.txt"]


def test_failing_migration_leaves_project_as_it_was(tmp_path: Path) -> None:
    repo = build_file_tree(tmp_path / "template", V1)
    commit_all(repo, "v1", tag="v1.0.0")
    migration = "_migrations:\n  - version: v2.0.0\n    command: exit 3\n"
    build_file_tree(repo, {"copier.yml": V1["copier.yml"] + migration, "docs/guide.md": "v2\n"})
    commit_all(repo, "v2", tag="v2.0.0")
    project = tmp_path / "project"
    new_project(project, template=str(repo), vcs_ref="v1.0.0")
    before = tree_contents(project)
    with pytest.raises(ScaffoldError, match="migration `exit 3` failed"):
        update_project(project, trust=True)
    assert tree_contents(project) == before


def test_update_rej_file_stays_untracked(project_v1: Path) -> None:
    edit(project_v1, "setup.cfg", "key = 1", "key = 99")
    commit(project_v1)
    update_project(project_v1, conflict="rej")
    assert "?? setup.cfg.rej" in git(project_v1, "status", "--porcelain")


def test_update_refuses_data_that_contradicts_a_locked_org_answer(
    project_v1: Path, tmp_path: Path
) -> None:
    from scaffold.project.orgconfig import load_org_config

    org_file = tmp_path / "org.yaml"
    org_file.write_text("locked:\n  colour: red\n")
    org = load_org_config(org_file)
    before = tree_contents(project_v1)
    with pytest.raises(InvalidAnswerError, match="'colour' is locked to 'red'"):
        update_project(project_v1, data=["colour=green"], org=org)
    assert tree_contents(project_v1) == before
    update_project(project_v1, org=org)
    assert (project_v1 / "NEW.md").read_text() == "colour: red\n"
