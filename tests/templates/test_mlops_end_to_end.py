"""The built-in `mlops` project works the minute it is generated, offline, for sklearn and pytorch.

Generate with the CLI, then in the project: `make setup`, `make pipeline`
(dvc repro), `make test`, `make lint`, `make drift`, and a real uvicorn
server answering /health, /predict and /metrics.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import run_scaffold
from tests.templates.conftest import venv_tool
from tests.templates.end_to_end import (
    IRIS_SAMPLE,
    get_text,
    make,
    post_json,
    running_server,
)

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("framework", ["sklearn", "pytorch"])
def test_generated_project_runs_end_to_end_offline(
    tmp_path: Path, framework: str, request: pytest.FixtureRequest
) -> None:
    created = run_scaffold(
        "new", "iris", "--defaults", "--data", f"ml_framework={framework}", cwd=tmp_path
    )
    assert created.returncode == 0, created.stderr
    project = tmp_path / "iris"

    if framework == "pytorch":
        # torch from a local copy of the CPU index (pyproject.toml names the official one).
        make(project, "setup", f"TORCH_INDEX={request.getfixturevalue('torch_index')}")
    else:
        make(project, "setup")
    make(project, "pipeline")
    metrics = json.loads((project / "metrics/metrics.json").read_text())
    assert metrics["accuracy"] >= 0.85
    assert (project / "dvc.lock").is_file()
    make(project, "test")
    make(project, "lint")
    make(project, "check", f"SCAFFOLD={venv_tool('scaffold')}")
    drift_output = make(project, "drift")
    assert "drift" in drift_output.lower()

    with running_server(project, "my_ml_project") as base_url:
        health = json.loads(get_text(f"{base_url}/health"))
        assert health == {"status": "ok", "model_loaded": True, "device": "cpu"}
        prediction = post_json(f"{base_url}/predict", {"instances": [IRIS_SAMPLE]})
        assert prediction["predictions"][0]["label"] == "setosa"
        metrics_text = get_text(f"{base_url}/metrics")
        assert "prediction_requests_total" in metrics_text
        assert "prediction_latency_seconds_bucket" in metrics_text
    logged = [
        json.loads(line) for line in (project / "logs/predictions.jsonl").read_text().splitlines()
    ]
    assert any("setosa" in json.dumps(entry) for entry in logged)
