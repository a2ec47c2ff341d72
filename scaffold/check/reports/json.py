"""The report for tools: JSON following `check-report.schema.json` (shipped beside this module).

Every result carries its rule's title and fix, so a consumer needs no second
lookup; the `rules` list repeats the full rule docs once.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from scaffold import __version__
from scaffold.check.report import FAIL, PASS, CheckReport, ProjectReport

SCHEMA_FILE = "check-report.schema.json"
FORMAT_VERSION = 1


def as_document(report: CheckReport) -> dict[str, Any]:
    """The report as plain JSON-ready data."""
    statuses = [project.status for project in report.projects]
    return {
        "format_version": FORMAT_VERSION,
        "tool": {"name": "scaffold", "version": __version__},
        "org_config": report.org_config,
        "exit_code": report.exit_code,
        "summary": {
            "projects": len(report.projects),
            "failed": statuses.count(FAIL),
            "warned": statuses.count("warn"),
            "passed": statuses.count(PASS),
        },
        "rules": [asdict(rule) for rule in report.rules],
        "projects": [_project(report, project) for project in report.projects],
    }


def render(report: CheckReport) -> str:
    """The report as a JSON string."""
    return json.dumps(as_document(report), indent=2) + "\n"


def _project(report: CheckReport, project: ProjectReport) -> dict[str, Any]:
    return {
        "path": project.path,
        "status": project.status,
        "opt_outs": [{"rule": rule, "reason": reason} for rule, reason in project.opt_outs],
        "results": [
            {
                "rule": result.rule_id,
                "title": report.rule(result.rule_id).title,
                "family": report.rule(result.rule_id).family,
                "severity": result.severity,
                "status": result.status,
                "reason": result.reason,
                "note": result.note,
                "fix": report.rule(result.rule_id).fix,
                "findings": [asdict(finding) for finding in result.findings],
            }
            for result in project.results
        ],
    }
