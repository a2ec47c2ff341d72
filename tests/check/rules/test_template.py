"""Template rules (SCF-T) fail on projects whose template record or locked files were broken."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from scaffold.check.report import FAIL, SKIP
from scaffold.render.builtin_templates import find_builtin_template
from tests.check_fixtures import FULL_POLICY, edit, run_rule


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


def test_t003_is_unknown_without_git(fresh_project: Path) -> None:
    shutil.rmtree(fresh_project / ".git")
    result = run_rule(fresh_project, "SCF-T003")
    assert result.status == SKIP
    assert "not a git repository" in result.reason


def test_t003_reads_packed_objects_after_gc(fresh_project: Path) -> None:
    from tests.helpers import git

    git(fresh_project, "gc", "--quiet")
    assert run_rule(fresh_project, "SCF-T003").status == "pass"
    edit(fresh_project, ".github/workflows/ci.yml", "run: make lint", "run: echo skip")
    assert run_rule(fresh_project, "SCF-T003").status == FAIL


def test_t004_fails_when_locked_answer_changed(fresh_project: Path) -> None:
    edit(fresh_project, ".copier-answers.yml", "license: MIT", "license: Apache-2.0")
    result = run_rule(fresh_project, "SCF-T004")
    assert result.status == FAIL
    assert "'license' is 'Apache-2.0'" in result.findings[0].message
