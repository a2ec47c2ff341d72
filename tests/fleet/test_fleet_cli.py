"""`scaffold fleet ...` as a user runs it: reports, JSON, requests through gh, no token anywhere."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fleet.fake_forge import install, requests
from tests.fleet.fleet_builder import VERSIONS, Fleet, build_fleet
from tests.helpers import GIT_IDENTITY

pytestmark = pytest.mark.slow
TOKEN = "ghp_FleetTestToken0123456789abcdef"


def fleet_cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scaffold", "fleet", *args],
        cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False,
        env={**os.environ, **GIT_IDENTITY, "GH_TOKEN": TOKEN, **(env or {})},
    )  # fmt: skip


def test_report_lists_every_project_with_version_and_findings(
    built_fleet: Fleet, tmp_path: Path
) -> None:
    output = tmp_path / "out" / "fleet.html"
    completed = fleet_cli(
        "report", "--fleet", str(built_fleet.fleet_file), "--cache", str(tmp_path / "cache"),
        "--org-config", str(built_fleet.org_file),
        "--output", str(output), "--format", "json", "--select", "SCF-S001,SCF-H001", "-j", "2",
        cwd=tmp_path,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    document = json.loads(completed.stdout)
    names = {entry["name"] for entry in document["projects"]}
    assert names == {*built_fleet.remotes, built_fleet.unreachable}
    html = output.read_text()
    for name, version in built_fleet.version_of.items():
        entry = next(e for e in document["projects"] if e["name"] == name)
        assert entry["version"] == version and entry["target_version"] == VERSIONS[-1]
        assert f"<b>{name}</b>" in html
        assert entry["failed_rules"] == ["SCF-S001"]  # the tiny template has no src/ layout
        assert entry["findings"][0]["rule"] == "SCF-S001"
    assert html.count('class="project-findings"') == len(built_fleet.version_of) + 1  # + plain
    assert "[50/50]" in completed.stderr  # one progress line per project off a terminal
    assert TOKEN not in completed.stdout + completed.stderr + html


def test_status_json_and_exit_code_one_when_outdated(built_fleet: Fleet, tmp_path: Path) -> None:
    completed = fleet_cli(
        "status", "--fleet", str(built_fleet.fleet_file), "--cache", str(tmp_path / "cache"),
        "--org-config", str(built_fleet.org_file), "--format", "json", cwd=tmp_path,
    )  # fmt: skip
    assert completed.returncode == 1
    states = json.loads(completed.stdout)["states"]
    assert states == {"current": 15, "outdated": 31, "not-a-project": 1, "failed": 3}


@pytest.fixture
def forge_fleet(tmp_path: Path) -> tuple[Fleet, dict[str, str]]:
    """Six entries reachable as https://github.com/acme/NAME.git (git's insteadOf), a fake gh."""
    fleet = build_fleet(tmp_path / "fleet", size=6)
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text(
        f'[url "{fleet.root / "remotes"}/"]\n\tinsteadOf = https://github.com/acme/\n'
        "[user]\n\tname = Fleet Bot\n\temail = fleet-bot@example.com\n"
    )
    lines = [f"https://github.com/acme/{remote.name}" for remote in fleet.remotes.values()]
    fleet.fleet_file.write_text("\n".join(lines) + "\n")
    bin_folder = tmp_path / "bin"
    install(bin_folder, "gh")
    env = {
        "HOME": str(home),
        "PATH": f"{bin_folder}:{os.environ['PATH']}",
        "FAKE_FORGE_STATE": str(tmp_path / "requests.json"),
        "FAKE_FORGE_LOG": str(tmp_path / "calls.log"),
    }
    return fleet, env


def test_update_open_pr_opens_one_request_per_outdated_project_and_refreshes_on_rerun(
    forge_fleet: tuple[Fleet, dict[str, str]], tmp_path: Path
) -> None:
    fleet, env = forge_fleet
    cache = tmp_path / "cache"
    args = (
        "update", "--open-pr", "--fleet", str(fleet.fleet_file), "--cache", str(cache),
        "--org-config", str(fleet.org_file),
    )  # fmt: skip
    first = fleet_cli(*args, "--format", "json", cwd=tmp_path, env=env)
    assert first.returncode == 1, first.stderr  # the hostile repositories fail
    held = requests(Path(env["FAKE_FORGE_STATE"]))
    outdated = sorted(fleet.outdated())
    assert sorted(request["repo"] for request in held) == [f"acme/{name}" for name in outdated]
    request = held[0]
    assert request["head"] == f"scaffold/update-{VERSIONS[-1]}" and request["base"] == "main"
    assert re.match(r"Update .* from \d\.0\.0 to 3\.0\.0", request["title"])
    assert "| outcome | files |" in request["body"]
    actions = {e["name"]: e["request_action"] for e in json.loads(first.stdout)["projects"]}
    assert all(actions[name] == "opened" for name in outdated)

    second = fleet_cli(*args, "--format", "json", cwd=tmp_path, env=env)
    assert len(requests(Path(env["FAKE_FORGE_STATE"]))) == len(outdated)
    again = {
        e["name"]: (e["state"], e["request_action"]) for e in json.loads(second.stdout)["projects"]
    }
    assert all(again[name] == ("unchanged", "unchanged") for name in outdated)

    leaked = [
        path
        for path in [*cache.rglob("*"), *fleet.root.rglob("*")]
        if path.is_file() and TOKEN.encode() in path.read_bytes()
    ]
    assert leaked == []
    assert TOKEN not in first.stdout + first.stderr + second.stdout + second.stderr
    for clone in cache.iterdir():
        assert "github.com/acme/" in (clone / ".git" / "config").read_text()  # no credential


def test_open_pr_without_the_forge_cli_is_one_line_error_before_anything_runs(
    forge_fleet: tuple[Fleet, dict[str, str]], tmp_path: Path
) -> None:
    fleet, env = forge_fleet
    bare_path = tmp_path / "only-git"
    bare_path.mkdir()
    (bare_path / "git").symlink_to(shutil.which("git") or "/usr/bin/git")
    env = {**env, "PATH": str(bare_path)}
    completed = fleet_cli(
        "update", "--open-pr", "--fleet", str(fleet.fleet_file), "--cache", str(tmp_path / "c"),
        cwd=tmp_path, env=env,
    )  # fmt: skip
    assert completed.returncode == 2
    assert completed.stderr.startswith("error: `gh` is not installed")
    assert len(completed.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "c").exists()
