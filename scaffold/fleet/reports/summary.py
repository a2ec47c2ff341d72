"""Fleet-wide figures every report shows: version spread, rule conformance, the most behind.

Pure functions of a `FleetResult`; the renderers only lay these out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from scaffold.check.report import FAIL, IGNORED, PASS, RuleInfo
from scaffold.fleet.results import FleetResult, ProjectOutcome, State
from scaffold.fleet.versions import parsed

UNKNOWN_VERSION = "unknown"


@dataclass(frozen=True)
class RuleConformance:
    """How the fleet fares on one rule."""

    rule: RuleInfo
    passed: int
    failed: int
    other: int  # skipped or ignored (opted out)

    @property
    def checked(self) -> int:
        """Projects where the rule passed or failed."""
        return self.passed + self.failed

    @property
    def pass_ratio(self) -> float:
        """Share of checked projects that pass (1.0 when none was checked)."""
        return self.passed / self.checked if self.checked else 1.0


def version_spread(result: FleetResult) -> dict[str, list[tuple[str, int]]]:
    """Template source -> [(version, projects)], oldest version first."""
    counted: dict[str, Counter[str]] = {}
    for project in result.projects:
        if project.template is not None:
            counted.setdefault(project.template, Counter())[project.version or UNKNOWN_VERSION] += 1
    return {
        template: sorted(counts.items(), key=lambda item: _version_order(item[0]))
        for template, counts in sorted(counted.items())
    }


def newest_versions(result: FleetResult) -> dict[str, str]:
    """Template source -> the newest version the org allows (as found by the run)."""
    newest: dict[str, str] = {}
    for project in result.projects:
        if project.template and project.target_version:
            newest[project.template] = project.target_version
    return newest


def rule_conformance(result: FleetResult) -> list[RuleConformance]:
    """Every rule with its pass and fail counts, most failures first."""
    rows = []
    for rule in result.rules:
        statuses = Counter(
            next((r.status for r in project.check.results if r.rule_id == rule.id), "")
            for project in result.projects
            if project.check is not None
        )
        other = sum(count for status, count in statuses.items() if status not in (PASS, FAIL))
        rows.append(RuleConformance(rule, statuses[PASS], statuses[FAIL], other))
    return sorted(rows, key=lambda row: (-row.failed, row.pass_ratio, row.rule.id))


def most_behind(result: FleetResult, limit: int = 10) -> list[ProjectOutcome]:
    """The projects the most versions behind the newest allowed one (only those behind)."""
    behind = [project for project in result.projects if (project.versions_behind or 0) > 0]
    return sorted(behind, key=lambda project: (-(project.versions_behind or 0), project.name))[
        :limit
    ]


def headline(result: FleetResult) -> dict[str, int]:
    """The numbers at the top of every report."""
    projects = result.projects
    return {
        "projects": len(projects),
        "current": sum(1 for p in projects if p.state is State.CURRENT),
        "behind": sum(
            1 for p in projects if (p.versions_behind or 0) > 0 or p.state is State.OUTDATED
        ),
        "failing_rules": sum(1 for p in projects if p.check is not None and p.check.failed),
        "conflicted": sum(1 for p in projects if p.conflicts),
        "failed": sum(1 for p in projects if p.state is State.FAILED),
        "not_projects": sum(1 for p in projects if p.state is State.NOT_A_PROJECT),
    }


def findings_of(project: ProjectOutcome) -> list[tuple[str, str, str, str]]:
    """(rule id, severity, message, where) for every failed or opted-out finding of a project."""
    rows = []
    if project.check is None:
        return rows
    for rule_result in project.check.results:
        if rule_result.status not in (FAIL, IGNORED):
            continue
        severity = rule_result.severity if rule_result.status == FAIL else "ignored"
        for finding in rule_result.findings or ():
            where = finding.path or ""
            if finding.path and finding.line:
                where += f":{finding.line}"
            rows.append((rule_result.rule_id, severity, finding.message, where))
    return rows


def _version_order(version: str) -> tuple[int, object, str]:
    value = parsed(version)
    return (0, value, version) if value is not None else (1, 0, version)
