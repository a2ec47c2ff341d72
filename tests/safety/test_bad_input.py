"""Guarantee 4: every bad input is one `error: ` line naming the fix, exit code 2, no write.

Covers answers files, `--data`, choices, templates that cannot be read or
found, git missing, a network URL while offline, broken project records, org
configs and destinations.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from tests.conftest import SMALL_TEMPLATE
from tests.helpers import build_file_tree, git
from tests.safety.support import assert_one_line_error, generated_project, invoke, snapshot


@pytest.fixture
def template(tmp_path: Path) -> Path:
    return build_file_tree(tmp_path / "tpl", SMALL_TEMPLATE)


def new(tmp_path: Path, template: Path | str, *args: str):
    return invoke("new", str(tmp_path / "dest"), "--template", str(template), *args)


def assert_refused_without_writing(tmp_path: Path, result, *fragments: str) -> str:
    line = assert_one_line_error(result, *fragments)
    assert not (tmp_path / "dest").exists()
    assert not list(tmp_path.glob(".scaffold-*"))
    return line


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"name: [unclosed\n", "is not valid YAML"),
        (b"- a list\n- of answers\n", "must hold a mapping of question: answer"),
        (b"\xff\xfe\x00name: x\n", "is not UTF-8 text"),
    ],
    ids=["malformed-yaml", "not-a-mapping", "not-utf8"],
)
def test_bad_answers_file_is_refused(
    tmp_path: Path, template: Path, content: bytes, fragment: str
) -> None:
    (tmp_path / "answers.yml").write_bytes(content)
    result = new(tmp_path, template, "--answers-file", str(tmp_path / "answers.yml"))
    assert_refused_without_writing(tmp_path, result, fragment)


def test_missing_answers_file_is_refused(tmp_path: Path, template: Path) -> None:
    result = new(tmp_path, template, "--answers-file", str(tmp_path / "missing.yml"))
    assert_refused_without_writing(
        tmp_path, result, "cannot read answers file", "No such file or directory"
    )


def test_unknown_data_key_is_refused_and_known_keys_listed(tmp_path: Path, template: Path) -> None:
    result = new(tmp_path, template, "--data", "colour=red")
    assert_refused_without_writing(
        tmp_path, result, "unknown question(s)", "colour", "known questions: flavour, name"
    )


def test_data_without_equals_is_refused(tmp_path: Path, template: Path) -> None:
    result = new(tmp_path, template, "--data", "oops")
    assert_refused_without_writing(
        tmp_path, result, "--data 'oops' is not KEY=VALUE (write it as --data key=value)"
    )


def test_invalid_choice_is_refused(tmp_path: Path, template: Path) -> None:
    result = new(tmp_path, template, "--data", "flavour=spicy")
    assert_refused_without_writing(tmp_path, result, "spicy", "(fix the answer and run again)")


def test_template_with_invalid_copier_yml_is_refused(tmp_path: Path) -> None:
    broken = build_file_tree(tmp_path / "broken", {"copier.yml": "name: [unclosed\n"})
    result = new(tmp_path, broken)
    assert_refused_without_writing(tmp_path, result, "has an invalid copier.yml", "line 1")


def test_template_with_invalid_cookiecutter_json_is_refused(tmp_path: Path) -> None:
    broken = build_file_tree(tmp_path / "broken", {"cookiecutter.json": "{not json"})
    result = new(tmp_path, broken)
    assert_refused_without_writing(tmp_path, result, "is not valid JSON", "line 1")


def test_unknown_template_is_refused_and_choices_named(tmp_path: Path) -> None:
    result = new(tmp_path, "no-such-template")
    assert_refused_without_writing(
        tmp_path, result, "template 'no-such-template' not found", "built-in template (mlops"
    )


def test_unknown_builtin_version_is_refused(tmp_path: Path) -> None:
    result = new(tmp_path, "mlops", "--vcs-ref", "0.0.0-nope")
    assert_refused_without_writing(
        tmp_path, result, "built-in template 'mlops' has no version '0.0.0-nope'"
    )


def test_network_url_while_offline_fails_fast_in_one_line(tmp_path: Path) -> None:
    started = time.monotonic()
    result = new(tmp_path, "https://example.invalid/template.git")
    assert_refused_without_writing(
        tmp_path,
        result,
        "cannot fetch template 'https://example.invalid/template.git'",
        "check the URL, the --vcs-ref and your network",
    )
    assert time.monotonic() - started < 30


def path_without_git(tmp_path: Path) -> str:
    """A PATH holding only python: git cannot be found."""
    bin_folder = tmp_path / "bin-without-git"
    bin_folder.mkdir()
    os.symlink(shutil.which("python") or "/usr/bin/python3", bin_folder / "python")
    return str(bin_folder)


def test_new_without_git_installed_is_refused(
    tmp_path: Path, template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", path_without_git(tmp_path))
    result = new(tmp_path, template)
    assert_refused_without_writing(
        tmp_path, result, "git is not installed (install git, or pass --no-git)"
    )


def test_update_without_git_installed_is_refused(
    tmp_path: Path, template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = generated_project(tmp_path, template)
    before = snapshot(project)
    monkeypatch.setenv("PATH", path_without_git(tmp_path))
    assert_one_line_error(invoke("update", str(project)), "git is not installed")
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("record", "fragment"),
    [
        (b"_src_path: [unclosed\n", "is not valid YAML"),
        (b"\xff\xfe\x00_src_path: x\n", "cannot read"),
        (b"name: demo\n", "does not record a template source (_src_path)"),
        (b"- just\n- a list\n", "does not record a template source (_src_path)"),
    ],
    ids=["malformed-yaml", "not-utf8", "no-source", "not-a-mapping"],
)
def test_update_with_broken_answers_record_is_refused_and_project_unchanged(
    tmp_path: Path, template: Path, record: bytes, fragment: str
) -> None:
    project = generated_project(tmp_path, template)
    (project / ".copier-answers.yml").write_bytes(record)
    git(project, "commit", "-q", "-am", "break the record")
    before = snapshot(project)
    assert_one_line_error(invoke("update", str(project)), fragment)
    assert snapshot(project) == before


def test_update_of_a_folder_that_is_no_project_is_refused(tmp_path: Path) -> None:
    result = invoke("update", str(tmp_path))
    assert_one_line_error(result, "is not a generated project (no .copier-answers.yml)")


def test_update_of_a_dirty_project_is_refused_and_project_unchanged(
    tmp_path: Path, template: Path
) -> None:
    project = generated_project(tmp_path, template)
    (project / "README.md").write_text("edited, not committed\n")
    before = snapshot(project)
    assert_one_line_error(invoke("update", str(project)), "has uncommitted changes")
    assert snapshot(project) == before


def test_destination_inside_a_file_is_refused(tmp_path: Path, template: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    result = invoke("new", str(tmp_path / "a-file" / "dest"), "--template", str(template))
    assert_one_line_error(result, "cannot create the project beside", "Not a directory")
    assert (tmp_path / "a-file").read_text() == "x"


def test_non_empty_destination_is_refused_and_kept(tmp_path: Path, template: Path) -> None:
    build_file_tree(tmp_path / "dest", {"mine.txt": "keep me"})
    result = new(tmp_path, template)
    assert_one_line_error(result, "is not empty (pick a new folder name)")
    assert snapshot(tmp_path / "dest") == {"mine.txt": b"keep me"}


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        (b"\xff\xfe\x00policy: {}\n", "is not UTF-8 text"),
        (b"policy: [unclosed\n", "org.yaml:2: not valid YAML"),
        (b"polcy: {}\n", ":1: polcy: unknown key"),
    ],
    ids=["not-utf8", "malformed-yaml", "unknown-key"],
)
def test_bad_org_config_is_refused_by_check(tmp_path: Path, config: bytes, fragment: str) -> None:
    (tmp_path / "org.yaml").write_bytes(config)
    result = invoke("check", str(tmp_path), "--org-config", str(tmp_path / "org.yaml"))
    assert_one_line_error(result, fragment)


def test_check_output_into_a_missing_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "p"\n')
    result = invoke("check", str(tmp_path), "--output", str(tmp_path / "missing" / "report.txt"))
    assert_one_line_error(result, "No such file or directory", "missing/report.txt")
