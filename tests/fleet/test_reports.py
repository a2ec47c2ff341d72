"""Fleet renderers: text, JSON, Markdown and HTML of one in-memory result, hostile text included."""

from __future__ import annotations

import json
import re

from scaffold.fleet.reports import render
from scaffold.fleet.reports.summary import most_behind, rule_conformance, version_spread
from tests.fleet.sample_results import BATCH, HOSTILE_TEXT, MLOPS, sample_result


def test_version_spread_counts_projects_per_template_version_oldest_first() -> None:
    spread = version_spread(sample_result())
    assert spread[MLOPS] == [("1.0.0", 3), ("2.0.0", 6), ("3.0.0", 9)]
    assert spread[BATCH] == [("0.9", 1), ("1.0", 3)]


def test_rule_conformance_orders_rules_by_failures() -> None:
    rows = rule_conformance(sample_result())
    assert rows[0].rule.id == "SCF-C001" and rows[0].failed == 5
    skipped = next(row for row in rows if row.rule.id == "SCF-D001")
    assert skipped.other == 6  # skipped projects count neither as pass nor fail


def test_most_behind_puts_the_oldest_first() -> None:
    behind = most_behind(sample_result(), limit=3)
    assert [project.version for project in behind] == ["1.0.0", "1.0.0", "1.0.0"]


def test_json_lists_every_project_with_version_state_and_findings() -> None:
    result = sample_result()
    document = json.loads(render(result, "json"))
    assert [entry["name"] for entry in document["projects"]] == [p.name for p in result.projects]
    risky = next(entry for entry in document["projects"] if entry["name"].startswith("risky"))
    assert risky["state"] == "conflicted" and risky["conflicts"] == ["params.yaml"]
    assert risky["findings"][0]["rule"] == "SCF-H001"
    assert document["summary"]["projects"] == len(result.projects)


def test_text_ends_with_a_summary_of_states() -> None:
    text = render(sample_result("status"), "text")
    assert text.splitlines()[-1].startswith("fleet status: 24 project(s): 12 current, 9 outdated")
    assert "gone" in text and "repository not found" in text


def test_markdown_has_headline_versions_failing_rules_and_attention_list() -> None:
    markdown = render(sample_result(), "markdown")
    assert "| 24 | 12 | 10 | 10 | 1 | 1 |" in markdown
    assert "| `builtin:mlops` | 1.0.0 | 3 |" in markdown
    assert "| SCF-C001 | CI is configured and parses | 5 | 17 |" in markdown
    assert "[request](https://github.com/acme/risky/pull/7)" in markdown
    assert "<b>" not in markdown and "<script>" not in markdown


def test_html_escapes_repository_text_and_loads_nothing_from_outside() -> None:
    html = render(sample_result(), "html")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "risky&lt;b&gt;name&lt;/b&gt;" in html
    assert "default-src 'none'" in html
    assert not re.search(r"""\bsrc=|url\(|@import""", html)
    links = re.findall(r'<link[^>]*href="([^"]*)"', html)
    assert links == ["data:,"]


def test_html_links_each_failing_project_to_its_findings() -> None:
    html = render(sample_result(), "html")
    for anchor in re.findall(r'<a href="#(p\d+-[a-z0-9-]+)">', html):
        assert f'id="{anchor}"' in html
    assert html.count('class="project-findings"') == sum(
        1 for project in sample_result().projects if project.failed_rules
    )
    assert HOSTILE_TEXT.split("\n")[1] in html  # the finding's second line is shown, escaped
