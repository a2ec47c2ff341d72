"""A fleet result built in memory (no git): two templates, varied states, rules and findings.

Includes hostile text (markup, pipes, line breaks) where a repository could
put it, so every renderer is tested against it.
"""

from __future__ import annotations

from scaffold.check.report import FAIL, PASS, SKIP, ProjectReport, RuleInfo, RuleResult
from scaffold.check.rules.base import Finding
from scaffold.fleet.results import FleetResult, ProjectOutcome, State

HOSTILE_TEXT = '<script>alert("x")</script> | pipe\nsecond line'
MLOPS = "builtin:mlops"
BATCH = "https://git.acme.example/platform/templates/batch.git"
RULES = (
    RuleInfo("SCF-C001", "ci", "CI is configured and parses", "error", "", ""),
    RuleInfo("SCF-D001", "data", "DVC pipeline stages are declared", "error", "", ""),
    RuleInfo("SCF-H001", "hygiene", "No secrets committed", "error", "", ""),
    RuleInfo(
        "SCF-S003", "structure", "Files required by the org policy are present", "error", "", ""
    ),
    RuleInfo(
        "SCF-M002", "monitoring", "Data drift check is present and scheduled", "warning", "", ""
    ),
)


def _check(name: str, failing: set[str], skipped: set[str] = frozenset()) -> ProjectReport:
    results = []
    for rule in RULES:
        if rule.id in skipped:
            results.append(RuleResult(rule.id, rule.severity, SKIP, reason="no DVC"))
        elif rule.id in failing:
            message = HOSTILE_TEXT if rule.id == "SCF-H001" else f"{rule.title}: not met"
            finding = Finding(message, "params.yaml", 3)
            results.append(RuleResult(rule.id, rule.severity, FAIL, (finding,)))
        else:
            results.append(RuleResult(rule.id, rule.severity, PASS))
    return ProjectReport(name, tuple(results))


def sample_result(command: str = "report") -> FleetResult:
    """24 projects: mlops at 1.0.0/2.0.0/3.0.0, batch at 0.9/1.0, and the odd ones out."""
    projects = []
    versions = ["3.0.0"] * 9 + ["2.0.0"] * 5 + ["1.0.0"] * 3
    for index, version in enumerate(versions):
        failing = {"SCF-C001"} if index % 4 == 0 else set()
        if index % 5 == 0:
            failing.add("SCF-S003")
        if version == "1.0.0":
            failing |= {"SCF-D001", "SCF-M002"}
        state = State.CURRENT if version == "3.0.0" else State.OUTDATED
        behind = {"3.0.0": 0, "2.0.0": 1, "1.0.0": 2}[version]
        name = f"model-{index:02d}"
        projects.append(
            ProjectOutcome(
                name,
                f"https://github.com/acme/{name}.git",
                state,
                MLOPS,
                version,
                "3.0.0",
                behind,
                check=_check(name, failing, {"SCF-D001"} if index % 3 == 0 else set()),
            )  # fmt: skip
        )
    for index, version in enumerate(["1.0", "1.0", "0.9", "1.0"]):
        name = f"batch-{index}"
        projects.append(
            ProjectOutcome(
                name,
                f"git@gitlab.acme.example:batch/{name}.git",
                State.CURRENT if version == "1.0" else State.OUTDATED,
                BATCH,
                version,
                "1.0",
                0 if version == "1.0" else 1,
                check=_check(name, set()),
            )  # fmt: skip
        )
    projects.append(
        ProjectOutcome(
            "risky<b>name</b>",
            "https://github.com/acme/risky.git",
            State.CONFLICTED,
            MLOPS,
            "2.0.0",
            "3.0.0",
            1,
            branch="scaffold/update-3.0.0",
            request_url="https://github.com/acme/risky/pull/7",
            request_action="opened",
            conflicts=("params.yaml",),
            check=_check("risky", {"SCF-H001"}),
        )  # fmt: skip
    )
    projects.append(ProjectOutcome("notes", "/srv/git/notes", State.NOT_A_PROJECT))
    projects.append(
        ProjectOutcome(
            "gone",
            "https://github.com/acme/gone.git",
            State.FAILED,
            error="cannot reach https://github.com/acme/gone.git: repository not found",
        )  # fmt: skip
    )
    return FleetResult(command, tuple(projects), RULES, generated_at="2026-01-31T09:00:00Z")
