"""Guarantee 1 (trust): `trusted_sources` matches the source as it will be fetched.

Paths are resolved and URLs normalised before the org's globs are matched, so
`<trusted prefix>/../evil` is not trusted; the project records the normalised source.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scaffold.project.orgconfig import OrgConfig
from scaffold.render.sources import normalised_source, source_match_key
from scaffold.render.trust import trusting_pattern
from tests.helpers import build_file_tree, commit_all
from tests.safety.support import assert_one_line_error, copier_template, invoke


def org_file(tmp_path: Path, *patterns: str) -> Path:
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump({"trusted_sources": list(patterns)}), encoding="utf-8")
    return path


def test_dotdot_out_of_a_trusted_folder_is_not_trusted(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    (tmp_path / "trusted").mkdir()
    evil = copier_template(tmp_path / "evil.git", f"_tasks:\n  - touch {marker}\n")
    commit_all(evil, "evil", tag="1.0.0")
    result = invoke(
        "new",
        str(tmp_path / "dest"),
        "--template",
        f"{tmp_path}/trusted/../evil.git",
        "--org-config",
        str(org_file(tmp_path, f"{tmp_path}/trusted/*")),
    )
    assert_one_line_error(result, "wants to run code", f"touch {marker}")
    assert not marker.exists()
    assert not (tmp_path / "dest").exists()


def test_the_recorded_source_is_normalised(tmp_path: Path) -> None:
    (tmp_path / "trusted").mkdir()
    template = copier_template(tmp_path / "tpl.git")
    commit_all(template, "v1", tag="1.0.0")
    result = invoke("new", str(tmp_path / "dest"), "--template", f"{tmp_path}/trusted/../tpl.git/")
    assert result.exit_code == 0, result.stderr
    record = yaml.safe_load((tmp_path / "dest" / ".copier-answers.yml").read_text())
    assert record["_src_path"] == f"{tmp_path}/tpl.git"


def test_a_trusted_folder_still_runs_its_tasks_through_a_spelling_with_dots(
    tmp_path: Path,
) -> None:
    copier_template(tmp_path / "trusted" / "tpl", "_tasks:\n  - touch task-ran\n")
    result = invoke(
        "new",
        str(tmp_path / "dest"),
        "--template",
        f"{tmp_path}/trusted/./tpl/../tpl",
        "--org-config",
        str(org_file(tmp_path, f"{tmp_path}/trusted/*")),
    )
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "dest" / "task-ran").is_file()


@pytest.mark.parametrize(
    ("spelled", "normalised"),
    [
        ("https://Git.Example.COM/platform/tpl.git", "https://git.example.com/platform/tpl.git"),
        ("HTTPS://git.example.com:443/platform/tpl/", "https://git.example.com/platform/tpl"),
        ("https://git.example.com/platform/../evil.git", "https://git.example.com/evil.git"),
        ("https://git.example.com/platform//../evil", "https://git.example.com/evil"),
        ("https://git.example.com/platform/%2e%2e/evil", "https://git.example.com/evil"),
        ("https://git.example.com/platform/./tpl", "https://git.example.com/platform/tpl"),
        ("git@Git.Example.com:platform/../evil.git", "git@git.example.com:evil.git"),
        ("gh:platform/../evil", "gh:evil"),
        ("git+https://HOST/a/./b", "git+https://host/a/b"),
        ("file:///srv/trusted/../evil", "file:///srv/evil"),
        ("/srv/trusted/../evil.git", "/srv/evil.git"),
    ],
)
def test_sources_are_normalised(spelled: str, normalised: str) -> None:
    assert normalised_source(spelled) == normalised


def test_an_escaped_slash_in_a_url_path_is_refused() -> None:
    with pytest.raises(Exception, match="escaped or back slash"):
        normalised_source("https://git.example.com/platform/..%2Fevil")


@pytest.mark.parametrize(
    ("source", "pattern", "trusted"),
    [
        ("https://git.example.com/platform/tpl.git", "https://git.example.com/platform/*", True),
        ("https://git.example.com/platform/tpl", "https://GIT.example.com/platform/tpl.git", True),
        ("https://git.example.com/platform/tpl.git/", "https://git.example.com/platform/tpl", True),
        ("https://git.example.com/platform/../evil", "https://git.example.com/platform/*", False),
        (
            "https://git.example.com/platform/%2e%2e/evil",
            "https://git.example.com/platform/*",
            False,
        ),
        ("https://evil.example.com/platform/tpl", "https://git.example.com/platform/*", False),
        (
            "https://git.example.com@evil.com/platform/x",
            "https://git.example.com/platform/*",
            False,
        ),
        ("gh:platform/tpl", "https://github.com/platform/*", True),
        ("git@github.com:platform/tpl.git", "git@github.com:platform/tpl", True),
        ("/srv/templates/tpl", "/srv/templates/*", True),
        ("/srv/templates/../evil", "/srv/templates/*", False),
        ("/srv/templates/tpl.git", "/srv/templates/tpl", False),  # another folder on disk
    ],
)
def test_trusted_sources_match_normalised_sources(source: str, pattern: str, trusted: bool) -> None:
    org = OrgConfig(trusted_sources=(pattern,))
    assert (trusting_pattern(org, source) == pattern) is trusted


def test_match_key_drops_git_suffix_only_for_network_urls() -> None:
    assert source_match_key("https://host/org/tpl.git") == "https://host/org/tpl"
    assert source_match_key("file:///srv/tpl.git") == "file:///srv/tpl.git"


def test_org_config_pattern_spelled_with_dots_still_matches(tmp_path: Path) -> None:
    template = copier_template(tmp_path / "trusted" / "tpl", "_tasks:\n  - touch task-ran\n")
    org = build_file_tree(
        tmp_path, {"org.yaml": f"trusted_sources:\n  - {tmp_path}/x/../trusted/*\n"}
    )
    result = invoke(
        "new",
        str(tmp_path / "dest"),
        "--template",
        str(template),
        "--org-config",
        str(org / "org.yaml"),
    )
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "dest" / "task-ran").is_file()
