"""Listing a fleet: fleet files, the org config's `fleet:` list, folders; bad entries refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.fleet.listing import (
    FleetListError,
    discover_repositories,
    entries_from_org,
    list_fleet,
    read_fleet_file,
)
from scaffold.project.orgconfig import load_org_config
from tests.helpers import git, run_scaffold


def test_fleet_file_reads_urls_paths_answers_files_and_skips_comments(tmp_path: Path) -> None:
    fleet_file = tmp_path / "fleet.txt"
    fleet_file.write_text(
        "# the platform's projects\n"
        "https://github.com/acme/churn.git\n"
        "\n"
        "git@gitlab.com:acme/ranker.git  # trailing comment\n"
        "repos/local-one   .copier-answers.serving.yml\n"
    )
    entries = read_fleet_file(fleet_file)
    assert [entry.location for entry in entries] == [
        "https://github.com/acme/churn.git",
        "git@gitlab.com:acme/ranker.git",
        str(tmp_path / "repos" / "local-one"),
    ]
    assert entries[2].answers_file == ".copier-answers.serving.yml"
    assert entries[0].answers_file == ".copier-answers.yml"
    assert [entry.name for entry in entries] == ["churn", "ranker", "local-one"]
    assert len({entry.key for entry in entries}) == 3


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("--upload-pack=touch /tmp/x", "starts with '-'"),
        ("ext::sh%20-c%20evil", "remote helper"),
        ("https://user:ghp_secret123456@github.com/acme/x.git", "credential"),
        ("ftp://example.com/x.git", "transport 'ftp'"),
        ("repo ../../etc/passwd", "not a relative path"),
        ("repo answers.yml extra", "expected `LOCATION [ANSWERS_FILE]`"),
    ],
)
def test_fleet_file_refuses_unsafe_lines_naming_the_line(
    tmp_path: Path, line: str, problem: str
) -> None:
    fleet_file = tmp_path / "fleet.txt"
    fleet_file.write_text(f"# header\n{line}\n")
    with pytest.raises(FleetListError, match="fleet.txt:2") as caught:
        read_fleet_file(fleet_file)
    assert problem in caught.value.one_line()
    assert "ghp_secret123456" not in caught.value.one_line()


def test_missing_fleet_file_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(FleetListError, match="cannot read fleet file"):
        read_fleet_file(tmp_path / "absent.txt")


def test_org_config_fleet_list_takes_strings_and_mappings(tmp_path: Path) -> None:
    config = tmp_path / "org.yaml"
    config.write_text(
        "fleet:\n"
        "  - https://github.com/acme/churn.git\n"
        "  - repository: ../repos/ranker\n"
        "    answers_file: .copier-answers.ranker.yml\n"
    )
    org = load_org_config(config)
    entries = entries_from_org(org.fleet, config.parent)
    assert entries[0].location == "https://github.com/acme/churn.git"
    assert entries[1].location == str((tmp_path.parent / "repos" / "ranker").resolve())
    assert entries[1].answers_file == ".copier-answers.ranker.yml"
    assert list_fleet(entries) == entries


def test_org_config_fleet_entry_without_repository_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "org.yaml"
    config.write_text("fleet:\n  - answers_file: x.yml\n")
    with pytest.raises(Exception, match=r"org.yaml:2: fleet\[0\]"):
        load_org_config(config)


def test_recursive_finds_repositories_without_following_symlinks(tmp_path: Path) -> None:
    for name in ("team-a/one", "team-b/two", "outside/three"):
        (tmp_path / name).mkdir(parents=True)
        git(tmp_path / name, "init", "-q")
    (tmp_path / "team-a" / "one" / "nested").mkdir()
    git(tmp_path / "team-a" / "one" / "nested", "init", "-q")
    root = tmp_path / "root"
    root.mkdir()
    (root / "a").symlink_to(tmp_path / "team-a")
    (root / "b").symlink_to(tmp_path / "team-b", target_is_directory=True)
    (root / "real").mkdir()
    git(root / "real", "init", "-q")
    assert [entry.name for entry in discover_repositories(root)] == ["real"]
    assert [entry.name for entry in discover_repositories(tmp_path / "team-a")] == ["one"]


def test_empty_fleet_says_where_to_list_it() -> None:
    with pytest.raises(FleetListError, match="the fleet is empty") as caught:
        list_fleet([])
    assert "--fleet FILE" in caught.value.hint


def test_cli_missing_fleet_file_is_one_error_line_with_exit_two(tmp_path: Path) -> None:
    completed = run_scaffold(
        "fleet", "status", "--fleet", str(tmp_path / "absent.txt"), "--cache", str(tmp_path / "c"),
        cwd=tmp_path,
    )  # fmt: skip
    assert completed.returncode == 2
    assert completed.stderr.startswith("error: cannot read fleet file")
    assert len(completed.stderr.strip().splitlines()) == 1
    assert completed.stdout == ""
