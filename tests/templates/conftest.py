"""Helpers for testing the built-in templates: lint tools in the running venv, a shared project."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest


def venv_tool(name: str) -> str:
    """The path of a console script installed next to the running Python."""
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed; install scaffold with its [test] extra")
    return found


@pytest.fixture(scope="session")
def default_mlops_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `mlops` project with default answers, generated and `make setup` done, once a session.

    End-to-end tests share it (setup installs a few hundred packages); each runs the targets it
    needs, which are idempotent (`dvc repro` skips what is up to date).
    """
    from tests.helpers import run_scaffold
    from tests.templates.end_to_end import make

    root = tmp_path_factory.mktemp("mlops-default")
    created = run_scaffold("new", "iris", "--defaults", cwd=root)
    assert created.returncode == 0, created.stderr
    project = root / "iris"
    make(project, "setup")
    return project
