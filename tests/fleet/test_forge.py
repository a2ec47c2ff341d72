"""Opening and refreshing update requests through `gh`/`glab` (a fake CLI on PATH)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scaffold.fleet.forge import ForgeError, forge_for, open_or_refresh, require_cli
from tests.fleet.fake_forge import install, requests


@pytest.fixture
def fake_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_folder = tmp_path / "bin"
    install(bin_folder, "gh")
    install(bin_folder, "glab")
    monkeypatch.setenv("PATH", f"{bin_folder}:{Path('/usr/bin')}")
    monkeypatch.setenv("FAKE_FORGE_STATE", str(tmp_path / "state.json"))
    monkeypatch.setenv("FAKE_FORGE_LOG", str(tmp_path / "calls.log"))
    return tmp_path / "state.json"


@pytest.mark.parametrize(
    ("location", "kind", "repository", "option"),
    [
        ("https://github.com/acme/churn.git", "github", "acme/churn", "--repo=acme/churn"),
        ("git@github.com:acme/churn.git", "github", "acme/churn", "--repo=acme/churn"),
        (
            "https://gitlab.acme.example/ml/team/ranker.git",
            "gitlab",
            "ml/team/ranker",
            "--repo=https://gitlab.acme.example/ml/team/ranker",
        ),
    ],
)
def test_forge_is_told_by_the_remote_url(
    location: str, kind: str, repository: str, option: str
) -> None:
    forge = forge_for(location)
    assert forge is not None
    assert (forge.kind, forge.repository, forge.repository_option) == (kind, repository, option)


def test_local_and_unknown_hosts_have_no_forge_unless_forced() -> None:
    assert forge_for("/srv/git/project") is None
    assert forge_for("https://git.acme.example/ml/churn.git") is None
    forced = forge_for("https://git.acme.example/ml/churn.git", "gitlab")
    assert forced is not None and forced.cli == "glab"


@pytest.mark.parametrize(
    "location", ["https://github.com/acme/churn.git", "https://gitlab.com/acme/churn.git"]
)
def test_request_is_opened_once_then_refreshed_never_duplicated(
    fake_cli: Path, location: str
) -> None:
    forge = forge_for(location)
    assert forge is not None
    first = open_or_refresh(forge, "scaffold/update-3.0.0", "main", "Update 2 to 3", "body v1")
    again = open_or_refresh(forge, "scaffold/update-3.0.0", "main", "Update 2 to 3", "body v1")
    changed = open_or_refresh(forge, "scaffold/update-3.0.0", "main", "Update 2 to 3", "body v2")
    assert (first.action, again.action, changed.action) == ("opened", "unchanged", "refreshed")
    assert first.url == again.url == changed.url
    held = requests(fake_cli)
    assert len(held) == 1
    assert (held[0]["body"], held[0]["base"], held[0]["head"]) == (
        "body v2",
        "main",
        "scaffold/update-3.0.0",
    )


def test_values_reach_the_cli_only_inside_option_assignments(fake_cli: Path) -> None:
    forge = forge_for("https://github.com/acme/churn.git")
    assert forge is not None
    open_or_refresh(forge, "scaffold/update-3.0.0", "--evil-base", "--title-like", "--body")
    calls = [json.loads(line) for line in (fake_cli.parent / "calls.log").read_text().splitlines()]
    for call in calls:
        assert all(not arg.startswith("--") or "=" in arg for arg in call[3:]), call


def test_missing_cli_is_named_with_the_fix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ForgeError, match="`glab` is not installed") as caught:
        require_cli("gitlab")
    assert "drop --open-pr" in caught.value.hint
