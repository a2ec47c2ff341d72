"""The generated `mlops` project closes the MLOps loop on one machine, through its own commands.

Train and promote v1; serve it; send traffic and feedback and see live accuracy at /metrics; send
shifted traffic and see the drift alert reach a local webhook; turn the labelled production data
into a new data version, retrain, and see v2 promoted (it wins on the new held-out data) and
served without one failed request; `make rollback` and the service is back on v1. Only
127.0.0.1, only the project's make targets.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.templates.end_to_end import (
    SteadyTraffic,
    get_text,
    make,
    post_json,
    running_server,
    webhook_receiver,
)

pytestmark = pytest.mark.slow

PACKAGE = "my_ml_project"
MAKE_FAILED = 2  # make's own exit code when a recipe (here: an alerting job) exits non-zero
CLASS_NAMES = ["setosa", "versicolor", "virginica"]
NORMAL_ROWS = [
    ({"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}, 0),
    ({"sepal_length": 4.9, "sepal_width": 3.0, "petal_length": 1.4, "petal_width": 0.2}, 0),
    ({"sepal_length": 6.4, "sepal_width": 3.2, "petal_length": 4.5, "petal_width": 1.5}, 1),
    ({"sepal_length": 5.7, "sepal_width": 2.8, "petal_length": 4.1, "petal_width": 1.3}, 1),
    ({"sepal_length": 6.3, "sepal_width": 3.3, "petal_length": 6.0, "petal_width": 2.5}, 2),
    ({"sepal_length": 7.2, "sepal_width": 3.6, "petal_length": 6.1, "petal_width": 2.5}, 2),
]


def shifted_rows(count: int) -> list[tuple[dict[str, float], int]]:
    """A new virginica cultivar: versicolor-sized petals on long sepals (v1 calls it versicolor)."""
    rows = []
    for index in range(count):
        step = (index % 10) / 10
        features = {
            "sepal_length": round(7.4 + 0.6 * step, 2),
            "sepal_width": round(2.8 + 0.5 * ((index * 3 % 10) / 10), 2),
            "petal_length": round(4.0 + 0.6 * ((index * 7 % 10) / 10), 2),
            "petal_width": round(1.2 + 0.3 * ((index * 9 % 10) / 10), 2),
        }
        rows.append((features, 2))
    return rows


def send_with_feedback(base_url: str, rows: list[tuple[dict[str, float], int]]) -> list[str]:
    """Predict the rows, then report their true labels; return the predicted labels."""
    answer = post_json(f"{base_url}/predict", {"instances": [features for features, _ in rows]})
    predictions = answer["predictions"]
    feedback = [
        {"prediction_id": prediction["prediction_id"], "label": CLASS_NAMES[label]}
        for prediction, (_, label) in zip(predictions, rows, strict=True)
    ]
    assert post_json(f"{base_url}/feedback", {"feedback": feedback}) == {"recorded": len(rows)}
    return [prediction["label"] for prediction in predictions]


def served_version(base_url: str) -> str:
    return json.loads(get_text(f"{base_url}/health"))["model_version"]


def metric_value(base_url: str, name: str) -> float:
    for line in get_text(f"{base_url}/metrics").splitlines():
        if line.startswith(f"{name} "):
            return float(line.split()[1])
    raise AssertionError(f"{name} is not at /metrics")


def test_loop_train_serve_monitor_alert_retrain_promote_rollback(
    default_mlops_project: Path,
) -> None:
    project = default_mlops_project
    make(project, "pipeline")
    make(project, "register")
    make(project, "promote")
    assert json.loads((project / "models/serving/champion.json").read_text())["version"] == "1"

    with webhook_receiver() as (hook_url, alerts):
        env = {"ALERT_WEBHOOK_URL": hook_url}
        with running_server(project, PACKAGE, **env) as base_url:
            env["SERVING_URL"] = base_url
            assert served_version(base_url) == "1"

            # Normal traffic with feedback: live accuracy at /metrics, no alert.
            predicted = send_with_feedback(base_url, NORMAL_ROWS * 5)
            assert (
                predicted[:6]
                == ["setosa", "setosa", "versicolor", "versicolor"] + ["virginica"] * 2
            )
            assert "live: accuracy 1.000 on 30" in make(project, "live", **env)
            assert metric_value(base_url, "live_accuracy") == 1.0
            assert "No drift" in make(project, "drift", **env)

            # Shifted traffic: the drift job on the logged inputs alerts the webhook.
            shifted = shifted_rows(60)
            predicted = send_with_feedback(base_url, shifted)
            assert predicted.count("virginica") < 10, "v1 misreads the new cultivar"
            drift_output = make(project, "drift", expect=MAKE_FAILED, **env)
            assert "Data drift in" in drift_output
            assert any("Data drift" in alert["text"] for alert in alerts)
            assert metric_value(base_url, "drifted_features") >= 1
            # ... and live accuracy falls below its minimum: a second alert, and the labelled
            # production data is exported for retraining.
            make(project, "live", "EXPORT=1", expect=MAKE_FAILED, **env)
            assert any("live accuracy" in alert["text"] for alert in alerts)
            assert metric_value(base_url, "live_accuracy") < 0.8
            assert len(list((project / "data/incoming").glob("live-*.csv"))) == 1

            # Retrain on the new data version; v2 wins and is served with no failed request.
            with SteadyTraffic(base_url).running() as traffic:
                retrain_output = make(project, "retrain", **env)
            assert "version 2 is the champion" in retrain_output
            assert (project / "data/labelled.dvc").is_file(), "a new DVC data version"
            assert traffic.failures == []
            assert traffic.versions[0] == "1" and traffic.versions[-1] == "2"
            assert served_version(base_url) == "2"
            upgraded = post_json(
                f"{base_url}/predict", {"instances": [features for features, _ in shifted]}
            )
            labels = [p["label"] for p in upgraded["predictions"]]
            assert labels.count("virginica") > 50, "v2 learnt the new cultivar"

            # Roll back: champion and service are on v1 again.
            assert "back to version 1" in make(project, "rollback", **env)
            assert served_version(base_url) == "1"
        health_after = json.loads((project / "models/serving/champion.json").read_text())
        assert health_after["version"] == "1"
