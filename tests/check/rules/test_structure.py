"""Structure rules (SCF-S) fail when required files or folders are removed."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from scaffold.check.report import FAIL
from tests.check_fixtures import FULL_POLICY, run_rule


def test_s001_fails_when_makefile_is_deleted(fresh_project: Path) -> None:
    (fresh_project / "Makefile").unlink()
    result = run_rule(fresh_project, "SCF-S001")
    assert result.status == FAIL
    assert [f.path for f in result.findings] == ["Makefile"]


def test_s002_fails_when_model_tests_are_deleted(fresh_project: Path) -> None:
    shutil.rmtree(fresh_project / "tests" / "model")
    result = run_rule(fresh_project, "SCF-S002")
    assert result.status == FAIL
    assert result.findings[0].path == "tests/model"


def test_s002_fails_when_package_moves_out_of_src(fresh_project: Path) -> None:
    shutil.move(fresh_project / "src" / "my_ml_project", fresh_project / "my_ml_project")
    assert run_rule(fresh_project, "SCF-S002").status == FAIL


def test_s003_fails_when_org_required_file_is_missing(fresh_project: Path) -> None:
    policy = replace(FULL_POLICY, required_files=("README.md", ".github/CODEOWNERS"))
    result = run_rule(fresh_project, "SCF-S003", policy)
    assert result.status == FAIL
    assert [f.path for f in result.findings] == [".github/CODEOWNERS"]


def test_s004_fails_when_pyproject_or_params_do_not_parse(fresh_project: Path) -> None:
    with (fresh_project / "pyproject.toml").open("a") as pyproject:
        pyproject.write("[[[bad\n")
    (fresh_project / "params.yaml").write_text("seed: 1\nprepare: [unclosed\n")
    result = run_rule(fresh_project, "SCF-S004")
    assert result.status == FAIL
    assert [(f.path, f.line) for f in result.findings] == [
        ("pyproject.toml", None),
        ("params.yaml", 3),
    ]
    assert "not valid TOML" in result.findings[0].message
