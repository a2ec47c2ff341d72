"""Drive a generated project as its own users would: make setup, pipeline, test, lint, serve."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

OFFLINE_ENV = {
    "MLFLOW_DISABLE_TELEMETRY": "true",
    "DO_NOT_TRACK": "1",
    "DVC_NO_ANALYTICS": "1",
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
}
IRIS_SAMPLE = {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}


def make(project: Path, target: str, *variables: str, timeout: int = 900) -> str:
    """Run `make target` in the project; fail with its output when it fails."""
    completed = subprocess.run(
        ["make", target, *variables],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, **OFFLINE_ENV},
        timeout=timeout,
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, f"make {target} failed:\n{output[-6000:]}"
    return output


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_server(project: Path, package: str) -> Iterator[str]:
    """Start the project's API with uvicorn on a free loopback port; yield its base URL."""
    port = free_port()
    log_path = project / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [
                str(project / ".venv/bin/uvicorn"),
                f"{package}.api:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=project,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **OFFLINE_ENV},
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    with urllib.request.urlopen(f"{base_url}/health", timeout=2):
                        break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise AssertionError(
                            f"server did not start:\n{log_path.read_text()}"
                        ) from None
                    time.sleep(0.5)
            yield base_url
        finally:
            server.terminate()
            server.wait(timeout=30)


def post_json(url: str, payload: dict) -> dict:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def get_text(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()
