"""The report for code-scanning UIs: one SARIF 2.1.0 run, one result per finding.

Paths are relative to the current folder (`%SRCROOT%`) so a repository's CI
can upload the file as is; opted-out findings become suppressed results with
the opt-out's reason as justification. Skipped rules produce nothing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from scaffold import __version__
from scaffold.check.report import FAIL, IGNORED, CheckReport, RuleInfo
from scaffold.check.rules.base import Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
LEVELS = {"error": "error", "warning": "warning"}


def as_document(report: CheckReport, root: Path | None = None) -> dict[str, Any]:
    """The report as a SARIF log; file locations are made relative to `root` (default: cwd)."""
    root = (root or Path.cwd()).resolve()
    index = {rule.id: number for number, rule in enumerate(report.rules)}
    results = []
    for project in report.projects:
        for result in project.results:
            if result.status not in (FAIL, IGNORED):
                continue
            for finding in result.findings:
                entry: dict[str, Any] = {
                    "ruleId": result.rule_id,
                    "ruleIndex": index[result.rule_id],
                    "level": LEVELS[result.severity],
                    "message": {"text": _message(report.rule(result.rule_id), finding)},
                }
                location = _location(root, Path(project.path), finding)
                if location:
                    entry["locations"] = [location]
                if result.status == IGNORED:
                    entry["suppressions"] = [{"kind": "external", "justification": result.reason}]
                results.append(entry)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "scaffold",
                        "version": __version__,
                        "informationUri": "https://pypi.org/project/scaffold-mlops/",
                        "rules": [_rule(rule) for rule in report.rules],
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": root.as_uri() + "/"}},
                "results": results,
            }
        ],
    }


def render(report: CheckReport) -> str:
    """The report as a SARIF JSON string."""
    return json.dumps(as_document(report), indent=2) + "\n"


def _rule(rule: RuleInfo) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": "".join(
            word.capitalize() for word in re.findall(r"[A-Za-z0-9]+", rule.title.replace("'", ""))
        ),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description or rule.title},
        "help": {
            "text": f"{rule.description}\n\nFix: {rule.fix}",
            "markdown": f"{rule.description}\n\n**Fix:** {rule.fix}",
        },
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"family": rule.family, "tags": [rule.family]},
    }


def _message(rule: RuleInfo, finding: Finding) -> str:
    return f"{rule.title}: {finding.message}. Fix: {rule.fix}" if rule.fix else finding.message


def _location(root: Path, project: Path, finding: Finding) -> dict[str, Any] | None:
    if finding.path is None:
        return None
    target = (project / finding.path).resolve()
    try:
        relative = target.relative_to(root).as_posix()
        artifact = {"uri": quote(relative, safe="/"), "uriBaseId": SRCROOT}  # `#`, `%`, spaces
    except ValueError:
        artifact = {"uri": target.as_uri()}
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if finding.line:
        physical["region"] = {"startLine": finding.line}
    return {"physicalLocation": physical}
