"""Text, JSON and Markdown renderings of update and status results (pure functions of them)."""

from __future__ import annotations

import json
import shlex
from collections import Counter
from pathlib import Path
from typing import Any

from scaffold.commands.status import ProjectStatus
from scaffold.commands.update import UpdateResult
from scaffold.project.answers import ANSWERS_FILE
from scaffold.update.merging import Outcome

SUMMARY_ORDER = (
    Outcome.ADDED,
    Outcome.UPDATED,
    Outcome.MERGED,
    Outcome.CONFLICTED,
    Outcome.REMOVED,
    Outcome.KEPT,
)


def render_update(result: UpdateResult) -> str:
    """The summary a person reads after `scaffold update` (the diff is printed separately)."""
    heading = "Would update" if result.dry_run else "Updated"
    name = result.project.name
    if result.answers_file != ANSWERS_FILE:
        name = f"{name} ({result.answers_file})"
    if result.up_to_date:
        source = result.template_source
        return f"{name} is up to date with {source} {result.version_to}\n"
    lines = [
        f"{heading} {name}: {result.template_source} "
        f"{result.version_from} -> {result.version_to} (merge base: {result.base_from})"
    ]
    counts = Counter(entry.outcome for entry in result.files)
    lines.append(
        "  " + "  ".join(f"{outcome.value} {counts[outcome]}" for outcome in SUMMARY_ORDER)
    )
    for entry in result.changed:
        lines.append(f"  {entry.outcome.value:<10} {entry.path}  ({entry.reason})")
    for path, why in sorted(result.extra_files.items()):
        lines.append(f"  {'written':<10} {path}  ({why})")
    for command in result.migrations_run:
        lines.append(f"  migration  {command}")
    if result.dropped_answers:
        lines.append(f"  answers no longer asked: {', '.join(result.dropped_answers)}")
    if result.conflicts:
        lines.append(f"{len(result.conflicts)} conflict(s) to resolve:")
        lines.extend(f"  {entry.path}" for entry in result.conflicts)
        lines.append(
            "Resolve the marked blocks and `git add` each file (or apply the .rej files), "
            "then commit."
            if not result.dry_run
            else "Run without --dry-run to write them with conflict markers."
        )
    elif not result.dry_run:
        lines.append(f"Review with `git diff`; undo with `{undo_command(result)}`.")
    return "\n".join(lines) + "\n"


def undo_command(result: UpdateResult) -> str:
    """Shell commands that put the project back exactly as it was before `result`'s update.

    The update only wrote entries (new ones intent-to-add, conflicts as unmerged index
    entries, leftovers untracked) into a clean project folder and moved the template's
    pristine ref (a keyed one for a subfolder or another answers file): reset and clean
    undo the entries, update-ref the ref. In a subfolder of a larger repository only
    that folder was clean, so the reset and clean are limited to it. Run from elsewhere,
    the commands start with a `cd` (git clean works below the cwd).
    """
    ref = shlex.quote(result.pristine_ref)
    restore_ref = (
        f"git update-ref {ref} {result.pristine_before}"
        if result.pristine_before
        else f"git update-ref -d {ref}"
    )
    if result.subfolder:
        files = "git reset -q -- . && git checkout -- . && git clean -fd --quiet -- ."
    else:
        files = "git reset --hard --quiet && git clean -fd --quiet"
    undo = f"{files} && {restore_ref}"
    if result.project == Path.cwd().resolve():
        return undo
    return f"cd {shlex.quote(str(result.project))} && {undo}"


def update_summary(result: UpdateResult) -> dict[str, Any]:
    """The update as plain data: versions, counts per outcome, changed files and conflicts."""
    counts = Counter(entry.outcome for entry in result.files)
    return {
        "project": str(result.project),
        "template": result.template_source,
        "version_from": result.version_from,
        "version_to": result.version_to,
        "up_to_date": result.up_to_date,
        "dry_run": result.dry_run,
        "merge_base": result.base_from or None,
        "counts": {outcome.value: counts[outcome] for outcome in SUMMARY_ORDER},
        "files": [
            {"path": entry.path, "outcome": entry.outcome.value, "reason": entry.reason}
            for entry in result.changed
        ],
        "extra_files": [
            {"path": path, "why": why} for path, why in sorted(result.extra_files.items())
        ],
        "conflicts": [entry.path for entry in result.conflicts],
        "migrations_run": list(result.migrations_run),
        "dropped_answers": list(result.dropped_answers),
    }


def render_update_json(result: UpdateResult) -> str:
    """`scaffold update --format json`: `update_summary` as JSON (for bots and workflows)."""
    return json.dumps(update_summary(result), indent=2) + "\n"


def render_update_markdown(result: UpdateResult) -> str:
    """`scaffold update --format markdown`: the body of an update pull request.

    A table of counts per outcome, the changed files, and the conflicts, which
    are committed with markers and must be resolved before merging.
    """
    summary = update_summary(result)
    name, source = result.project.name, result.template_source
    if result.up_to_date:
        return f"`{name}` is up to date with `{source}` {result.version_to}.\n"
    lines = [
        f"Template update of `{name}`: `{source}` **{result.version_from} → {result.version_to}**"
        f" (merge base: {result.base_from or 'none'}).",
        "",
        "| outcome | files |",
        "|---|---:|",
        *(f"| {outcome} | {count} |" for outcome, count in summary["counts"].items()),
    ]
    if result.conflicts:
        lines += [
            "",
            f"### :warning: {len(result.conflicts)} conflict(s) to resolve before merging",
            "",
            "These files are committed **with conflict markers** (`<<<<<<< yours` ... "
            "`>>>>>>> template (new)`) or with a `.rej` file beside them; resolve each one on "
            "this branch, then merge.",
            "",
            *(f"- [ ] `{entry.path}`" for entry in result.conflicts),
        ]
    if result.changed:
        lines += ["", "<details><summary>Changed files</summary>", ""]
        lines += [
            f"- {entry.outcome.value}: `{entry.path}` ({entry.reason})" for entry in result.changed
        ]
        lines += [
            f"- written: `{path}` ({why})" for path, why in sorted(result.extra_files.items())
        ]
        lines += ["", "</details>"]
    if result.migrations_run:
        lines += ["", "Migrations run:", *(f"- `{command}`" for command in result.migrations_run)]
    if result.dropped_answers:
        lines += ["", f"Answers no longer asked: {', '.join(result.dropped_answers)}."]
    return "\n".join(lines) + "\n"


def render_status_text(statuses: list[ProjectStatus]) -> str:
    """One line per project: path, template, version, latest, edits, state."""
    rows = [("project", "template", "version", "latest", "edited", "state")]
    for status in statuses:
        edited = "unknown" if status.edited is None else ("yes" if status.edited else "no")
        rows.append(
            (
                _project_label(status),
                status.template_source,
                status.version or "-",
                status.latest_version or "-",
                edited,
                "outdated" if status.outdated else "current",
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    table = "".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        + "\n"
        for row in rows
    )
    problems = "".join(f"{status.project}: {status.error}\n" for status in statuses if status.error)
    return table + problems


def render_status_json(statuses: list[ProjectStatus]) -> str:
    """Machine-readable status: a list of objects, one per project."""
    return json.dumps(
        [
            {
                "project": str(status.project),
                "answers_file": status.answers_file,
                "template": status.template_source,
                "version": status.version,
                "latest_version": status.latest_version,
                "edited": status.edited,
                "outdated": status.outdated,
                "error": status.error or None,
            }
            for status in statuses
        ],
        indent=2,
    )


def _project_label(status: ProjectStatus) -> str:
    """The project folder, and the answers file when it is not the default one (layered)."""
    if status.answers_file == ANSWERS_FILE:
        return str(status.project)
    return f"{status.project} ({status.answers_file})"
