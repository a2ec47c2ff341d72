"""The built-in `mlops` project works the minute it is generated, offline, for sklearn and pytorch.

Generate with the CLI, then in the project: `make setup` (from uv.lock), `make pipeline` (dvc
repro), `make test`, `make lint` (ruff, hadolint, Kubernetes manifests), `make check`, register
and promote the model, a real uvicorn server answering /health, /predict and /metrics, and the
README's DVC command blocks exactly as written (tests/test_documented_commands.py relies on it).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.documented_commands import shell_blocks
from tests.helpers import GIT_IDENTITY, run_scaffold
from tests.templates.conftest import venv_tool
from tests.templates.end_to_end import (
    IRIS_SAMPLE,
    OFFLINE_ENV,
    get_text,
    local_torch_index,
    make,
    post_json,
    running_server,
)

pytestmark = pytest.mark.slow


@pytest.fixture(params=["sklearn", "pytorch"])
def set_up_project(
    request: pytest.FixtureRequest, tmp_path: Path, default_mlops_project: Path
) -> Path:
    if request.param == "sklearn":
        return default_mlops_project
    created = run_scaffold(
        "new", "iris", "--defaults", "--data", f"ml_framework={request.param}", cwd=tmp_path
    )
    assert created.returncode == 0, created.stderr
    project = tmp_path / "iris"
    make(project, "setup", **local_torch_index(tmp_path / "torch-index"))
    return project


def test_generated_project_runs_end_to_end_offline(set_up_project: Path) -> None:
    project = set_up_project
    assert (project / "uv.lock").is_file(), "make setup locks the dependencies"
    make(project, "pipeline")
    metrics = json.loads((project / "metrics/metrics.json").read_text())
    assert metrics["accuracy"] >= 0.85
    assert (project / "dvc.lock").is_file()
    tested = make(project, "test")
    assert "StarletteDeprecationWarning" not in tested  # the API tests' client is current
    lint_output = make(project, "lint")
    assert "staging: 5 resources valid" in lint_output
    make(project, "check", f"SCAFFOLD={venv_tool('scaffold')}")
    assert "scaffold check skipped" in make(project, "ci-check")
    assert "No drift" in make(project, "drift", "CURRENT=data/prepared/test.parquet")
    make(project, "register")
    make(project, "promote")
    make(project, "export")  # what the README runs before `docker build`; promote already did it
    champion = json.loads((project / "models/serving/champion.json").read_text())

    with running_server(project, "my_ml_project") as base_url:
        health = json.loads(get_text(f"{base_url}/health"))
        assert health["status"] == "ok"
        assert health["model_version"] == champion["version"]
        assert health["device"] == "cpu"
        prediction = post_json(f"{base_url}/predict", {"instances": [IRIS_SAMPLE]})
        assert prediction["predictions"][0]["label"] == "setosa"
        metrics_text = get_text(f"{base_url}/metrics")
        assert "prediction_requests_total" in metrics_text
        assert "prediction_latency_seconds_bucket" in metrics_text
    logged = [
        json.loads(line)
        for log_file in (project / "logs/predictions").glob("*/*.jsonl")
        for line in log_file.read_text().splitlines()
    ]
    logged_ids = {record["prediction_id"] for record in logged}
    assert prediction["predictions"][0]["prediction_id"] in logged_ids
    for block in shell_blocks((project / "README.md").read_text()):
        if "dvc " in block:  # the README's DVC commands, run as written
            completed = subprocess.run(
                ["bash", "-e", "-c", block],
                cwd=project,
                capture_output=True,
                text=True,
                env={**os.environ, **OFFLINE_ENV, **GIT_IDENTITY},  # dvc exp commits
                timeout=900,
                check=False,
            )
            assert completed.returncode == 0, f"{block}\n{completed.stdout}{completed.stderr}"
    # `dvc push` filled the default local remote, a folder beside the project
    assert any((project.parent / "my-ml-project-dvc-storage").iterdir())
    # The project is shared: put back the parameters `dvc exp run -S` changed, and their outputs.
    subprocess.run(["git", "checkout", "--", "params.yaml"], cwd=project, check=True)
    make(project, "pipeline")
