"""A Ray head on 127.0.0.1 for end-to-end tests of the `compute: ray` project, and its teardown.

The head runs in the foreground (`ray start --head --block`) in its own process group, so the
test stops exactly the processes it started: never `ray stop`, which would end every Ray
instance of this user on a shared machine. Every wait is bounded.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from tests.templates.end_to_end import free_port

READY_TIMEOUT_S = 180
STOP_TIMEOUT_S = 60
# For the head and every client of it. Ray replaces 127.0.0.1 by the machine's address unless
# multi-node clustering is off (this variable, misnamed, switches it off on Linux too); and
# `ray start` clusters require token authentication, which clients only send in token mode.
RAY_LOOPBACK_ENV = {
    "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",
    "RAY_AUTH_MODE": "token",
    "RAY_USAGE_STATS_ENABLED": "0",
}


@dataclass(frozen=True)
class RayHead:
    """A running head: the address drivers join (RAY_ADDRESS) and its session folder."""

    address: str
    temp_dir: Path

    @property
    def client_env(self) -> dict[str, str]:
        """Environment for processes that join this head."""
        return {**RAY_LOOPBACK_ENV, "RAY_ADDRESS": self.address}

    def driver_logs(self) -> list[Path]:
        """Logs of the drivers that joined this head (one per connecting process)."""
        return sorted((self.temp_dir / "session_latest" / "logs").glob("python-core-driver-*"))


def _ray_ready(ray: Path, address: str) -> bool:
    completed = subprocess.run(
        [str(ray), "status", "--address", address],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, **RAY_LOOPBACK_ENV},
    )
    return completed.returncode == 0


@contextmanager
def local_ray_head(ray: Path, num_cpus: int = 2) -> Iterator[RayHead]:
    """Start `ray` (the project's own) as a head on 127.0.0.1; stop it and its children after."""
    port = free_port()
    # A short folder: Ray's Unix sockets live under it and their paths are length-limited.
    temp_dir = Path(tempfile.mkdtemp(prefix="rayt-", dir="/tmp"))
    command = [
        str(ray),
        "start",
        "--head",
        "--block",
        "--node-ip-address=127.0.0.1",
        f"--port={port}",
        f"--num-cpus={num_cpus}",
        "--dashboard-host=127.0.0.1",
        f"--dashboard-port={free_port()}",
        f"--dashboard-agent-listen-port={free_port()}",
        "--disable-usage-stats",
        f"--temp-dir={temp_dir}",
    ]
    log_path = temp_dir / "head.log"
    with log_path.open("w") as log:
        head = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, **RAY_LOOPBACK_ENV},
        )
        address = f"127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + READY_TIMEOUT_S
            while not _ray_ready(ray, address):
                if head.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"Ray head did not start:\n{log_path.read_text()}")
                time.sleep(2)
            yield RayHead(address, temp_dir)
        finally:
            # --block turns SIGTERM into a clean stop of every process this head started.
            head.terminate()
            with suppress(subprocess.TimeoutExpired):
                head.wait(timeout=STOP_TIMEOUT_S)
            with suppress(ProcessLookupError):
                os.killpg(head.pid, signal.SIGKILL)
            head.wait(timeout=STOP_TIMEOUT_S)
            shutil.rmtree(temp_dir, ignore_errors=True)
