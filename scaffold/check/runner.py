"""Run rules over projects: one project in-process, many in parallel worker processes.

Each project is checked by injecting `ProjectFiles` fixtures into the rules,
applying the project's opt-outs (`[tool.scaffold.ignore]` in pyproject.toml)
and collecting a `ProjectReport`. Many projects are split into chunks for a
process pool. This module neither finds rules nor prints anything.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from scaffold.check.facts import SKIPPED_DIRS, ProjectFiles
from scaffold.check.report import FAIL, IGNORED, PASS, SKIP, ProjectReport, RuleResult
from scaffold.check.rules import matches
from scaffold.check.rules.base import Finding, Rule, Skip, normalise_outcome
from scaffold.project.orgconfig import Policy

SERIAL_LIMIT = 8  # below this many projects a process pool costs more than it saves
CHUNKS_PER_WORKER = 4
PROJECT_MARKERS = (".copier-answers.yml", "pyproject.toml")


def read_opt_outs(settings: dict[str, Any]) -> dict[str, str]:
    """Rule id -> reason from the project's `[tool.scaffold.ignore]` table."""
    table = settings.get("ignore", {})
    return {str(k): str(v).strip() for k, v in table.items()} if isinstance(table, dict) else {}


def check_project(
    project: Path, rules: Sequence[Rule], policy: Policy, answers_file: str | None = None
) -> ProjectReport:
    """Run `rules` on the project at `project` (`answers_file`: one template's record)."""
    files = ProjectFiles(project, policy, answers_file)
    opt_outs = read_opt_outs(files.scaffold_settings)
    results = tuple(_run_rule(rule, files, opt_outs, policy) for rule in rules)
    return ProjectReport(str(project), results, tuple(sorted(opt_outs.items())))


def check_projects(
    projects: Sequence[Path],
    rules: Sequence[Rule],
    policy: Policy,
    jobs: int | None = None,
    answers_file: str | None = None,
) -> tuple[ProjectReport, ...]:
    """Check every project, in parallel when there are many; results keep the input order."""
    workers = max(1, jobs or os.cpu_count() or 1)
    if workers == 1 or len(projects) <= SERIAL_LIMIT:
        return tuple(check_project(project, rules, policy, answers_file) for project in projects)
    size = max(1, -(-len(projects) // (workers * CHUNKS_PER_WORKER)))
    chunks = [list(projects[i : i + size]) for i in range(0, len(projects), size)]
    with ProcessPoolExecutor(max_workers=min(workers, len(chunks))) as pool:
        reports = pool.map(
            _check_chunk,
            chunks,
            [rules] * len(chunks),
            [policy] * len(chunks),
            [answers_file] * len(chunks),
        )
        return tuple(report for chunk in reports for report in chunk)


def discover_projects(root: Path) -> list[Path]:
    """Every project under `root` (a folder with an answers file or pyproject.toml), sorted.

    The search does not descend into a project it found, nor into hidden or
    virtualenv folders.
    """
    found: list[Path] = []
    for folder, subfolders, names in os.walk(root):
        if any(marker in names for marker in PROJECT_MARKERS):
            found.append(Path(folder))
            subfolders[:] = []
            continue
        subfolders[:] = sorted(
            name for name in subfolders if name not in SKIPPED_DIRS and not name.startswith(".")
        )
    return sorted(found)


def _check_chunk(
    projects: list[Path], rules: Sequence[Rule], policy: Policy, answers_file: str | None
) -> list[ProjectReport]:
    return [check_project(project, rules, policy, answers_file) for project in projects]


def _run_rule(
    rule: Rule, files: ProjectFiles, opt_outs: dict[str, str], policy: Policy
) -> RuleResult:
    severity = rule.severity.value
    try:
        outcome = normalise_outcome(rule.check(**{n: files.fixture(n) for n in _fixtures(rule)}))
    except Exception as error:  # a broken plugin rule must not hide the other results
        outcome = (Finding(f"the rule crashed: {type(error).__name__}: {error}"),)
    if isinstance(outcome, Skip):
        return RuleResult(rule.id, severity, SKIP, reason=outcome.reason)
    status = FAIL if outcome else PASS
    reason = opt_outs.get(rule.id)
    if reason is None or status == PASS:
        return RuleResult(rule.id, severity, status, outcome)
    if not reason:
        return RuleResult(rule.id, severity, status, outcome, note="opt-out ignored: no reason")
    if any(matches(rule, selector) for selector in policy.enforced):
        note = "opt-out refused: the org config enforces this rule"
        return RuleResult(rule.id, severity, status, outcome, reason=reason, note=note)
    return RuleResult(rule.id, severity, IGNORED, outcome, reason=reason)


_FIXTURE_NAMES: dict[tuple[type, str], tuple[str, ...]] = {}


def _fixtures(rule: Rule) -> tuple[str, ...]:
    key = (type(rule), rule.id)
    if key not in _FIXTURE_NAMES:
        _FIXTURE_NAMES[key] = rule.fixture_names()
    return _FIXTURE_NAMES[key]
