"""A small hand-built CheckReport that every renderer test prints."""

from __future__ import annotations

import pytest

from scaffold.check.report import CheckReport, ProjectReport, RuleInfo, RuleResult
from scaffold.check.rules.base import Finding


@pytest.fixture
def sample_report() -> CheckReport:
    rules = (
        RuleInfo(
            "SCF-V001", "serving", "Dockerfile base images are pinned", "error", "Why.", "Pin it."
        ),
        RuleInfo("SCF-H002", "hygiene", "No large files committed", "warning", "Why.", "DVC it."),
        RuleInfo("ACME-001", "org", "Has CODEOWNERS", "error", "Owners.", "Add it."),
    )
    failing = ProjectReport(
        "repos/a",
        (
            RuleResult(
                "SCF-V001",
                "error",
                "fail",
                (Finding("base image 'python' unpinned", "Dockerfile", 6),),
            ),
            RuleResult("SCF-H002", "warning", "fail", (Finding("2048 KB is over", "big.bin"),)),
            RuleResult(
                "ACME-001",
                "error",
                "ignored",
                (Finding("missing", "CODEOWNERS"),),
                reason="mono-repo",
            ),
        ),
        (("ACME-001", "mono-repo"),),
    )
    passing = ProjectReport(
        "repos/b",
        (
            RuleResult("SCF-V001", "error", "pass"),
            RuleResult("SCF-H002", "warning", "skip", reason="n/a"),
            RuleResult("ACME-001", "error", "pass"),
        ),
    )
    return CheckReport(rules, (failing, passing), org_config="org.yaml")
