"""Fixtures for `scaffold check` tests: a generated project rendered once, copied per test.

`fresh_project` is a default `mlops` project made by `scaffold new` (git and
pristine ref included); tests mutate their own copy to break one rule.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scaffold.check.report import RuleResult
from scaffold.check.rules import Rule, builtin_rules
from scaffold.check.runner import check_project
from scaffold.commands.new import new_project
from scaffold.project.orgconfig import Policy
from tests.helpers import git

FULL_POLICY = Policy(
    template_source="builtin:mlops",
    min_template_version="1.0.0",
    locked_answers={"license": "MIT"},
    required_files=("README.md",),
    required_ci_commands=("make lint",),
)


@pytest.fixture(scope="session")
def generated_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A default project made once per test session (do not modify it)."""
    return new_project(tmp_path_factory.mktemp("generated") / "project").path


@pytest.fixture(scope="session")
def generated_minimal_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A GitLab project without DVC and serving, made once per test session."""
    data = ["ci_provider=gitlab", "data_versioning=none", "serving=none", "license=Proprietary"]
    return new_project(tmp_path_factory.mktemp("generated") / "minimal", data=data).path


@pytest.fixture
def fresh_project(generated_project: Path, tmp_path: Path) -> Path:
    """A private copy of the generated default project."""
    return Path(shutil.copytree(generated_project, tmp_path / "project", symlinks=True))


def rule_by_id(rule_id: str) -> Rule:
    """The built-in rule called `rule_id`."""
    return next(rule for rule in builtin_rules() if rule.id == rule_id)


def run_rule(project: Path, rule_id: str, policy: Policy = FULL_POLICY) -> RuleResult:
    """The result of one built-in rule on `project`."""
    return check_project(project, [rule_by_id(rule_id)], policy).results[0]


def edit(project: Path, relative_path: str, old: str, new: str) -> None:
    """Replace `old` (which must be there) with `new` in a project file."""
    path = project / relative_path
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative_path}: the template changed"
    path.write_text(text.replace(old, new), encoding="utf-8")


def stage(project: Path, *paths: str) -> None:
    """`git add -A`, plus `git add --force` of `paths`: what hygiene rules see as committed.

    Forcing shows a file committed in spite of the project's `.gitignore`.
    """
    git(project, "add", "-A")
    if paths:
        git(project, "add", "--force", "--", *paths)
