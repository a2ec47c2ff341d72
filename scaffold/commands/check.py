"""`scaffold check`: check projects against the org's conventions and return one report.

Resolves which projects (paths given, or every project under `--recursive`),
which rules (built-in, plugins, org config; `--select`/`--ignore` and the
org policy's), then runs them. Rendering is the reports' job.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from scaffold.check.report import CheckReport, RuleInfo
from scaffold.check.rules import Rule, collect_rules, select_rules
from scaffold.check.runner import PROJECT_MARKERS, check_projects, discover_projects
from scaffold.errors import ScaffoldError
from scaffold.project.layout import locate_project
from scaffold.project.orgconfig import OrgConfig


def rules_for(org: OrgConfig, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[Rule]:
    """The rules a check runs: all known rules, narrowed by the org policy, then by the user."""
    rules = collect_rules(org)
    rules = select_rules(rules, org.policy.select, org.policy.ignore)
    rules = select_rules(rules, _split(select), _split(ignore))
    if not rules:  # a check that runs nothing must not pass silently
        raise ScaffoldError(
            "the rule selection leaves no rule to run",
            "loosen --select/--ignore or the org policy's select/ignore",
        )
    return rules


def check(
    paths: Sequence[Path] = (),
    *,
    recursive: Path | None = None,
    org: OrgConfig | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    jobs: int | None = None,
    answers_file: str | None = None,
) -> CheckReport:
    """Check the projects at `paths` (and under `recursive`) and return the report.

    `answers_file` checks one template's record and pristine render in
    projects holding several (layered templates); by default all count.
    """
    org = org or OrgConfig()
    projects = _projects(paths, recursive, answers_file)
    rules = rules_for(org, select, ignore)
    reports = check_projects(projects, rules, org.policy, jobs=jobs, answers_file=answers_file)
    return CheckReport(
        rules=tuple(RuleInfo.of(rule) for rule in rules),
        projects=reports,
        org_config=str(org.path) if org.path else None,
    )


def _projects(
    paths: Sequence[Path], recursive: Path | None, answers_file: str | None = None
) -> list[Path]:
    if not paths and recursive is None:
        paths = [Path(".")]
    for path in [*paths, *([recursive] if recursive else [])]:
        if not path.is_dir():
            raise ScaffoldError(f"{path} is not a folder", "pass project folders to check")
    projects = [_project_root(path, answers_file) for path in paths]
    if recursive is not None:
        found = discover_projects(recursive)
        if not found:
            raise ScaffoldError(
                f"no project under {recursive}",
                "a project is a folder with .copier-answers.yml or pyproject.toml",
            )
        projects += found
    return list(dict.fromkeys(projects))


def _project_root(path: Path, answers_file: str | None = None) -> Path:
    """The project holding `path` (as update, diff and status find it), which must be one."""
    located = locate_project(path, answers_file)
    if located != path.resolve():
        return located
    if not any(os.path.lexists(path / marker) for marker in PROJECT_MARKERS):  # any kind
        raise ScaffoldError(
            f"{path} is not a scaffold project (no {' or '.join(PROJECT_MARKERS)} in it "
            "or above it)",
            "pass project folders, or --recursive FOLDER to find the projects under it",
        )
    return path


def _split(selectors: Sequence[str]) -> list[str]:
    """`--select A,B --select C` as [A, B, C]."""
    return [part.strip() for item in selectors for part in item.split(",") if part.strip()]
