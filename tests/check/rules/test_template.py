"""Template rules (SCF-T) fail on projects whose template record or locked files were broken."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from scaffold.check.report import FAIL, SKIP
from scaffold.check.rules import builtin_rules
from scaffold.check.runner import check_project
from scaffold.render.builtin_templates import find_builtin_template
from tests.check_fixtures import FULL_POLICY, edit, run_rule
from tests.helpers import git


def test_t001_fails_without_answers_file(fresh_project: Path) -> None:
    (fresh_project / ".copier-answers.yml").unlink()
    result = run_rule(fresh_project, "SCF-T001")
    assert result.status == FAIL
    assert result.findings[0].path == ".copier-answers.yml"


def test_t001_fails_on_another_template(fresh_project: Path) -> None:
    edit(fresh_project, ".copier-answers.yml", "builtin:mlops", "gh:someone/other-template")
    result = run_rule(fresh_project, "SCF-T001")
    assert result.status == FAIL
    assert "gh:someone/other-template" in result.findings[0].message
    assert result.findings[0].line == 2


def test_t001_passes_when_org_spells_the_same_template_url_differently(
    fresh_project: Path,
) -> None:
    recorded = "https://git.example.com/platform/tpl.git"
    edit(fresh_project, ".copier-answers.yml", "builtin:mlops", recorded)
    org_spelling = "HTTPS://Git.Example.com/platform/./tpl/"
    policy = replace(FULL_POLICY, template_source=org_spelling)
    assert run_rule(fresh_project, "SCF-T001", policy).status != FAIL
    other = replace(FULL_POLICY, template_source="https://git.example.com/platform/other")
    assert run_rule(fresh_project, "SCF-T001", other).status == FAIL


def test_t002_fails_when_template_version_is_older_than_policy(fresh_project: Path) -> None:
    current = find_builtin_template("mlops").version
    edit(fresh_project, ".copier-answers.yml", f"_commit: {current}", "_commit: 0.9.0")
    result = run_rule(fresh_project, "SCF-T002")
    assert result.status == FAIL
    assert "0.9.0 is older than the policy's minimum 1.0.0" in result.findings[0].message


def test_t002_skips_without_minimum_version(fresh_project: Path) -> None:
    result = run_rule(fresh_project, "SCF-T002", replace(FULL_POLICY, min_template_version=None))
    assert result.status == SKIP


def test_t003_fails_when_locked_workflow_is_edited(fresh_project: Path) -> None:
    edit(fresh_project, ".github/workflows/ci.yml", "run: make lint", "run: echo skip")
    result = run_rule(fresh_project, "SCF-T003")
    assert result.status == FAIL
    assert [f.path for f in result.findings] == [".github/workflows/ci.yml"]


def test_t003_fails_when_locked_file_is_deleted(fresh_project: Path) -> None:
    (fresh_project / ".pre-commit-config.yaml").unlink()
    result = run_rule(fresh_project, "SCF-T003")
    assert result.status == FAIL
    assert "deleted" in result.findings[0].message


def test_t003_ignores_edits_to_files_the_policy_does_not_lock(fresh_project: Path) -> None:
    edit(fresh_project, "README.md", "#", "## edited\n#")
    assert run_rule(fresh_project, "SCF-T003").status == "pass"


def test_t003_without_git_compares_with_the_recorded_version_rendered_again(
    fresh_project: Path,
) -> None:
    shutil.rmtree(fresh_project / ".git")
    assert run_rule(fresh_project, "SCF-T003").status == "pass"
    edit(fresh_project, ".github/workflows/ci.yml", "run: make lint", "run: echo skip")
    result = run_rule(fresh_project, "SCF-T003")
    assert result.status == FAIL
    assert [f.path for f in result.findings] == [".github/workflows/ci.yml"]


def test_t003_in_a_clone_without_the_pristine_ref_still_catches_an_edit(
    fresh_project: Path, tmp_path: Path
) -> None:
    edit(fresh_project, ".github/workflows/ci.yml", "run: make lint", "run: echo skip")
    git(fresh_project, "commit", "-q", "-am", "skip lint")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{fresh_project}", str(clone))
    assert git(clone, "for-each-ref", "refs/scaffold") == ""  # as in a CI checkout
    result = run_rule(clone, "SCF-T003")
    assert result.status == FAIL
    assert [f.path for f in result.findings] == [".github/workflows/ci.yml"]


def test_t003_skip_names_the_fetch_and_why_no_render_was_possible(fresh_project: Path) -> None:
    git(fresh_project, "update-ref", "-d", "refs/scaffold/pristine")
    current = find_builtin_template("mlops").version
    edit(fresh_project, ".copier-answers.yml", f"_commit: {current}", "_commit: 0.0.1")
    result = run_rule(fresh_project, "SCF-T003")
    assert result.status == SKIP
    assert "git fetch origin 'refs/scaffold/*:refs/scaffold/*'" in result.reason
    assert "builtin:mlops@0.0.1 cannot be rendered again" in result.reason
    assert "made without" not in result.reason


def test_t003_in_a_linked_git_worktree_reads_the_shared_pristine_ref(
    fresh_project: Path, tmp_path: Path
) -> None:
    worktree = tmp_path / "worktree"
    git(fresh_project, "worktree", "add", "-q", str(worktree))
    current = find_builtin_template("mlops").version
    # No version to render again: only the pristine ref can answer.
    edit(worktree, ".copier-answers.yml", f"_commit: {current}", "_commit: 0.0.1")
    assert run_rule(worktree, "SCF-T003").status == "pass"
    edit(worktree, ".github/workflows/ci.yml", "run: make lint", "run: echo skip")
    assert run_rule(worktree, "SCF-T003").status == FAIL


def test_t003_skip_outside_git_says_so_when_no_render_is_possible(fresh_project: Path) -> None:
    shutil.rmtree(fresh_project / ".git")
    current = find_builtin_template("mlops").version
    edit(fresh_project, ".copier-answers.yml", f"_commit: {current}", "_commit: 0.0.1")
    result = run_rule(fresh_project, "SCF-T003")
    assert result.status == SKIP
    assert "not in a git repository" in result.reason


def test_t003_reads_packed_objects_after_gc(fresh_project: Path) -> None:
    git(fresh_project, "gc", "--quiet")
    assert run_rule(fresh_project, "SCF-T003").status == "pass"
    edit(fresh_project, ".github/workflows/ci.yml", "run: make lint", "run: echo skip")
    assert run_rule(fresh_project, "SCF-T003").status == FAIL


def test_t004_fails_when_locked_answer_changed(fresh_project: Path) -> None:
    edit(fresh_project, ".copier-answers.yml", "license: MIT", "license: Apache-2.0")
    result = run_rule(fresh_project, "SCF-T004")
    assert result.status == FAIL
    assert "'license' is 'Apache-2.0'" in result.findings[0].message


def test_t003_finds_edits_in_nested_folders_a_locked_glob_reaches(fresh_project: Path) -> None:
    # fnmatch's `*` crosses `/`: `src/*.py` locks every Python file under src/, however deep,
    # so reading only the pristine folders a glob can reach must still reach these.
    policy = replace(FULL_POLICY, locked_files=("src/*.py",))
    assert run_rule(fresh_project, "SCF-T003", policy).status == "pass"
    edit(fresh_project, "src/my_ml_project/__init__.py", '"""', '"""Edited. ')
    result = run_rule(fresh_project, "SCF-T003", policy)
    assert result.status == FAIL
    assert [f.path for f in result.findings] == ["src/my_ml_project/__init__.py"]


def test_t003_a_layered_record_without_its_ref_is_rendered_again_from_that_record(
    fresh_project: Path, tmp_path: Path
) -> None:
    project = tmp_path / "layered"
    shutil.copytree(fresh_project, project, symlinks=True)
    git(project, "mv", ".copier-answers.yml", ".copier-answers.ml.yml")
    git(project, "commit", "-q", "-m", "the template's record under its own name")
    for ref in git(project, "for-each-ref", "--format=%(refname)", "refs/scaffold").split():
        git(project, "update-ref", "-d", ref)  # as in a CI checkout
    edit(project, ".github/workflows/ci.yml", "run: make lint", "run: echo skip")
    git(project, "commit", "-q", "-am", "skip lint")
    rule = next(rule for rule in builtin_rules() if rule.id == "SCF-T003")
    result = check_project(project, [rule], FULL_POLICY, ".copier-answers.ml.yml").results[0]
    assert result.status == FAIL, result
    assert ".github/workflows/ci.yml" in [finding.path for finding in result.findings]
