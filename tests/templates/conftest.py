"""Helpers for testing the built-in templates: lint tools located in the running venv, and the
offline PyTorch wheel index that generated PyTorch projects install torch from in tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TORCH_REQUIREMENT = "torch==2.13.0"
TORCH_INDEX_ENV = "SCAFFOLD_TEST_TORCH_INDEX"


def venv_tool(name: str) -> str:
    """The path of a console script installed next to the running Python."""
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed; install scaffold with its [test] extra")
    return found


def write_simple_index(root: Path, wheels: list[Path]) -> str:
    """A PEP 503 index at `root` serving `wheels` (linked, not copied); its file:// URL."""
    project_dir = root / "torch"
    project_dir.mkdir(parents=True, exist_ok=True)
    links = []
    for wheel in wheels:
        (project_dir / wheel.name).symlink_to(wheel.resolve())
        links.append(f'<a href="{wheel.name.replace("+", "%2B")}">{wheel.name}</a>')
    (project_dir / "index.html").write_text(
        "<!DOCTYPE html><html><body>" + "".join(links) + "</body></html>\n"
    )
    return root.resolve().as_uri()


@pytest.fixture(scope="session")
def torch_index(tmp_path_factory: pytest.TempPathFactory) -> str:
    """TORCH_INDEX for `make setup` of a generated PyTorch project in tests.

    The official CPU index is not reachable offline, so the tests serve a one-package index of
    the torch wheel pip resolves on this machine (its configured wheel folder or mirror), or the
    index named by env SCAFFOLD_TEST_TORCH_INDEX.
    """
    if os.environ.get(TORCH_INDEX_ENV):
        return os.environ[TORCH_INDEX_ENV]
    wheel_dir = tmp_path_factory.mktemp("torch-wheel")
    completed = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:"]
        + ["--dest", str(wheel_dir), TORCH_REQUIREMENT],
        capture_output=True,
        text=True,
        check=False,
    )
    wheels = sorted(wheel_dir.glob("torch-*.whl"))
    if completed.returncode != 0 or not wheels:
        pytest.fail(f"pip cannot find a {TORCH_REQUIREMENT} wheel:\n{completed.stderr[-2000:]}")
    return write_simple_index(tmp_path_factory.mktemp("torch-index"), wheels)
