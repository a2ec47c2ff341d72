"""Fixtures for the monitoring tests: a local webhook that records the alerts posted to it."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy")


class RecordingHandler(BaseHTTPRequestHandler):
    """Stores the JSON body of every POST in the server's `received` list and answers 204."""

    server: "RecordingServer"

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.server.received.append(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        """Keep the test output free of request logs."""


class RecordingServer(ThreadingHTTPServer):
    """A webhook on a free port of 127.0.0.1."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), RecordingHandler)
        self.received: list[dict[str, Any]] = []


@pytest.fixture
def webhook(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """Serve a webhook on 127.0.0.1, point ALERT_WEBHOOK_URL at it, yield what it receives."""
    for name in PROXY_VARIABLES:
        # A proxy set in the environment must not intercept the loopback request.
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    server = RecordingServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("ALERT_WEBHOOK_URL", f"http://127.0.0.1:{server.server_port}/hook")
    try:
        yield server.received
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
