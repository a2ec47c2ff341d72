"""The one result object of `scaffold check`, which the text, JSON and SARIF renderers print.

Plain frozen dataclasses: no I/O, no formatting. `CheckReport.exit_code` is
the command's verdict (0 pass, 1 an error-severity rule failed).
"""

from __future__ import annotations

from dataclasses import dataclass

from scaffold.check.rules.base import Finding, Rule
from scaffold.errors import FINDINGS_EXIT_CODE

PASS, FAIL, SKIP, IGNORED = "pass", "fail", "skip", "ignored"


@dataclass(frozen=True)
class RuleInfo:
    """What reports say about a rule, taken from the rule class and its docstring."""

    id: str
    family: str
    title: str
    severity: str
    description: str
    fix: str

    @classmethod
    def of(cls, rule: Rule) -> RuleInfo:
        """The report's view of `rule`."""
        return cls(
            rule.id, rule.family, rule.title, rule.severity.value, rule.description, rule.fix
        )


@dataclass(frozen=True)
class RuleResult:
    """One rule on one project: pass, fail, skip or ignored (opted out); both with a reason."""

    rule_id: str
    severity: str
    status: str
    findings: tuple[Finding, ...] = ()
    reason: str = ""  # why skipped, or the opt-out's reason
    note: str = ""  # e.g. an opt-out that was refused


@dataclass(frozen=True)
class ProjectReport:
    """Every rule result for one project; `error` is set when the project could not be checked."""

    path: str
    results: tuple[RuleResult, ...]
    opt_outs: tuple[tuple[str, str], ...] = ()  # (rule id, reason) from [tool.scaffold.ignore]

    def count(self, status: str) -> int:
        """How many rules ended with `status`."""
        return sum(1 for result in self.results if result.status == status)

    @property
    def failed(self) -> bool:
        """Whether an error-severity rule failed."""
        return any(r.status == FAIL and r.severity == "error" for r in self.results)

    @property
    def status(self) -> str:
        """`fail`, `warn` (only warning-severity failures) or `pass`."""
        if self.failed:
            return FAIL
        return "warn" if self.count(FAIL) else PASS


@dataclass(frozen=True)
class CheckReport:
    """The result of checking one or many projects against one rule set."""

    rules: tuple[RuleInfo, ...]
    projects: tuple[ProjectReport, ...]
    org_config: str | None = None

    @property
    def exit_code(self) -> int:
        """0 when every project passes, 1 when some error-severity rule failed."""
        return FINDINGS_EXIT_CODE if any(p.failed for p in self.projects) else 0

    def rule(self, rule_id: str) -> RuleInfo:
        """The info of the rule called `rule_id`."""
        return next(rule for rule in self.rules if rule.id == rule_id)
