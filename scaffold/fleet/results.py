"""The one result object of a fleet command, which every fleet renderer prints.

Plain frozen dataclasses (they travel between worker processes): one
`ProjectOutcome` per fleet entry and a `FleetResult` holding them, the rules
checked and the verdict. No I/O and no formatting here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from scaffold.check.report import FAIL, ProjectReport, RuleInfo
from scaffold.errors import FINDINGS_EXIT_CODE


class State(StrEnum):
    """Where one project ended up."""

    CURRENT = "current"  # at the newest version the org allows
    OUTDATED = "outdated"  # a newer allowed version exists (status, check, report)
    WOULD_UPDATE = "would-update"  # dry run: an update branch would be pushed
    WOULD_CONFLICT = "would-conflict"  # dry run: ... with conflicts in it
    UPDATED = "updated"  # update branch pushed (or refreshed), merges cleanly
    CONFLICTED = "conflicted"  # update branch pushed with conflict markers committed
    UNCHANGED = "unchanged"  # the update branch already holds exactly this update
    NOT_A_PROJECT = "not-a-project"  # no answers file: not made from a template
    FAILED = "failed"  # unreachable, refused or broken; `error` says why


@dataclass(frozen=True)
class ProjectOutcome:
    """One fleet entry after a fleet command."""

    name: str
    location: str  # redacted: never holds a credential
    state: State
    template: str | None = None
    version: str | None = None
    target_version: str | None = None  # the newest version the org allows
    versions_behind: int | None = None  # released versions between `version` and the target
    branch: str | None = None
    request_url: str | None = None
    request_action: str | None = None  # "opened", "refreshed" or "unchanged"
    request_title: str | None = None  # the update request's title and Markdown body, for tools
    request_body: str | None = None  # that open requests themselves (e.g. a GitLab CI job)
    conflicts: tuple[str, ...] = ()
    changed_files: int = 0
    check: ProjectReport | None = None
    error: str = ""

    @property
    def failed_rules(self) -> tuple[str, ...]:
        """Ids of the rules that failed on this project."""
        if self.check is None:
            return ()
        return tuple(result.rule_id for result in self.check.results if result.status == FAIL)


@dataclass(frozen=True)
class FleetResult:
    """A fleet command's outcome over every entry, in fleet order."""

    command: str  # "status", "check", "update" or "report"
    projects: tuple[ProjectOutcome, ...]
    rules: tuple[RuleInfo, ...] = ()
    dry_run: bool = False
    generated_at: str = ""  # ISO 8601, UTC
    org_config: str | None = None

    @property
    def exit_code(self) -> int:
        """1 when a project failed or has conflicts, is outdated (status) or fails a rule (check).

        A report only describes the fleet: it exits 0 once written.
        """
        if self.command == "report":
            return 0
        findings = {State.FAILED, State.CONFLICTED, State.WOULD_CONFLICT}
        if self.command == "status":
            findings.add(State.OUTDATED)
        if any(project.state in findings or project.conflicts for project in self.projects):
            return FINDINGS_EXIT_CODE
        if self.command == "check" and any(
            project.check is not None and project.check.failed for project in self.projects
        ):
            return FINDINGS_EXIT_CODE
        return 0

    def by_state(self) -> dict[str, int]:
        """How many projects ended in each state (only states that occur, in State order)."""
        counted = {state.value: 0 for state in State}
        for project in self.projects:
            counted[project.state.value] += 1
        return {state: count for state, count in counted.items() if count}
