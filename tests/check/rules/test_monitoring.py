"""Monitoring rules (SCF-M) fail without a metrics endpoint or a scheduled drift check."""

from __future__ import annotations

from pathlib import Path

from scaffold.check.report import FAIL
from tests.check_fixtures import edit, run_rule


def test_m001_fails_without_metrics_route(fresh_project: Path) -> None:
    edit(fresh_project, "src/my_ml_project/api.py", '"/metrics"', '"/stats"')
    result = run_rule(fresh_project, "SCF-M001")
    assert result.status == FAIL
    assert result.findings[0].path == "src/my_ml_project/api.py"


def test_m002_fails_when_no_ci_job_runs_drift(fresh_project: Path) -> None:
    (fresh_project / ".github/workflows/drift.yml").unlink()
    result = run_rule(fresh_project, "SCF-M002")
    assert result.status == FAIL
    assert "no CI job runs the drift check" in result.findings[0].message


def test_m002_fails_without_drift_threshold(fresh_project: Path) -> None:
    edit(fresh_project, "params.yaml", "drift_p_value:", "drift_alpha:")
    result = run_rule(fresh_project, "SCF-M002")
    assert result.status == FAIL
    assert result.findings[0].path == "params.yaml"
