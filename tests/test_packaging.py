"""The wheel ships the built-in templates (every release) and works outside the source tree."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent


def run(command: list[str], cwd: Path) -> str:
    completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout


def test_wheel_ships_templates_and_renders_them_when_installed(tmp_path: Path) -> None:
    run(
        [sys.executable, "-m", "uv", "build", "--wheel", "-q", "-o", str(tmp_path), "."], REPOSITORY
    )
    [wheel] = tmp_path.glob("scaffold_mlops-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "scaffold/_templates/mlops/copier.yml",
        "scaffold/_templates/mlops/template.yml",
        "scaffold/_templates/mlops/releases/1.0.0.tar.gz",
        "scaffold/check/reports/check-report.schema.json",
    ):
        assert required in names

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path)
    run(
        [
            sys.executable,
            "-m",
            "uv",
            "pip",
            "install",
            "-q",
            "--python",
            str(venv / "bin/python"),
            str(wheel),
        ],
        tmp_path,
    )
    scaffold = str(venv / "bin/scaffold")
    assert run([scaffold, "templates"], tmp_path).startswith("mlops ")
    run([scaffold, "new", "current", "--defaults", "--no-git"], tmp_path)
    run([scaffold, "new", "first", "--defaults", "--no-git", "--vcs-ref", "1.0.0"], tmp_path)
    assert "_commit: 1.0.0" in (tmp_path / "first/.copier-answers.yml").read_text()
    assert (tmp_path / "current/dvc.yaml").is_file()
