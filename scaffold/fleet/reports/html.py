"""The fleet report as one self-contained HTML page: inline CSS and SVG, no script, no network.

Sections: headline figures, template-version spread per template, conformance
per rule, the projects most behind, a table of every project linking to its
findings, and the findings. Every value from a repository is escaped; a
Content-Security-Policy forbids loading anything.
"""

from __future__ import annotations

import re
from html import escape

from scaffold.fleet.reports.summary import (
    UNKNOWN_VERSION,
    RuleConformance,
    findings_of,
    headline,
    most_behind,
    newest_versions,
    rule_conformance,
    version_spread,
)
from scaffold.fleet.results import FleetResult, ProjectOutcome, State

# Newest version first: green, then blue, amber, orange, red for the oldest.
VERSION_COLOURS = ("#2b8a3e", "#1c7ed6", "#f59f00", "#e8590c", "#c92a2a", "#862e9c")
UNKNOWN_COLOUR = "#868e96"
STATE_TONES = {
    State.CURRENT: "good",
    State.UPDATED: "good",
    State.UNCHANGED: "good",
    State.OUTDATED: "warn",
    State.WOULD_UPDATE: "warn",
    State.CONFLICTED: "bad",
    State.WOULD_CONFLICT: "bad",
    State.FAILED: "bad",
    State.NOT_A_PROJECT: "muted",
}
SLUG_CHARACTERS = re.compile(r"[^a-z0-9]+")

STYLE = """
:root{--bg:#f5f6f8;--card:#fff;--ink:#1f2328;--soft:#59636e;--line:#d8dee4;--good:#2b8a3e;
--good-bg:#e6f4ea;--warn:#9a6700;--warn-bg:#fff4d6;--bad:#c92a2a;--bad-bg:#fdecec;
--muted-bg:#eef0f2;--accent:#1c66c6;--track:#e9ecef}
@media (prefers-color-scheme:dark){:root{--bg:#0f1216;--card:#171b21;--ink:#e6e8eb;--soft:#9aa4af;
--line:#2c333b;--good:#57c26a;--good-bg:#17301d;--warn:#e3b341;--warn-bg:#33290f;--bad:#ff7b72;
--bad-bg:#3a1717;--muted-bg:#232a31;--accent:#6cb6ff;--track:#262d35}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);line-height:1.5;
font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1120px;margin:0 auto;padding:32px 20px 56px}
header h1{font-size:28px;margin:0 0 4px;letter-spacing:-.01em}
header p{margin:0;color:var(--soft)}
h2{font-size:19px;margin:0 0 14px}
section.card{background:var(--card);border:1px solid var(--line);border-radius:12px;
padding:20px 22px;margin-top:20px}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(132px,1fr));gap:12px;margin-top:22px}
.stat{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:14px 16px}
.stat b{display:block;font-size:28px;line-height:1.1;font-variant-numeric:tabular-nums}
.stat span{color:var(--soft);font-size:13px}
.stat.good b{color:var(--good)}.stat.warn b{color:var(--warn)}.stat.bad b{color:var(--bad)}
.template{margin-bottom:18px}.template:last-child{margin-bottom:0}
.template h3{font-size:15px;margin:0 0 8px;font-weight:600}
.template h3 small{color:var(--soft);font-weight:400}
svg.spread{width:100%;height:30px;display:block;border-radius:6px}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;margin-top:8px;font-size:13px;color:var(--soft)}
.legend i{display:inline-block;width:11px;height:11px;border-radius:3px;margin-right:6px;
vertical-align:-1px}
.columns{display:flex;align-items:flex-end;gap:10px;height:120px;margin-top:14px;
padding-bottom:2px;border-bottom:1px solid var(--line)}
.column{flex:1 1 0;max-width:90px;text-align:center;font-size:12px;color:var(--soft)}
.column svg{width:100%;display:block}
.rule{display:grid;grid-template-columns:minmax(180px,2fr) 3fr 92px;gap:12px;align-items:center;
padding:7px 0;border-top:1px solid var(--line)}
.rule:first-of-type{border-top:0}
.rule .id{font-weight:600;font-variant-numeric:tabular-nums}
.rule .title{color:var(--soft);font-size:13px;display:block}
.rule svg{width:100%;height:14px;display:block;border-radius:7px}
.rule .nums{font-size:13px;text-align:right;font-variant-numeric:tabular-nums;color:var(--soft)}
.behind{list-style:none;margin:0;padding:0}
.behind li{display:grid;grid-template-columns:minmax(140px,1fr) 2fr minmax(190px,auto);gap:12px;
align-items:center;padding:6px 0;border-top:1px solid var(--line)}
.behind li:first-child{border-top:0}
.behind svg{width:100%;height:10px;display:block;border-radius:5px}
.behind li>span:last-child{text-align:right;color:var(--soft);font-variant-numeric:tabular-nums}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:8px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--soft);font-weight:600}
td.num{font-variant-numeric:tabular-nums}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
td.project{min-width:220px}.location{display:block;color:var(--soft);font-size:12px}
td.nowrap{white-space:nowrap}td.detail{min-width:180px;color:var(--soft)}
.badge{display:inline-block;padding:1px 9px;border-radius:999px;font-size:12px;font-weight:600;
white-space:nowrap}
.good{color:var(--good)}.badge.good{background:var(--good-bg)}
.warn{color:var(--warn)}.badge.warn{background:var(--warn-bg)}
.bad{color:var(--bad)}.badge.bad{background:var(--bad-bg)}
.badge.muted{background:var(--muted-bg);color:var(--soft)}.muted{color:var(--soft)}
.project-findings{margin-top:18px}.project-findings h3{font-size:15px;margin:0 0 6px}
.empty{color:var(--soft);margin:0}
footer{margin-top:28px;color:var(--soft);font-size:13px;text-align:center}
@media (max-width:640px){main{padding:20px 12px 40px}
.rule{grid-template-columns:1fr;gap:4px}.rule .nums{text-align:left}
.behind li{grid-template-columns:1fr}}
"""


def render_html(result: FleetResult) -> str:
    """The whole page."""
    slugs = _slugs(result.projects)
    sections = [
        _headline(result),
        _spread_section(result),
        _rules_section(result),
        _behind_section(result),
        _projects_section(result, slugs),
        _findings_section(result, slugs),
    ]
    subtitle = f"scaffold fleet {escape(result.command)} · {escape(result.generated_at)}"
    if result.org_config:
        subtitle += f" · org config <code>{escape(result.org_config)}</code>"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        '<title>Fleet report</title>\n<link rel="icon" href="data:,">\n'
        f"<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"<header><h1>Fleet report</h1><p>{subtitle}</p></header>\n"
        + "\n".join(section for section in sections if section)
        + "\n<footer>Generated by scaffold · one file, no network</footer>\n"
        "</main>\n</body>\n</html>\n"
    )


def _headline(result: FleetResult) -> str:
    numbers = headline(result)
    cards = [
        ("", numbers["projects"], "projects"),
        ("good", numbers["current"], "at the newest allowed version"),
        ("warn" if numbers["behind"] else "good", numbers["behind"], "behind"),
        ("bad" if numbers["failing_rules"] else "good", numbers["failing_rules"], "failing a rule"),
        ("bad" if numbers["conflicted"] else "good", numbers["conflicted"], "with conflicts"),
        ("bad" if numbers["failed"] else "good", numbers["failed"], "unreachable or failed"),
    ]
    if numbers["not_projects"]:
        cards.append(("", numbers["not_projects"], "not made from a template"))
    body = "".join(
        f'<div class="stat {tone}"><b>{value}</b><span>{escape(label)}</span></div>'
        for tone, value, label in cards
    )
    return f'<div class="stats">{body}</div>'


def _version_colours(versions: list[str]) -> dict[str, str]:
    known = [version for version in versions if version != UNKNOWN_VERSION]
    colours = {version: UNKNOWN_COLOUR for version in versions}
    for age, version in enumerate(reversed(known)):
        colours[version] = VERSION_COLOURS[min(age, len(VERSION_COLOURS) - 1)]
    return colours


def _spread_section(result: FleetResult) -> str:
    spread = version_spread(result)
    if not spread:
        return ""
    newest = newest_versions(result)
    blocks = []
    for template, versions in spread.items():
        total = sum(count for _, count in versions)
        colours = _version_colours([version for version, _ in versions])
        offset, segments = 0.0, []
        for version, count in versions:
            width = 1000 * count / total
            segments.append(
                f'<rect x="{offset:.1f}" y="0" width="{width:.1f}" height="30" '
                f'fill="{colours[version]}"><title>{escape(version)}: {count}</title></rect>'
            )
            offset += width
        legend = "".join(
            f'<span><i style="background:{colours[version]}"></i>{escape(version)} · {count}'
            f"{' (newest allowed)' if newest.get(template) == version else ''}</span>"
            for version, count in versions
        )
        tallest = max(count for _, count in versions)
        columns = "".join(
            f'<div class="column"><svg viewBox="0 0 40 100" preserveAspectRatio="none" '
            f'style="height:{max(4, round(96 * count / tallest))}px" role="img" '
            f'aria-label="{escape(version)}: {count} projects">'
            f'<rect width="40" height="100" rx="3" fill="{colours[version]}"/></svg>'
            f"<b>{count}</b><br>{escape(version)}</div>"
            for version, count in versions
        )
        target = newest.get(template)
        note = f" · newest allowed {escape(target)}" if target else ""
        blocks.append(
            f'<div class="template"><h3><code>{escape(template)}</code> '
            f"<small>{total} project(s){note}</small></h3>"
            f'<svg class="spread" viewBox="0 0 1000 30" preserveAspectRatio="none" role="img" '
            f'aria-label="version spread of {escape(template)}">{"".join(segments)}</svg>'
            f'<div class="legend">{legend}</div><div class="columns">{columns}</div></div>'
        )
    return (
        f'<section class="card" id="versions"><h2>Template versions</h2>{"".join(blocks)}</section>'
    )


def _rules_section(result: FleetResult) -> str:
    rows = rule_conformance(result)
    if not rows:
        return ""
    lines = []
    for row in rows:
        total = max(row.passed + row.failed + row.other, 1)
        passed, failed = 1000 * row.passed / total, 1000 * row.failed / total
        score = f"{round(100 * row.pass_ratio)}%" if row.checked else "n/a"
        lines.append(
            f'<div class="rule"><div><span class="id">{escape(row.rule.id)}</span>'
            f'<span class="title">{escape(row.rule.title)}</span></div>'
            f'<svg viewBox="0 0 1000 14" preserveAspectRatio="none" role="img" '
            f'aria-label="{escape(row.rule.id)}: {row.passed} pass, {row.failed} fail">'
            f'<rect width="1000" height="14" style="fill:var(--track)"/>'
            f'<rect width="{passed:.1f}" height="14" fill="#2b8a3e"/>'
            f'<rect x="{passed:.1f}" width="{failed:.1f}" height="14" fill="#e03131"/></svg>'
            f'<div class="nums"><b class="{_score_tone(row)}">{score}</b> · '
            f"{row.failed} fail</div></div>"
        )
    legend = (
        '<div class="legend"><span><i style="background:#2b8a3e"></i>pass</span>'
        '<span><i style="background:#e03131"></i>fail</span>'
        '<span><i style="background:var(--track)"></i>skipped or opted out</span></div>'
    )
    return (
        f'<section class="card" id="rules"><h2>Conformance per rule</h2>{"".join(lines)}'
        f"{legend}</section>"
    )


def _score_tone(row: RuleConformance) -> str:
    if not row.checked:
        return "muted"
    return "good" if not row.failed else ("warn" if row.pass_ratio >= 0.8 else "bad")


def _behind_section(result: FleetResult) -> str:
    behind = most_behind(result)
    if not behind:
        return (
            '<section class="card" id="behind"><h2>Most behind</h2>'
            '<p class="empty">Every project is at the newest version the org allows.</p></section>'
        )
    worst = max(project.versions_behind or 0 for project in behind)
    items = "".join(
        f"<li><span><b>{escape(p.name)}</b></span>"
        f'<svg viewBox="0 0 1000 10" preserveAspectRatio="none" role="img" '
        f'aria-label="{p.versions_behind} versions behind">'
        f'<rect width="1000" height="10" style="fill:var(--track)"/>'
        f'<rect width="{1000 * (p.versions_behind or 0) / worst:.1f}" height="10" fill="#e8590c"/>'
        f"</svg><span>{escape(p.version or '?')} → {escape(p.target_version or '?')} · "
        f"{p.versions_behind} behind</span></li>"
        for p in behind
    )
    return (
        f'<section class="card" id="behind"><h2>Most behind</h2><ul class="behind">{items}</ul>'
        "</section>"
    )


def _projects_section(result: FleetResult, slugs: dict[int, str]) -> str:
    rows = []
    for index, project in enumerate(result.projects):
        tone = STATE_TONES.get(project.state, "muted")
        failing = len(project.failed_rules)
        findings = (
            f'<a href="#{slugs[index]}">{failing} failing</a>'
            if findings_of(project)
            else ('<span class="good">all pass</span>' if project.check is not None else "–")
        )
        detail = project.error or (
            f"conflicts: {', '.join(project.conflicts)}" if project.conflicts else ""
        )
        branch = f"<br><code>{escape(project.branch)}</code>" if project.branch else ""
        if project.request_url:
            branch += f' · <a href="{escape(project.request_url)}">request</a>'
        template = project.template or "–"
        rows.append(
            f'<tr id="row-{slugs[index]}"><td class="project"><b>{escape(project.name)}</b>'
            f'<code class="location">{escape(project.location)}</code></td>'
            f'<td class="nowrap"><code title="{escape(template)}">'
            f"{escape(_short(template))}</code></td>"
            f'<td class="num">{escape(project.version or "–")}</td>'
            f'<td class="num">{escape(project.target_version or "–")}</td>'
            f'<td><span class="badge {tone}">{escape(project.state.value)}</span>{branch}</td>'
            f'<td class="nowrap">{findings}</td><td class="detail">{escape(detail)}</td></tr>'
        )
    head = (
        "<tr><th>Project</th><th>Template</th><th>Version</th><th>Newest allowed</th>"
        "<th>State</th><th>Rules</th><th>Detail</th></tr>"
    )
    return (
        f'<section class="card" id="projects"><h2>Projects</h2><div class="table-wrap">'
        f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table></div></section>"
    )


def _findings_section(result: FleetResult, slugs: dict[int, str]) -> str:
    blocks = []
    for index, project in enumerate(result.projects):
        findings = findings_of(project)
        if not findings:
            continue
        rows = "".join(
            f'<tr><td><b>{escape(rule)}</b></td><td><span class="badge '
            f'{"bad" if severity == "error" else ("warn" if severity == "warning" else "muted")}">'
            f"{escape(severity)}</span></td><td>{escape(message)}</td>"
            f"<td><code>{escape(where)}</code></td></tr>"
            for rule, severity, message, where in findings
        )
        blocks.append(
            f'<div class="project-findings" id="{slugs[index]}"><h3>{escape(project.name)} '
            f'<small><a href="#row-{slugs[index]}">↑ table</a></small></h3>'
            f'<div class="table-wrap"><table><thead><tr><th>Rule</th><th>Severity</th>'
            f"<th>Finding</th><th>Where</th></tr></thead><tbody>{rows}</tbody></table></div></div>"
        )
    if not blocks:
        return ""
    return f'<section class="card" id="findings"><h2>Findings</h2>{"".join(blocks)}</section>'


def _short(template: str) -> str:
    """A template source's last path segment (`builtin:mlops` stays as it is)."""
    return template.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git") or template


def _slugs(projects: tuple[ProjectOutcome, ...]) -> dict[int, str]:
    """A unique, URL-safe anchor per project."""
    return {
        index: f"p{index}-{SLUG_CHARACTERS.sub('-', project.name.lower()).strip('-')[:40]}"
        for index, project in enumerate(projects)
    }
