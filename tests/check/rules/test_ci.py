"""CI rules (SCF-C) fail when CI is missing, broken, or stops running a test stage."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from scaffold.check.report import FAIL
from scaffold.check.rules.ci import covers, pytest_targets
from tests.check_fixtures import FULL_POLICY, edit, run_rule

CI = ".github/workflows/ci.yml"


def test_c001_fails_without_workflows(fresh_project: Path) -> None:
    shutil.rmtree(fresh_project / ".github")
    result = run_rule(fresh_project, "SCF-C001")
    assert result.status == FAIL
    assert result.findings[0].path == CI


def test_c001_fails_on_invalid_yaml(fresh_project: Path) -> None:
    (fresh_project / CI).write_text("jobs: [unclosed\n")
    assert run_rule(fresh_project, "SCF-C001").status == FAIL


def test_c002_fails_when_lint_step_is_removed(fresh_project: Path) -> None:
    edit(fresh_project, CI, "run: make lint", "run: echo no lint")
    result = run_rule(fresh_project, "SCF-C002")
    assert result.status == FAIL
    assert "ruff check" in result.findings[0].message
    assert "make lint" in result.findings[1].message


def test_c002_fails_when_org_required_command_is_missing(fresh_project: Path) -> None:
    policy = replace(FULL_POLICY, required_ci_commands=("make audit",))
    result = run_rule(fresh_project, "SCF-C002", policy)
    assert result.status == FAIL
    assert "'make audit'" in result.findings[0].message


def test_c003_fails_when_model_tests_step_is_removed(fresh_project: Path) -> None:
    edit(fresh_project, CI, "run: make test-model", "run: echo skipped")
    result = run_rule(fresh_project, "SCF-C003")
    assert result.status == FAIL
    assert "model tests" in result.findings[0].message


def test_c003_follows_make_targets_to_what_pytest_really_runs(fresh_project: Path) -> None:
    edit(
        fresh_project, "Makefile", "$(BIN)/pytest tests/unit tests/data", "$(BIN)/pytest tests/unit"
    )
    result = run_rule(fresh_project, "SCF-C003")
    assert result.status == FAIL
    assert "data tests in tests/data/" in result.findings[0].message


def test_pytest_targets_read_paths_and_wildcards() -> None:
    calls = pytest_targets("$(BIN)/pytest tests/model $(wildcard tests/serving) -q\npytest")
    assert calls == [["tests/model", "tests/serving"], []]
    assert covers([["tests"]], "tests/data")
    assert not covers([["tests/unit"]], "tests/data")
