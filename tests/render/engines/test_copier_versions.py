"""The lowest copier that pyproject.toml allows really works: new and update run with it.

scaffold uses copier's private modules (`copier._main`, `copier._template`), which
first appear in copier 9.7; the declared range must not promise older versions.
The test builds a throw-away environment with exactly the lowest version (uv
reuses its cache, so a second run needs no download).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from scaffold.errors import ScaffoldError
from scaffold.render.engines.copier_engine import SUPPORTED_COPIER, require_supported_copier
from tests.conftest import SMALL_TEMPLATE
from tests.helpers import GIT_IDENTITY, build_file_tree, commit_all

REPOSITORY = Path(__file__).resolve().parents[3]
NETWORK_FAILURES = re.compile(
    r"dns error|failed to connect|connection (refused|reset)|network is unreachable|"
    r"timed out|failed to fetch|error sending request|temporary failure in name resolution",
    re.IGNORECASE,
)


def lowest_copier() -> str:
    """The lower bound of the copier requirement in pyproject.toml."""
    project = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))
    [requirement] = [dep for dep in project["project"]["dependencies"] if dep.startswith("copier")]
    found = re.search(r">=\s*([0-9][0-9.]*)", requirement)
    assert found, f"copier requirement without a lower bound: {requirement}"
    return found.group(1)


def test_copier_requirement_starts_where_its_private_modules_do() -> None:
    assert lowest_copier() == "9.7"


def make_environment(folder: Path, copier_version: str) -> Path:
    """A virtual environment with scaffold (editable) and copier==`copier_version`."""
    uv = Path(sys.executable).with_name("uv")
    if not uv.exists():
        pytest.skip("uv is not installed next to the test interpreter")
    subprocess.run(
        [str(uv), "venv", "-q", "--python", sys.executable, str(folder)],
        check=True,
        capture_output=True,
    )
    python = folder / "bin" / "python"
    install = [str(uv), "pip", "install", "-q", "--python", str(python)]
    packages = [f"copier=={copier_version}", "-e", str(REPOSITORY)]
    offline = subprocess.run([*install, "--offline", *packages], capture_output=True, text=True)
    if offline.returncode != 0:  # not in uv's cache yet: fetch it from PyPI
        online = subprocess.run([*install, *packages], capture_output=True, text=True)
        if online.returncode != 0:
            if NETWORK_FAILURES.search(online.stderr):
                pytest.skip(f"PyPI is unreachable, cannot install copier=={copier_version}")
            pytest.fail(f"uv could not install copier=={copier_version}: {online.stderr}")
    return python


@pytest.mark.slow
def test_new_and_update_work_with_the_lowest_supported_copier(tmp_path: Path) -> None:
    version = lowest_copier() + ".0"
    python = make_environment(tmp_path / "venv", version)
    installed = subprocess.run(
        [str(python), "-c", "import copier; print(copier.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert installed.stdout.strip() == version
    template = build_file_tree(tmp_path / "template", SMALL_TEMPLATE)
    commit_all(template, "v1", tag="v1.0.0")
    build_file_tree(template, {"README.md.jinja": "# {{ name }}\nflavour: {{ flavour }}\nv2\n"})
    commit_all(template, "v2", tag="v2.0.0")
    environment = {**os.environ, **GIT_IDENTITY}

    def scaffold(*args: str) -> subprocess.CompletedProcess[str]:
        command = [str(python), "-m", "scaffold", *args]
        return subprocess.run(
            command, cwd=tmp_path, capture_output=True, text=True, env=environment, check=False
        )

    created = scaffold("new", "project", "-t", str(template), "--vcs-ref", "v1.0.0", "--defaults")
    assert created.returncode == 0, created.stderr
    assert (tmp_path / "project/README.md").read_text() == "# demo\nflavour: plain\n"
    updated = scaffold("update", "project", "--defaults")
    assert updated.returncode == 0, updated.stderr
    assert (tmp_path / "project/README.md").read_text().endswith("v2\n")


def test_a_copier_without_its_private_modules_is_named_too_old_in_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "copier._main", None)  # as in copier 9.6: import fails
    with pytest.raises(ScaffoldError, match=r"copier .* is too old for scaffold") as caught:
        require_supported_copier()
    assert "pip install 'copier>=9.7,<10'" in caught.value.hint


def test_the_supported_range_in_the_code_is_the_one_pyproject_declares() -> None:
    project = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))
    assert f"copier{SUPPORTED_COPIER}" in project["project"]["dependencies"]
