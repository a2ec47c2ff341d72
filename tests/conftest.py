"""Shared fixtures: small copier templates built from dicts inside each test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import build_file_tree, commit_all

# Generated-project fixtures for `scaffold check` tests (tests/check/rules, tests/check/reports).
pytest_plugins = ["tests.check_fixtures", "pytester"]  # pytester: tests/test_pytest_plugin.py

SMALL_TEMPLATE = {
    "copier.yml": (
        "name:\n  type: str\n  default: demo\n"
        "flavour:\n  type: str\n  choices: [plain, fancy]\n  default: plain\n"
        "_answers_file: .copier-answers.yml\n"
    ),
    "{{ _copier_conf.answers_file }}.jinja": "{{ _copier_answers|to_nice_yaml -}}\n",
    "README.md.jinja": "# {{ name }}\nflavour: {{ flavour }}\n",
    "src/{{ name }}.py.jinja": 'NAME = "{{ name }}"\n',
}


@pytest.fixture
def small_template(tmp_path: Path) -> Path:
    """A local (non-git) copier template with two questions."""
    return build_file_tree(tmp_path / "small-template", SMALL_TEMPLATE)


@pytest.fixture
def git_template(tmp_path: Path) -> Path:
    """A git copier template with tags v1.0.0 and v2.0.0 (v2 changes the README)."""
    repo = build_file_tree(tmp_path / "git-template", SMALL_TEMPLATE)
    commit_all(repo, "v1", tag="v1.0.0")
    build_file_tree(repo, {"README.md.jinja": "# {{ name }}\nflavour: {{ flavour }}\nv2\n"})
    commit_all(repo, "v2", tag="v2.0.0")
    return repo
