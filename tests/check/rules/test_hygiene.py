"""Hygiene rules (SCF-H) fail when secrets, large files, data or local paths are committed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from scaffold.check.report import FAIL, PASS
from tests.check_fixtures import FULL_POLICY, edit, run_rule, stage
from tests.helpers import build_file_tree


def test_h001_fails_on_committed_token(fresh_project: Path) -> None:
    token = "ghp_" + "A1b2C3d4" * 5
    build_file_tree(fresh_project, {"src/my_ml_project/settings.py": f'TOKEN = "{token}"\n'})
    stage(fresh_project)
    result = run_rule(fresh_project, "SCF-H001")
    assert result.status == FAIL
    assert (result.findings[0].path, result.findings[0].line) == (
        "src/my_ml_project/settings.py",
        1,
    )


def test_h001_fails_on_committed_env_file_but_not_ignored_one(fresh_project: Path) -> None:
    build_file_tree(fresh_project, {".env": "x=1\n"})
    assert run_rule(fresh_project, "SCF-H001").status == PASS  # not committed
    stage(fresh_project)
    assert (
        run_rule(fresh_project, "SCF-H001").status == PASS
    )  # the project's .gitignore keeps it out
    stage(fresh_project, ".env")
    assert run_rule(fresh_project, "SCF-H001").status == FAIL


def test_h002_fails_on_committed_large_file(fresh_project: Path) -> None:
    build_file_tree(fresh_project, {"notebooks/big.bin": b"\0" * (2 * 1024 * 1024)})
    stage(fresh_project)
    result = run_rule(fresh_project, "SCF-H002", replace(FULL_POLICY, max_file_size_kb=1024))
    assert result.status == FAIL
    assert result.findings[0].path == "notebooks/big.bin"


def test_h003_fails_on_committed_dataset(fresh_project: Path) -> None:
    build_file_tree(fresh_project, {"data/raw/iris.csv": "a,b\n1,2\n"})
    stage(fresh_project)
    result = run_rule(fresh_project, "SCF-H003")
    assert result.status == FAIL
    assert result.findings[0].path == "data/raw/iris.csv"


def test_h004_fails_on_absolute_path_in_config(fresh_project: Path) -> None:
    edit(fresh_project, "params.yaml", "seed: 42", "seed: 42\ndata_dir: /home/alice/iris")
    result = run_rule(fresh_project, "SCF-H004")
    assert result.status == FAIL
    assert (result.findings[0].path, result.findings[0].line) == ("params.yaml", 3)
    assert "/home/alice" in result.findings[0].message


def test_h004_fails_on_absolute_dvc_remote(fresh_project: Path) -> None:
    text = (fresh_project / ".dvc/config").read_text()
    (fresh_project / ".dvc/config").write_text(
        "\n".join(
            "    url = /srv/dvc-storage" if line.strip().startswith("url") else line
            for line in text.splitlines()
        )
    )
    result = run_rule(fresh_project, "SCF-H004")
    assert result.status == FAIL
    assert result.findings[0].path == ".dvc/config"


def test_h001_finds_credentials_assigned_to_prefixed_keys_but_not_references(
    fresh_project: Path,
) -> None:
    secret = "wJalrXUtnFEMI/K7MDENG" + "/bPxRfiCYEXAMPLEKEY"  # split: not a secret in this repo
    build_file_tree(
        fresh_project,
        {
            "deploy/credentials": f"aws_secret_access_key = {secret}\n",
            "deploy/run.sh": (
                'export SECRET_KEY="s3cr3t-v4lue-abcdef"\nDB_PASSWORD=SuperSecret123\n'
                'key = os.environ["SECRET_KEY"]\ntoken: ${{ secrets.API_TOKEN }}\n'
                "api-key: $API_KEY\n"
            ),
        },
    )
    stage(fresh_project)
    result = run_rule(fresh_project, "SCF-H001")
    assert result.status == FAIL
    assert [(finding.path, finding.line) for finding in result.findings] == [
        ("deploy/credentials", 1),
        ("deploy/run.sh", 1),
        ("deploy/run.sh", 2),
    ]
