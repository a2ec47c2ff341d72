"""Hygiene rules (SCF-H) fail when secrets, large files, data or local paths are committed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from scaffold.check.report import FAIL, PASS
from scaffold.check.rules.hygiene import (
    CREDENTIAL_HINTS,
    SECRET_HINTS,
    SECRET_PATTERNS,
    lines_with_hints,
)
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


FRAGMENTS = (
    "-----BEGIN ", "RSA ", "PRIVATE KEY", "AKIA", "ASIA", "ABCDEFGHIJ0123456789", "ghp_", "ghs_",
    "glpat-", "xoxb-", "a1B2c3D4e5F6g7H8i9J0", "password", "PassWD", "SECRET", "Api-Key", "apikey",
    "AccessToken", "auth_token", "db.", " = ", ": ", "=", "'", '"', "$X", " ", "\n", "\r\n", "\t",
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_h001_hints_find_every_line_a_full_line_scan_finds(content: str) -> None:
    def flagged(lines: Iterable[tuple[int, str]]) -> list[int]:
        return [n for n, line in lines if any(p.search(line) for _, p in SECRET_PATTERNS)]

    every_line = enumerate(content.splitlines(), start=1)
    hinted = lines_with_hints(content, SECRET_HINTS, CREDENTIAL_HINTS)
    assert flagged(hinted) == flagged(every_line)


def test_h001_finds_credentials_without_a_separator_in_the_key(fresh_project: Path) -> None:
    build_file_tree(fresh_project, {"deploy/env.sh": 'ACCESSTOKEN="abcd1234efgh5678"\n'})
    stage(fresh_project)
    result = run_rule(fresh_project, "SCF-H001")
    assert [(f.path, f.line) for f in result.findings] == [("deploy/env.sh", 1)]
