"""CI rules (SCF-C): CI exists, lints, and really runs the unit, data and model tests.

"Really runs" means following `make TARGET` calls into the Makefile's
recipes and reading which folders each pytest invocation covers, instead of
trusting job names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from scaffold.check.rules.base import Finding, Rule, holds_match
from scaffold.project.orgconfig import Policy

CI_FILES = {"github": ".github/workflows/ci.yml", "gitlab": ".gitlab-ci.yml"}
MAKE_CALL = re.compile(r"(?:^|[\s;&|(])(?:\$\(MAKE\)|make)\s+([^\n;&|]+)")
PYTEST_CALL = re.compile(r"(?:^|[\s/])pytest\b([^\n;&|]*)")
WILDCARD = re.compile(r"\$\(wildcard\s+([^)]*)\)")
MAX_MAKE_DEPTH = 4


def expand_commands(command: str, make_targets: dict[str, str], depth: int = 0) -> str:
    """`command` followed by the recipes of the make targets it calls (recursively)."""
    if depth >= MAX_MAKE_DEPTH:
        return command
    expanded = [command]
    for match in MAKE_CALL.finditer(command):
        for word in match.group(1).split():
            if word.startswith("-") or "=" in word:
                continue
            if word in make_targets:
                expanded.append(expand_commands(make_targets[word], make_targets, depth + 1))
    return "\n".join(expanded)


def pytest_targets(script: str) -> list[list[str]]:
    """The path arguments of every pytest call in `script` ([] means the configured testpaths)."""
    calls = []
    for match in PYTEST_CALL.finditer(WILDCARD.sub(r"\1", script)):
        words = [w.strip("\"'") for w in match.group(1).split()]
        calls.append([w.rstrip("/") for w in words if w and not w.startswith(("-", "$"))])
    return calls


def covers(calls: list[list[str]], folder: str) -> bool:
    """Whether some pytest call runs the tests in `folder`."""
    for paths in calls:
        if not paths:
            return True
        if any(folder == path or folder.startswith(path + "/") for path in paths):
            return True
    return False


def _ci_script(ci_commands: list[tuple[str, str]], make_targets: dict[str, str]) -> str:
    return "\n".join(expand_commands(command, make_targets) for _, command in ci_commands)


class CiConfigured(Rule):
    """The project has a CI configuration for its provider, and it is valid YAML.

    Every convention below is enforced on each push only if CI runs; a
    broken YAML file means no pipeline runs at all.

    Fix: Restore `.github/workflows/ci.yml` (GitHub) or `.gitlab-ci.yml`
    (GitLab) from the template and fix the YAML syntax.
    """

    id = "SCF-C001"
    family = "ci"
    title = "CI is configured and parses"

    def check(self, ci_configs: dict[str, Any], options: dict[str, Any]) -> Iterator[Finding]:
        expected = CI_FILES.get(str(options.get("ci_provider", "")))
        if not ci_configs:
            yield Finding("no CI configuration", expected or CI_FILES["github"])
        elif expected and expected not in ci_configs:
            yield Finding(f"{expected} is missing", expected)
        for path, config in ci_configs.items():
            if not isinstance(config, dict):
                yield Finding("CI file is not a valid YAML mapping", path)


class CiLintsAndTests(Rule):
    """CI lints the code and runs the test suite, plus any commands the org requires.

    Lint (ruff) and tests (pytest) on every push and pull request (scheduled
    workflows do not count) keep main releasable; the org
    policy can require more commands (`policy.required_ci_commands`).

    Fix: Add steps running `make lint` and `make test-unit` (or `make test`)
    to the CI workflow, and any command the org policy lists.
    """

    id = "SCF-C002"
    family = "ci"
    title = "CI lints, tests and runs the org's required commands"

    def check(
        self, ci_push_commands: list[tuple[str, str]], make_targets: dict[str, str], policy: Policy
    ) -> Iterator[Finding]:
        ci_file = ci_push_commands[0][0] if ci_push_commands else CI_FILES["github"]
        script = _ci_script(ci_push_commands, make_targets)
        if "ruff check" not in script:
            yield Finding("CI never runs the linter (ruff check)", ci_file)
        if not pytest_targets(script):
            yield Finding("CI never runs pytest", ci_file)
        for command in policy.required_ci_commands:
            if command not in script:
                yield Finding(f"CI never runs '{command}' (required by the org policy)", ci_file)


class CiRunsDataAndModelTests(Rule):
    """CI actually runs the data tests and the model tests, and those folders hold tests.

    Data tests validate the dataset before training; model tests check the
    trained model against its quality thresholds. A CI job that runs only
    `pytest tests/unit` passes while the data or the model is broken.

    Fix: Run `make test-unit` (tests/unit and tests/data) before the pipeline
    and `make test-model` (tests/model) after it, as the template's CI does.
    """

    id = "SCF-C003"
    family = "ci"
    title = "CI runs the data and model tests"

    def check(
        self, project: Path, ci_push_commands: list[tuple[str, str]], make_targets: dict[str, str]
    ) -> Iterator[Finding]:
        ci_file = ci_push_commands[0][0] if ci_push_commands else CI_FILES["github"]
        calls = pytest_targets(_ci_script(ci_push_commands, make_targets))
        for folder, kind in (("tests/data", "data"), ("tests/model", "model")):
            if not covers(calls, folder):
                yield Finding(f"CI never runs the {kind} tests in {folder}/", ci_file)
            elif not holds_match(project / folder, "test_*.py"):
                yield Finding(f"CI runs {folder}/ but it holds no test_*.py", folder)


RULES = (CiConfigured, CiLintsAndTests, CiRunsDataAndModelTests)
