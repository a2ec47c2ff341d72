"""The fleet result as a table a person reads in a terminal, then a one-line summary."""

from __future__ import annotations

from scaffold.fleet.results import FleetResult, ProjectOutcome


def render_text(result: FleetResult) -> str:
    """One row per project (name, state, version → target, detail), then the counts."""
    rows = [("project", "state", "version", "detail")]
    for project in result.projects:
        rows.append((project.name, project.state.value, _versions(project), _detail(project)))
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
        + "  "
        + row[3]
        for row in rows
    ]
    counts = ", ".join(f"{count} {state}" for state, count in result.by_state().items())
    verb = f"fleet {result.command}" + (" (dry run: nothing pushed)" if result.dry_run else "")
    lines.append(f"{verb}: {len(result.projects)} project(s): {counts}")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _versions(project: ProjectOutcome) -> str:
    if project.template is None:
        return "-"
    current = project.version or "?"
    if project.target_version and project.target_version != project.version:
        return f"{current} -> {project.target_version}"
    return current


def _detail(project: ProjectOutcome) -> str:
    parts = []
    if project.error:
        parts.append(project.error)
    if project.branch:
        parts.append(f"branch {project.branch}")
    if project.request_url:
        parts.append(f"request {project.request_action}: {project.request_url}")
    if project.conflicts:
        parts.append(f"{len(project.conflicts)} conflict(s): {', '.join(project.conflicts)}")
    if project.failed_rules:
        parts.append(f"failed rules: {', '.join(project.failed_rules)}")
    return "; ".join(parts)
