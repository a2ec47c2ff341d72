"""Drive a generated project as its own users would: make targets, a served API, a webhook.

Everything binds 127.0.0.1 and every wait is bounded; nothing here reaches the network beyond the
package index `make setup` installs from.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.helpers import GIT_IDENTITY

OFFLINE_ENV = {
    "MLFLOW_DISABLE_TELEMETRY": "true",
    "DO_NOT_TRACK": "1",
    "DVC_NO_ANALYTICS": "1",
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    **GIT_IDENTITY,
}
# A proxy in the environment must not intercept requests to 127.0.0.1.
LOOPBACK_ENV = {"NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
IRIS_SAMPLE = {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}


def make(
    project: Path, target: str, *variables: str, expect: int = 0, timeout: int = 900, **env: str
) -> str:
    """Run `make target` in the project; fail with its output unless it exits with `expect`."""
    completed = subprocess.run(
        ["make", target, *variables],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, **OFFLINE_ENV, **LOOPBACK_ENV, **env},
        timeout=timeout,
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == expect, (
        f"make {target} exited {completed.returncode}, expected {expect}:\n{output[-6000:]}"
    )
    return output


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_server(project: Path, package: str, **env: str) -> Iterator[str]:
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
            env={**os.environ, **OFFLINE_ENV, **LOOPBACK_ENV, **env},
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


class _RecordingHandler(BaseHTTPRequestHandler):
    server: _RecordingServer

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.server.received.append(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        """No request log in the test output."""


class _RecordingServer(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _RecordingHandler)
        self.received: list[dict[str, Any]] = []


@contextmanager
def webhook_receiver() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A local alert webhook: yields its URL and the JSON bodies posted to it."""
    server = _RecordingServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hook", server.received
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class SteadyTraffic:
    """Sends one /predict after another until stopped; records the answers and the failures."""

    url: str
    versions: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                answer = post_json(f"{self.url}/predict", {"instances": [IRIS_SAMPLE]})
                self.versions.append(answer["model_version"])
            except (urllib.error.URLError, OSError, KeyError, ValueError) as error:
                self.failures.append(repr(error))
            time.sleep(0.02)

    @contextmanager
    def running(self) -> Iterator[SteadyTraffic]:
        thread = threading.Thread(target=self._run, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            thread.join(timeout=30)


def local_torch_index(folder: Path) -> dict[str, str]:
    """Env for `make setup`/`make lock` that points the projects' `pytorch` index at torch wheels
    found locally, if any (the generated Makefile reads TORCH_INDEX, documented for mirrors).

    Machines without access to download.pytorch.org keep the CPU wheel in a pip find-links folder
    (PIP_FIND_LINKS); uv reads no pip config, so a one-package simple index is made from it.
    Without such a wheel the projects use the real PyTorch index.
    """
    links = os.environ.get("PIP_FIND_LINKS", "").split()
    wheels = sorted(wheel for link in links for wheel in Path(link).glob("torch-*.whl"))
    if not wheels:
        return {}
    package = folder / "torch"
    package.mkdir(parents=True, exist_ok=True)
    anchors = "".join(f'<a href="{wheel.as_uri()}">{wheel.name}</a>\n' for wheel in wheels)
    (package / "index.html").write_text(f"<html><body>\n{anchors}</body></html>\n")
    return {"TORCH_INDEX": folder.as_uri()}
