"""Project facts read files once and forgivingly, and say which core config does not parse."""

from __future__ import annotations

import os
from pathlib import Path

from scaffold.check.facts import ParseError, ProjectFiles
from tests.helpers import build_file_tree


def test_text_reads_newlines_as_text_mode_does(tmp_path: Path) -> None:
    build_file_tree(tmp_path, {"Makefile": b"lint:\r\n\truff check .\r\nold:\rmac\n"})
    files = ProjectFiles(tmp_path)
    assert files.read_text("Makefile") == "lint:\n\truff check .\nold:\nmac\n"
    assert files.make_targets["lint"] == "ruff check .\n"


def test_text_is_none_for_missing_and_non_utf8_files(tmp_path: Path) -> None:
    build_file_tree(tmp_path, {"latin1.txt": "café".encode("latin-1")})
    files = ProjectFiles(tmp_path)
    assert files.read_text("latin1.txt") is None
    assert files.read_text("missing.txt") is None


def test_config_errors_name_each_core_config_that_does_not_parse(tmp_path: Path) -> None:
    build_file_tree(
        tmp_path,
        {"pyproject.toml": "[[[bad\n", "params.yaml": "seed: 1\nprepare: [unclosed\n"},
    )
    errors = ProjectFiles(tmp_path).config_errors
    assert [(error.path, error.line) for error in errors] == [
        ("pyproject.toml", None),
        ("params.yaml", 3),
    ]
    assert errors[0].message.startswith("is not valid TOML")


def test_config_errors_report_a_config_that_is_not_utf8(tmp_path: Path) -> None:
    build_file_tree(tmp_path, {"pyproject.toml": b"name = '\xff'\n", "params.yaml": b"a: \xff\n"})
    assert ProjectFiles(tmp_path).config_errors == [
        ParseError("pyproject.toml", "is not UTF-8 text"),
        ParseError("params.yaml", "is not UTF-8 text"),
    ]


def test_config_errors_are_empty_for_valid_or_missing_configs(tmp_path: Path) -> None:
    assert ProjectFiles(tmp_path).config_errors == []
    build_file_tree(
        tmp_path, {"pyproject.toml": "[project]\nname = 'x'\n", "params.yaml": "a: 1\n"}
    )
    files = ProjectFiles(tmp_path)
    assert files.config_errors == []
    assert files.params == {"a": 1}
    assert files.pyproject == {"project": {"name": "x"}}


def test_ci_configs_hold_every_workflow_and_gitlab_file(tmp_path: Path) -> None:
    build_file_tree(
        tmp_path,
        {
            ".github/workflows/b.yaml": "on: push\n",
            ".github/workflows/a.yml": "on: [pull_request]\n",
            ".github/workflows/notes.md": "not a workflow\n",
            ".gitlab-ci.yml": "test:\n  script: [make test]\n",
        },
    )
    configs = ProjectFiles(tmp_path).ci_configs
    assert list(configs) == [
        ".github/workflows/a.yml",
        ".github/workflows/b.yaml",
        ".gitlab-ci.yml",
    ]
    assert configs[".gitlab-ci.yml"] == {"test": {"script": ["make test"]}}


def test_config_errors_report_a_config_that_is_not_a_regular_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pyproject.toml")  # reading a FIFO would block: it must be refused
    files = ProjectFiles(tmp_path)
    assert files.pyproject == {}
    assert files.config_errors == [
        ParseError("pyproject.toml", "is a FIFO, not a regular file"),
    ]
