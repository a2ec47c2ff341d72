"""Data and model rules (SCF-D) fail when the DVC pipeline or the thresholds are broken."""

from __future__ import annotations

from pathlib import Path

from scaffold.check.report import FAIL
from tests.check_fixtures import edit, run_rule


def test_d001_fails_when_a_stage_has_no_cmd(fresh_project: Path) -> None:
    edit(fresh_project, "dvc.yaml", "    cmd: python -m my_ml_project.train\n", "")
    result = run_rule(fresh_project, "SCF-D001")
    assert result.status == FAIL
    assert result.findings[0].message == "stage 'train' has no cmd"
    assert result.findings[0].line is not None


def test_d001_fails_when_dvc_yaml_is_missing(fresh_project: Path) -> None:
    (fresh_project / "dvc.yaml").unlink()
    assert run_rule(fresh_project, "SCF-D001").status == FAIL


def test_d002_fails_when_a_declared_param_is_not_defined(fresh_project: Path) -> None:
    edit(fresh_project, "dvc.yaml", "- prepare.test_size", "- prepare.test_fraction")
    result = run_rule(fresh_project, "SCF-D002")
    assert result.status == FAIL
    assert "prepare.test_fraction" in result.findings[0].message


def test_d003_fails_without_metrics(fresh_project: Path) -> None:
    edit(
        fresh_project,
        "dvc.yaml",
        "    metrics:\n      - metrics/metrics.json:\n",
        "    x:\n      - a:\n",
    )
    assert run_rule(fresh_project, "SCF-D003").status == FAIL


def test_d004_fails_without_thresholds(fresh_project: Path) -> None:
    edit(fresh_project, "params.yaml", "  thresholds:\n", "  limits:\n")
    result = run_rule(fresh_project, "SCF-D004")
    assert result.status == FAIL
    assert result.findings[0].path == "params.yaml"


def test_d004_fails_on_non_numeric_threshold(fresh_project: Path) -> None:
    edit(fresh_project, "params.yaml", "accuracy: 0.85", "accuracy: high")
    result = run_rule(fresh_project, "SCF-D004")
    assert result.status == FAIL
    assert "'accuracy' is not a number" in result.findings[0].message
