"""The fleet result as Markdown for CI job summaries and pull request comments.

Short on purpose: the headline, versions per template, the failing rules and
the projects that need a person. The HTML report has the details.
"""

from __future__ import annotations

from scaffold.fleet.reports.summary import headline, most_behind, rule_conformance, version_spread
from scaffold.fleet.results import FleetResult, State

ATTENTION = (State.FAILED, State.CONFLICTED, State.WOULD_CONFLICT)


def render_markdown(result: FleetResult) -> str:
    """Headline table, version spread, failing rules, projects needing attention."""
    numbers = headline(result)
    lines = [
        f"## Fleet {result.command}" + (" (dry run)" if result.dry_run else ""),
        "",
        "| projects | current | behind | failing a rule | conflicts | failed |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {numbers['projects']} | {numbers['current']} | {numbers['behind']} "
        f"| {numbers['failing_rules']} | {numbers['conflicted']} | {numbers['failed']} |",
    ]
    spread = version_spread(result)
    if spread:
        lines += [
            "",
            "### Template versions",
            "",
            "| template | version | projects |",
            "|---|---|---:|",
        ]
        for template, versions in spread.items():
            lines += [f"| `{_cell(template)}` | {_cell(v)} | {count} |" for v, count in versions]
    failing = [row for row in rule_conformance(result) if row.failed]
    if failing:
        lines += ["", "### Failing rules", "", "| rule | title | failing | passing |"]
        lines += ["|---|---|---:|---:|"]
        lines += [
            f"| {row.rule.id} | {_cell(row.rule.title)} | {row.failed} | {row.passed} |"
            for row in failing
        ]
    behind = most_behind(result, limit=5)
    if behind:
        lines += ["", "### Most behind", ""]
        lines += [
            f"- **{_cell(p.name)}**: {p.version} → {p.target_version} "
            f"({p.versions_behind} version(s) behind)"
            for p in behind
        ]
    attention = [p for p in result.projects if p.state in ATTENTION or p.conflicts]
    if attention:
        lines += ["", "### Needs a person", ""]
        for project in attention:
            detail = project.error or f"conflicts in {', '.join(project.conflicts)}"
            where = f" ([request]({project.request_url}))" if project.request_url else ""
            lines.append(
                f"- **{_cell(project.name)}** ({project.state.value}){where}: {_cell(detail)}"
            )
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell or list item (no pipes, no line breaks, no HTML)."""
    return " ".join(text.split()).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
