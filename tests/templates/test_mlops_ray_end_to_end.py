"""The `mlops` project with `compute: ray` trains, tunes and serves through a local Ray head.

PyTorch with `accelerator: cuda` on a machine without a GPU: the GPU path runs through its CPU
fallback. A Ray head starts on 127.0.0.1 with the project's own Ray; RAY_ADDRESS points the DVC
pipeline (Ray Tune over params.yaml's ranges, then Ray Train's TorchTrainer) and the project's
tests at it, and the tuned model is registered, promoted and served. Two trials keep it lean.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.helpers import run_scaffold
from tests.templates.end_to_end import (
    IRIS_SAMPLE,
    get_text,
    local_torch_index,
    make,
    post_json,
    running_server,
)
from tests.templates.ray_head import local_ray_head

pytestmark = pytest.mark.slow

PACKAGE = "my_ml_project"


def fewer_trials(project: Path, num_samples: int) -> None:
    params_path = project / "params.yaml"
    params = yaml.safe_load(params_path.read_text())
    params["tune"]["num_samples"] = num_samples
    params_path.write_text(yaml.safe_dump(params, sort_keys=False))


def test_ray_project_tunes_trains_and_serves_through_a_local_ray_head(tmp_path: Path) -> None:
    answers = ["ml_framework=pytorch", "accelerator=cuda", "compute=ray"]
    data = [option for answer in answers for option in ("--data", answer)]
    created = run_scaffold("new", "iris", "--defaults", *data, cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    project = tmp_path / "iris"
    fewer_trials(project, num_samples=2)
    make(project, "setup", **local_torch_index(tmp_path / "torch-index"))

    with local_ray_head(project / ".venv/bin/ray") as head:
        ray_env = head.client_env
        # Ray start-up is slow on a loaded 2-core CI machine: generous, still bounded, timeouts.
        pipeline_output = make(project, "pipeline", timeout=1800, **ray_env)
        assert head.driver_logs(), "the pipeline did not join the Ray head"
        assert "the Ray cluster has no GPU: training on CPUs" in pipeline_output
        record = json.loads((project / "models/training.json").read_text())
        assert record["device"] == "cpu"
        assert record["metrics"]["tune_trials"] == 2
        assert 0.0 < record["metrics"]["tune_best_val_accuracy"] <= 1.0
        run_folders = [path.name for path in (project / "ray_results").iterdir()]
        assert len(run_folders) >= 2, f"expected a Tune and a Train run: {run_folders}"
        metrics = json.loads((project / "metrics/metrics.json").read_text())
        assert metrics["accuracy"] >= 0.85

        make(project, "test", timeout=3000, **ray_env)
        make(project, "lint")

    make(project, "register")
    make(project, "promote")
    champion = json.loads((project / "models/serving/champion.json").read_text())
    with running_server(project, PACKAGE) as base_url:
        health = json.loads(get_text(f"{base_url}/health"))
        assert health["model_version"] == champion["version"]
        assert health["device"] == "cpu"
        prediction = post_json(f"{base_url}/predict", {"instances": [IRIS_SAMPLE]})
        assert prediction["predictions"][0]["label"] == "setosa"
