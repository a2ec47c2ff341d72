"""The report for people: a summary table for many projects, then each project's findings by family.

Colours are click styles, added only when `color` is true (the CLI decides
from the terminal). Passing projects take one table row and nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

import click

from scaffold.check.report import FAIL, IGNORED, PASS, SKIP, CheckReport, ProjectReport, RuleResult

Style = Callable[..., str]
STATUS_COLOURS = {FAIL: "red", "warn": "yellow", PASS: "green", IGNORED: "cyan"}


def render(report: CheckReport, *, color: bool = False) -> str:
    """The whole report as text."""

    def style(text: str, **styles: object) -> str:
        return click.style(text, **styles) if color else text  # type: ignore[arg-type]

    blocks = []
    if len(report.projects) > 1:
        blocks.append(_summary_table(report, style))
    for project in report.projects:
        if len(report.projects) == 1 or _has_details(project):
            blocks.append(_project_details(report, project, style))
    blocks.append(_verdict(report, style))
    return "\n\n".join(blocks) + "\n"


def _has_details(project: ProjectReport) -> bool:
    return any(r.status in (FAIL, IGNORED) or r.note for r in project.results)


def _summary_table(report: CheckReport, style: Style) -> str:
    width = max(len("PROJECT"), *(len(p.path) for p in report.projects))
    header = f"{'PROJECT':<{width}}  STATUS  FAILED  PASSED  SKIPPED  IGNORED"
    rows = [style(header, bold=True)]
    for project in report.projects:
        status = style(f"{project.status:<6}", fg=STATUS_COLOURS[project.status])
        rows.append(
            f"{shown(project.path):<{width}}  {status}  {project.count(FAIL):>6}  "
            f"{project.count(PASS):>6}  {project.count(SKIP):>7}  {project.count(IGNORED):>7}"
        )
    return "\n".join(rows)


def _project_details(report: CheckReport, project: ProjectReport, style: Style) -> str:
    counts = ", ".join(
        f"{project.count(status)} {label}"
        for status, label in ((FAIL, "failed"), (PASS, "passed"), (SKIP, "skipped"))
    )
    title = style(shown(project.path), bold=True)
    status = style(project.status.upper(), fg=STATUS_COLOURS[project.status], bold=True)
    lines = [f"{title}  {status}  ({counts})"]
    failing = [r for r in project.results if r.status == FAIL]
    by_family = groupby(failing, key=lambda result: report.rule(result.rule_id).family)
    for family, results in by_family:
        lines.append(f"  {style(family, bold=True)}")
        for result in results:
            lines.extend(_failure(report, result, style))
    ignored = [r for r in project.results if r.status == IGNORED]
    if ignored or project.opt_outs:
        lines.append(f"  {style('opt-outs', bold=True)}")
        for rule_id, reason in project.opt_outs:
            state = _opt_out_state(report, project, rule_id)
            lines.append(f"    - {rule_id} ({state}): {shown(reason) or '(no reason given)'}")
    return "\n".join(lines)


def _opt_out_state(report: CheckReport, project: ProjectReport, rule_id: str) -> str:
    """What became of one `[tool.scaffold.ignore]` entry, in words."""
    result = next((r for r in project.results if r.rule_id == rule_id), None)
    if result is None:
        return "matches no rule that ran: unknown id, or not selected"
    if result.status == IGNORED:
        return "applied: the failure is ignored"
    if result.status == FAIL:
        refused = "refused" in result.note
        return "refused: the org config enforces this rule" if refused else "not applied: no reason"
    return "not needed: the rule passes" if result.status == PASS else "not needed: rule skipped"


def shown(text: str) -> str:
    """`text` on one line: a line break or control character in a file name is escaped."""
    return "".join(
        character if character.isprintable() else character.encode("unicode_escape").decode()
        for character in text
    )


def _failure(report: CheckReport, result: RuleResult, style: Style) -> list[str]:
    rule = report.rule(result.rule_id)
    colour = "red" if result.severity == "error" else "yellow"
    mark = style("✗" if result.severity == "error" else "!", fg=colour, bold=True)
    lines = [f"    {mark} {style(rule.id, fg=colour)} {rule.title} [{result.severity}]"]
    for finding in result.findings:
        where = shown(finding.path or "")
        if finding.path and finding.line:
            where += f":{finding.line}"
        lines.append(
            f"        {style(where, bold=True)}: {shown(finding.message)}"
            if where
            else f"        {shown(finding.message)}"
        )
    if result.note:
        lines.append(f"        note: {result.note}")
    if rule.fix:
        lines.append(f"        {style('fix:', fg='cyan')} {rule.fix}")
    return lines


def _verdict(report: CheckReport, style: Style) -> str:
    failed = sum(1 for p in report.projects if p.failed)
    findings = sum(len(r.findings) for p in report.projects for r in p.results if r.status == FAIL)
    total = len(report.projects)
    noun = "project" if total == 1 else "projects"
    if failed:
        return style(
            f"{failed} of {total} {noun} failed ({findings} findings)", fg="red", bold=True
        )
    return style(f"{total} {noun} checked: all passed", fg="green", bold=True)
