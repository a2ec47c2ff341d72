"""`scaffold fleet status|check|update|report`: one command over every project of a fleet.

Lists the fleet, then for each entry (in worker processes): fetch it into the
clone cache, read what the project records, and compare, check or update it.
Updates land on `scaffold/update-<version>` branches, pushed to the project's
remote, with an optional pull/merge request. Rendering is `fleet/reports/`.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import yaml

from scaffold.check.report import RuleInfo
from scaffold.check.rules import Rule
from scaffold.check.runner import check_project
from scaffold.commands.check import rules_for
from scaffold.commands.update import update_project
from scaffold.commands.update_report import render_update_markdown
from scaffold.errors import ScaffoldError
from scaffold.fleet.branches import commit_update, publish_branch, update_branch_name
from scaffold.fleet.cache import CachedClone, default_cache_folder, fetch_clone
from scaffold.fleet.forge import forge_for, open_or_refresh, require_cli
from scaffold.fleet.listing import FleetEntry, entries_from_org, list_fleet
from scaffold.fleet.progress import Progress
from scaffold.fleet.results import FleetResult, ProjectOutcome, State
from scaffold.fleet.runner import run_over_fleet
from scaffold.fleet.safety import (
    redact,
    require_local_source_allowed,
    require_template_source,
)
from scaffold.fleet.versions import available_versions, is_newer, newest_allowed, versions_behind
from scaffold.project.answers import SOURCE_KEY, VERSION_KEY
from scaffold.project.orgconfig import OrgConfig

COMMANDS = ("status", "check", "update", "report")


@dataclass(frozen=True)
class FleetSettings:
    """What every worker needs to handle one entry (pickled into worker processes)."""

    command: str
    cache: Path
    org: OrgConfig
    rules: tuple[Rule, ...] = ()
    dry_run: bool = False
    open_pr: bool = False
    forge: str | None = None  # force "github"/"gitlab" for hosts whose name does not say


@dataclass(frozen=True)
class _Record:
    source: str
    version: str | None


def run_fleet(
    command: str,
    *,
    org: OrgConfig | None = None,
    fleet_file: Path | None = None,
    recursive: Path | None = None,
    cache: Path | None = None,
    jobs: int | None = None,
    dry_run: bool = False,
    open_pr: bool = False,
    forge: str | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    progress_stream: TextIO | None = None,
) -> FleetResult:
    """Run `command` over the fleet and return its result (printing progress to the stream)."""
    if command not in COMMANDS:
        raise ScaffoldError(f"unknown fleet command '{command}'", f"use {', '.join(COMMANDS)}")
    org = org or OrgConfig()
    org_base = org.path.parent if org.path else None
    entries = list_fleet(entries_from_org(org.fleet, org_base), fleet_file, recursive)
    if open_pr and command == "update" and not dry_run:
        _require_forge_clis(entries, forge)
    rules = tuple(rules_for(org, select, ignore)) if command in ("check", "report") else ()
    settings = FleetSettings(
        command, (cache or default_cache_folder()).resolve(), org, rules, dry_run, open_pr, forge
    )
    stream = progress_stream
    progress = Progress(stream, len(entries), bar=bool(stream and stream.isatty()))
    workers = jobs or min(len(entries), os.cpu_count() or 1)
    outcomes = run_over_fleet(_handle_entry, entries, settings, workers, progress)
    return FleetResult(
        command=command,
        projects=tuple(outcomes),
        rules=tuple(RuleInfo.of(rule) for rule in rules),
        dry_run=dry_run,
        generated_at=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        org_config=str(org.path) if org.path else None,
    )


def _require_forge_clis(entries: Sequence[FleetEntry], forced: str | None) -> None:
    """Fail before touching anything when a needed forge CLI is missing."""
    kinds = {found.kind for entry in entries if (found := forge_for(entry.location, forced))}
    for kind in sorted(kinds):
        require_cli(kind)


def _handle_entry(entry: FleetEntry, settings: FleetSettings) -> ProjectOutcome:
    clone = fetch_clone(entry, settings.cache)
    base = ProjectOutcome(entry.name, redact(entry.location), State.CURRENT)
    record = _read_record(clone.path, entry.answers_file)
    if record is not None:
        require_template_source(record.source, record.version)
        require_local_source_allowed(record.source, settings.org)
        versions = available_versions(record.source)
        target = newest_allowed(versions, settings.org.template_version)
        outdated = is_newer(target, record.version)
        base = dataclasses.replace(
            base,
            state=State.OUTDATED if outdated else State.CURRENT,
            template=record.source,
            version=record.version,
            target_version=target,
            versions_behind=versions_behind(versions, record.version, target),
        )
    else:
        base = dataclasses.replace(base, state=State.NOT_A_PROJECT)
    if settings.command in ("check", "report"):
        report = check_project(clone.path, settings.rules, settings.org.policy)
        return dataclasses.replace(base, check=dataclasses.replace(report, path=entry.name))
    if settings.command == "update" and base.state is State.OUTDATED:
        return _update(entry, clone, base, settings)
    return base


def _read_record(clone: Path, answers_file: str) -> _Record | None:
    """The template source and version the project records (None: not a generated project)."""
    path = clone / answers_file
    if path.is_symlink() or not path.is_file():
        return None
    try:
        record = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise ScaffoldError(
            f"{answers_file} is not valid YAML: {str(error).splitlines()[0]}",
            "fix the answers file in the repository",
        ) from error
    if not isinstance(record, dict) or not isinstance(record.get(SOURCE_KEY), str):
        raise ScaffoldError(
            f"{answers_file} records no template source ({SOURCE_KEY})",
            "restore the answers file in the repository",
        )
    version = record.get(VERSION_KEY)
    return _Record(record[SOURCE_KEY], None if version is None else str(version))


def _update(
    entry: FleetEntry, clone: CachedClone, base: ProjectOutcome, settings: FleetSettings
) -> ProjectOutcome:
    target = str(base.target_version)
    branch = update_branch_name(target)
    result = update_project(
        clone.path,
        vcs_ref=target,
        use_defaults=True,
        dry_run=settings.dry_run,
        conflict="inline",
        trust=False,  # only the org's trusted_sources (and built-in templates) run code
        org=settings.org,
        answers_file=entry.answers_file,
    )
    conflicts = tuple(entry_merge.path for entry_merge in result.conflicts)
    outcome = dataclasses.replace(
        base, branch=branch, conflicts=conflicts, changed_files=len(result.changed)
    )
    if result.up_to_date:
        return dataclasses.replace(outcome, state=State.CURRENT, branch=None)
    if settings.dry_run:
        return dataclasses.replace(
            outcome, state=State.WOULD_CONFLICT if conflicts else State.WOULD_UPDATE
        )
    title = f"Update {result.template_source} from {result.version_from} to {result.version_to}"
    body = render_update_markdown(dataclasses.replace(result, project=Path(entry.name)))
    commit = commit_update(clone.path, title, conflicts)
    pushed = publish_branch(clone.path, branch, commit, clone.update_branches.get(branch))
    state = (State.CONFLICTED if conflicts else State.UPDATED) if pushed else State.UNCHANGED
    outcome = dataclasses.replace(
        outcome, state=state, request_title=redact(title), request_body=redact(body)
    )
    if settings.open_pr:
        forge = forge_for(entry.location, settings.forge)
        if forge is None:
            raise ScaffoldError(
                f"branch {branch} pushed, but {redact(entry.location)} is on no known forge",
                "pass --forge github or --forge gitlab, or open the request by hand",
            )
        request = open_or_refresh(forge, branch, clone.default_branch, title, body)
        outcome = dataclasses.replace(
            outcome, request_url=redact(request.url), request_action=request.action
        )
    return outcome
