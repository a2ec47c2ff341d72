"""`scaffold update`: bring a project to a newer template version with a 3-way merge.

Everything is prepared in a scratch folder first: the merge base (the pristine
render of the recorded version, from `refs/scaffold/pristine` or re-rendered),
the new pristine render, the merge and the migrations. Only the final result
touches the project, file by file, and is rolled back if that is interrupted.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaffold.errors import InvalidAnswerError, ScaffoldError, UntrustedTemplateError
from scaffold.git.repository import PRISTINE_REF, is_dirty, is_repository, require_git, run_git
from scaffold.project.answers import (
    ANSWERS_FILE,
    RecordedAnswers,
    locate_project,
    parse_data_pairs,
    read_recorded_answers,
    write_recorded_answers,
)
from scaffold.project.orgconfig import OrgConfig, apply_org_answers
from scaffold.render.renderer import RenderedProject, render_template
from scaffold.render.sources import TemplateSource, source_from_record
from scaffold.render.trust import template_trust
from scaffold.update.baseline import merge_base
from scaffold.update.file_trees import FileTree, read_folder, read_tracked_files, write_folder
from scaffold.update.merging import (
    BINARY_THEIRS_SUFFIX,
    REJECT_SUFFIX,
    FileMerge,
    Outcome,
    merge_trees,
)
from scaffold.update.migrations import Migration, pending_migrations, run_migrations
from scaffold.update.pristine import (
    move_pristine_ref,
    read_commit_tree,
    store_pristine_commit,
)
from scaffold.update.text_diff import unified_diff

CONFLICT_STYLES = ("inline", "rej")
LEFTOVER_SUFFIXES = (REJECT_SUFFIX, BINARY_THEIRS_SUFFIX)


class DirtyTreeError(ScaffoldError):
    """The project has uncommitted changes an update could mix with its own."""


@dataclass(frozen=True)
class UpdateResult:
    """What an update did (or, with dry_run, would do) to a project."""

    project: Path
    template_source: str
    version_from: str | None
    version_to: str | None
    files: list[FileMerge]
    extra_files: dict[str, str] = field(default_factory=dict)  # path -> why (.rej, migrations)
    diff: str = ""
    migrations_run: list[str] = field(default_factory=list)
    dropped_answers: list[str] = field(default_factory=list)
    base_from: str = ""  # "pristine ref" or "re-rendered"
    dry_run: bool = False

    @property
    def changed(self) -> list[FileMerge]:
        """Files whose outcome is not `unchanged`."""
        return [entry for entry in self.files if entry.outcome is not Outcome.UNCHANGED]

    @property
    def conflicts(self) -> list[FileMerge]:
        """Files with conflicts left for the user."""
        return [entry for entry in self.files if entry.outcome is Outcome.CONFLICTED]

    @property
    def up_to_date(self) -> bool:
        """Nothing to do."""
        return not self.diff


def update_project(
    project: Path,
    *,
    vcs_ref: str | None = None,
    data: Sequence[str] = (),
    use_defaults: bool = True,
    dry_run: bool = False,
    conflict: str = "inline",
    trust: bool = False,
    org: OrgConfig | None = None,
) -> UpdateResult:
    """Update `project` to `vcs_ref` (default: the template's latest version).

    Template code runs for built-in templates, with `trust`, or when `org`
    lists the recorded source in `trusted_sources`.
    """
    if conflict not in CONFLICT_STYLES:
        raise ScaffoldError(f"unknown --conflict '{conflict}'", "use inline or rej")
    require_git()
    project = locate_project(project)
    recorded = read_recorded_answers(project)
    _require_clean_repository(project)
    org = org or OrgConfig()
    overrides = parse_data_pairs(data)
    apply_org_answers(org, {}, overrides)  # refuses --data that contradicts a locked answer
    locked = dict(org.locked)  # locked answers always win, also over what was recorded
    source = source_from_record(recorded.source, vcs_ref, recorded.engine)
    trust = template_trust(source, trust_flag=trust, org=org).trusted
    answers_text = (project / ANSWERS_FILE).read_bytes()
    ours = read_tracked_files(project)

    with tempfile.TemporaryDirectory(prefix="scaffold-update-") as scratch_name:
        scratch = Path(scratch_name)
        work = scratch / "work"
        write_folder(work, ours)
        base, base_from = merge_base(project, answers_text, recorded, scratch / "base", trust)

        answers = {**recorded.answers, **overrides, **locked}
        new_render = _render(source, scratch / "new", answers, vcs_ref, use_defaults, trust)
        _reject_unknown_overrides(overrides, new_render, source)
        migrations = pending_migrations(new_render.settings, recorded.version, new_render.version)
        if migrations and not (trust or source.is_builtin):
            raise UntrustedTemplateError(
                f"template '{source.recorded}' wants to run migrations: "
                + "; ".join(_shown(item) for item in migrations),
                "read them, then pass --trust to allow them",
            )
        context = _migration_context(answers, recorded.version, new_render.version)
        ran = run_migrations(migrations, "before", work, context)
        if ran:  # a migration may rename or change answers: render again with them
            migrated = read_recorded_answers(work)
            answers = {**migrated.answers, **overrides, **locked}
            new_render = _render(source, scratch / "new-migrated", answers, vcs_ref, True, trust)

        write_recorded_answers(
            new_render.path,
            RecordedAnswers(source.recorded, new_render.version, new_render.answers, source.engine),
        )
        pristine_commit = store_pristine_commit(
            project, new_render.path, f"Pristine render of {source.recorded}@{new_render.version}"
        )
        theirs = read_commit_tree(project, pristine_commit)

        work_tree = read_folder(work)
        files = merge_trees(
            _without_record(base),
            _without_record(work_tree),
            _without_record(theirs),
            required=new_render.settings.get("scaffold_required_files", []) or [],
            conflict_style=conflict,
        )
        extra_files = _apply_merges(work, files)
        (work / ANSWERS_FILE).write_bytes(theirs[ANSWERS_FILE])
        ran += run_migrations(migrations, "after", work, context)

        final = read_folder(work)
        diff = unified_diff(ours, final)
        result = UpdateResult(
            project=project,
            template_source=source.recorded,
            version_from=recorded.version,
            version_to=new_render.version,
            files=files,
            extra_files=extra_files,
            diff=diff,
            migrations_run=ran,
            dropped_answers=sorted(set(answers) - new_render.questions),
            base_from=base_from,
            dry_run=dry_run,
        )
        if dry_run or not diff:
            return result
        _apply_to_project(project, ours, final, pristine_commit)
        return result


def _require_clean_repository(project: Path) -> None:
    if not is_repository(project):
        raise ScaffoldError(
            f"{project} is not the top of a git repository",
            "run `git init && git add -A && git commit -m init` first, so the update can be undone",
        )
    if is_dirty(project):
        raise DirtyTreeError(
            f"{project} has uncommitted changes",
            "commit or stash them first (`git status` lists them)",
        )


def _render(
    source: TemplateSource,
    folder: Path,
    answers: dict[str, Any],
    vcs_ref: str | None,
    use_defaults: bool,
    trust: bool,
) -> RenderedProject:
    return render_template(
        source,
        folder,
        answers,
        vcs_ref=vcs_ref,
        use_defaults=use_defaults,
        trust=trust,
        strict_keys=False,
    )


def _reject_unknown_overrides(
    overrides: dict[str, str], rendered: RenderedProject, source: TemplateSource
) -> None:
    unknown = sorted(set(overrides) - rendered.questions)
    if unknown:
        raise InvalidAnswerError(
            f"unknown question(s) for template '{source.recorded}': {', '.join(unknown)}",
            f"known questions: {', '.join(sorted(rendered.questions)) or 'none'}",
        )


def _migration_context(
    answers: dict[str, Any], version_from: str | None, version_to: str | None
) -> dict[str, Any]:
    return {**answers, "_version_from": version_from, "_version_to": version_to}


def _shown(migration: Migration) -> str:
    command = migration.command
    return command if isinstance(command, str) else " ".join(map(str, command))


def _without_record(tree: FileTree) -> FileTree:
    return {path: content for path, content in tree.items() if path != ANSWERS_FILE}


def _apply_merges(work: Path, files: list[FileMerge]) -> dict[str, str]:
    """Write merge outcomes into the scratch copy; return extra files written beside them."""
    extra: dict[str, str] = {}
    for entry in files:
        target = work / entry.path
        if entry.content is None:
            target.unlink(missing_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(entry.content)
        if entry.leftover_path is not None and entry.leftover is not None:
            (work / entry.leftover_path).write_bytes(entry.leftover)
            extra[entry.leftover_path] = "template change that did not apply"
    return extra


def _apply_to_project(
    project: Path, before: FileTree, after: FileTree, pristine_commit: str
) -> None:
    """Write the final tree into the project and move the pristine ref to the new render.

    On any interruption, every file, the index entries and the ref are put back.
    """
    touched: list[str] = []
    previous_ref = run_git(project, "rev-parse", "--verify", "--quiet", PRISTINE_REF, check=False)
    try:
        for path in sorted(set(before) | set(after)):
            if before.get(path) == after.get(path):
                continue
            touched.append(path)
            target = project / path
            if path in after:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(after[path])
            else:
                target.unlink(missing_ok=True)
        # intent-to-add, so `git diff` shows new files too; conflict leftovers (.rej and the
        # template's copy of a binary file) stay untracked so `git commit -a` cannot take them.
        added = [
            path for path in touched if path not in before and not path.endswith(LEFTOVER_SUFFIXES)
        ]
        if added:
            run_git(project, "add", "--intent-to-add", "--", *added)
        move_pristine_ref(project, pristine_commit)
    except BaseException:
        for path in touched:
            target = project / path
            if path in before:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(before[path])
            else:
                target.unlink(missing_ok=True)
        added = [path for path in touched if path not in before]
        if added:
            run_git(
                project, "rm", "--cached", "--quiet", "--ignore-unmatch", "--", *added, check=False
            )
        if previous_ref.strip():
            run_git(project, "update-ref", PRISTINE_REF, previous_ref.strip(), check=False)
        raise
