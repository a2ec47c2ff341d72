"""The text report: a table for many projects, findings grouped by family, colour on demand."""

from __future__ import annotations

from scaffold.check.report import CheckReport
from scaffold.check.reports import text


def test_text_report_has_table_grouped_findings_fixes_and_opt_outs(
    sample_report: CheckReport,
) -> None:
    output = text.render(sample_report)
    lines = output.splitlines()
    assert lines[0].split() == ["PROJECT", "STATUS", "FAILED", "PASSED", "SKIPPED", "IGNORED"]
    assert lines[1].split() == ["repos/a", "fail", "2", "0", "0", "1"]
    assert lines[2].split() == ["repos/b", "pass", "0", "2", "1", "0"]
    assert "  serving\n    ✗ SCF-V001 Dockerfile base images are pinned [error]" in output
    assert "        Dockerfile:6: base image 'python' unpinned" in output
    assert "        fix: Pin it." in output
    assert "  hygiene\n    ! SCF-H002" in output
    assert "ACME-001 (applied: the failure is ignored): mono-repo" in output
    assert output.count("repos/b") == 1  # a passing project only takes its table row
    assert "1 of 2 projects failed (2 findings)" in output
    assert "\x1b[" not in output


def test_text_report_is_coloured_only_when_asked(sample_report: CheckReport) -> None:
    assert "\x1b[31m" in text.render(sample_report, color=True)


def test_a_line_break_in_a_file_name_stays_inside_its_finding_line() -> None:
    from scaffold.check.report import ProjectReport, RuleInfo, RuleResult
    from scaffold.check.rules.base import Finding

    rule = RuleInfo("SCF-H002", "hygiene", "No large files", "warning", "Why.", "Fix.")
    finding = Finding("2048 KB is over the limit", "data/evil\nSCF-X999 fake.csv")
    project = ProjectReport("repo", (RuleResult("SCF-H002", "warning", "fail", (finding,)),))
    rendered = text.render(CheckReport((rule,), (project,)))
    finding_lines = [line for line in rendered.splitlines() if "evil" in line]
    assert finding_lines == ["        data/evil\\nSCF-X999 fake.csv: 2048 KB is over the limit"]
    assert not any(line.startswith("SCF-X999") for line in rendered.splitlines())


def test_each_opt_out_says_what_became_of_it() -> None:
    from scaffold.check.report import ProjectReport, RuleInfo, RuleResult
    from scaffold.check.rules.base import Finding

    rules = tuple(
        RuleInfo(rule_id, "hygiene", "Title", "error", "Why.", "Fix.")
        for rule_id in ("SCF-A", "SCF-B", "SCF-C", "SCF-D", "SCF-E")
    )
    failure = (Finding("bad", "x"),)
    note = "opt-out refused: the org config enforces this rule"
    project = ProjectReport(
        "repo",
        (
            RuleResult("SCF-A", "error", "ignored", failure, reason="legacy"),
            RuleResult("SCF-B", "error", "fail", failure, reason="please", note=note),
            RuleResult("SCF-C", "error", "fail", failure, note="opt-out ignored: no reason"),
            RuleResult("SCF-D", "error", "pass"),
            RuleResult("SCF-E", "error", "skip", reason="n/a"),
        ),
        (
            ("SCF-A", "legacy"),
            ("SCF-B", "please"),
            ("SCF-C", ""),
            ("SCF-D", "old"),
            ("SCF-E", "old"),
            ("SCF-TYPO", "typo"),
        ),
    )
    output = text.render(CheckReport(rules, (project,)))
    opt_outs = output.split("opt-outs\n", 1)[1].splitlines()[:6]
    assert opt_outs == [
        "    - SCF-A (applied: the failure is ignored): legacy",
        "    - SCF-B (refused: the org config enforces this rule): please",
        "    - SCF-C (not applied: no reason): (no reason given)",
        "    - SCF-D (not needed: the rule passes): old",
        "    - SCF-E (not needed: rule skipped): old",
        "    - SCF-TYPO (matches no rule that ran: unknown id, or not selected): typo",
    ]
