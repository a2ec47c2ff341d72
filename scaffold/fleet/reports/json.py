"""The fleet result as JSON for tools: the counts, then one object per project."""

from __future__ import annotations

import json
from typing import Any

from scaffold.fleet.reports.summary import findings_of, headline
from scaffold.fleet.results import FleetResult, ProjectOutcome


def render_json(result: FleetResult) -> str:
    """Every field of the result, stable keys, indented."""
    document = {
        "command": result.command,
        "generated_at": result.generated_at,
        "dry_run": result.dry_run,
        "exit_code": result.exit_code,
        "org_config": result.org_config,
        "summary": headline(result),
        "states": result.by_state(),
        "projects": [_project(project) for project in result.projects],
    }
    return json.dumps(document, indent=2) + "\n"


def _project(project: ProjectOutcome) -> dict[str, Any]:
    return {
        "name": project.name,
        "location": project.location,
        "state": project.state.value,
        "template": project.template,
        "version": project.version,
        "target_version": project.target_version,
        "versions_behind": project.versions_behind,
        "branch": project.branch,
        "request_url": project.request_url,
        "request_action": project.request_action,
        "request_title": project.request_title,
        "request_body": project.request_body,
        "conflicts": list(project.conflicts),
        "changed_files": project.changed_files,
        "failed_rules": list(project.failed_rules),
        "findings": [
            {"rule": rule, "severity": severity, "message": message, "where": where or None}
            for rule, severity, message, where in findings_of(project)
        ],
        "error": project.error or None,
    }
