"""Guarantee 5: generated projects hold no secrets, and `scaffold check` flags committed ones.

Credentials belong in the environment or the CI's secret store; the built-in
template writes none, and SCF-H001 fails on a committed key or `.env` file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import build_file_tree, git
from tests.safety.support import invoke

AWS_KEY = "AKIA" + "ABCDEFGHIJKLMNOP"  # split so this file does not trip secret scanners
PRIVATE_KEY = "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n"


@pytest.fixture(scope="module")
def mlops_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    destination = tmp_path_factory.mktemp("secrets") / "project"
    result = invoke("new", str(destination), "--defaults")
    assert result.exit_code == 0, result.stderr
    return destination


def test_generated_project_has_no_committed_secret(mlops_project: Path) -> None:
    result = invoke("check", str(mlops_project), "--select", "SCF-H001", "--format", "json")
    assert result.exit_code == 0, result.stdout


@pytest.mark.parametrize("path", [".env", ".env.production", "deploy/key.pem"])
def test_generated_project_ignores_credential_files(mlops_project: Path, path: str) -> None:
    ignored = git(mlops_project, "check-ignore", path).strip()
    assert ignored == path


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"settings.py": f'AWS_KEY = "{AWS_KEY}"\n'}, "settings.py:1"),
        ({"deploy/id.pem": PRIVATE_KEY}, "deploy/id.pem"),
        ({".env": "API_TOKEN=abc\n"}, ".env"),
        ({"config.yaml": 'api_key: "s3cr3t-value-123"\n'}, "config.yaml:1"),
    ],
    ids=["aws-key", "private-key-file", "dotenv", "hard-coded-credential"],
)
def test_check_flags_a_committed_secret(
    tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    project = build_file_tree(tmp_path / "project", {"pyproject.toml": "[project]\n", **files})
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "oops")
    result = invoke("check", str(project), "--select", "SCF-H001")
    assert result.exit_code == 1, result.stdout
    assert "SCF-H001" in result.stdout and expected in result.stdout
