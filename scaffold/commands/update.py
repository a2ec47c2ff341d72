"""`scaffold update`: bring a project to a newer template version with a 3-way merge.

Everything is prepared in a scratch folder first: the merge base (the pristine
render of the recorded version, from the template's pristine ref or re-rendered),
the new pristine render, the merge and the migrations. Only the final result
touches the project, file by file, and is rolled back if that is interrupted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from scaffold.errors import InvalidAnswerError, ScaffoldError, UntrustedTemplateError
from scaffold.git.index import ignored_paths, literal_paths_environment, record_unmerged
from scaffold.git.quarantine import quarantined_objects
from scaffold.git.repository import PRISTINE_REF, is_dirty, require_git, run_git
from scaffold.project.answers import (
    RecordedAnswers,
    parse_data_pairs,
    read_recorded_answers,
    write_recorded_answers,
)
from scaffold.project.layout import ProjectLayout, project_layout
from scaffold.project.orgconfig import OrgConfig, apply_org_answers
from scaffold.render.project_writer import ProjectWriter, files_under, path_state
from scaffold.render.renderer import RenderedProject, render_template
from scaffold.render.sources import TemplateSource, is_orgs_template, source_from_record
from scaffold.render.trust import template_trust
from scaffold.scratch import scratch_folder
from scaffold.update.baseline import merge_base
from scaffold.update.clashes import settle_clashes
from scaffold.update.copier_settings import update_settings
from scaffold.update.file_trees import (
    FileTree,
    copy_tree_into_scratch,
    read_folder,
    read_paths,
    read_tracked_files,
)
from scaffold.update.merging import FileMerge, Outcome, merge_trees
from scaffold.update.migrations import Migration, pending_migrations, run_migrations
from scaffold.update.pristine import (
    move_pristine_ref,
    read_commit_tree,
    store_pristine_commit,
)
from scaffold.update.text_diff import unified_diff

CONFLICT_STYLES = ("inline", "rej")


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
    answers_file: str = ".copier-answers.yml"  # the record of the template that was updated
    pristine_ref: str = PRISTINE_REF  # the template's pristine ref (keyed by subfolder/record)
    pristine_before: str = ""  # the pristine commit before the update ("" when there was none)
    subfolder: str = ""  # the project's folder inside its repository ("" at the top)

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
    answers_file: str | None = None,
) -> UpdateResult:
    """Update `project` to `vcs_ref` (default: the template's latest version).

    `answers_file` picks the template of a project holding several (layered
    templates); it is needed only then. `project` may be a subfolder of a
    larger repository: only that folder is read and written.
    Template code runs for built-in templates, with `trust`, or when `org`
    lists the recorded source in `trusted_sources`.
    """
    if conflict not in CONFLICT_STYLES:
        raise ScaffoldError(f"unknown --conflict '{conflict}'", "use inline or rej")
    require_git()
    layout = project_layout(project, answers_file)
    project, record = layout.root, layout.answers_file
    recorded = read_recorded_answers(project, record)
    _require_clean_repository(layout, allow_dirty=dry_run)  # a dry run changes nothing
    org = org or OrgConfig()
    org = org.for_template(is_orgs_template(org.template_source, recorded.source))
    overrides = parse_data_pairs(data)
    apply_org_answers(org, {}, overrides)  # refuses --data that contradicts a locked answer
    locked = dict(org.locked)  # locked answers always win, also over what was recorded
    source = source_from_record(recorded.source, vcs_ref, recorded.engine)
    trust = template_trust(source, trust_flag=trust, org=org).trusted
    answers_text = (project / record).read_bytes()
    tracked = read_tracked_files(project)

    with (
        scratch_folder("scaffold-update-") as scratch,
        quarantined_objects(project) as objects,  # nothing reaches .git before the writes
    ):
        work = scratch / "work"
        base, base_from = merge_base(
            project,
            answers_text,
            recorded,
            scratch / "base",
            trust,
            ref=layout.pristine_ref,
            answers_file=record,
        )

        answers = {**recorded.answers, **overrides, **locked}
        new_render = _render(source, scratch / "new", answers, vcs_ref, use_defaults, trust, record)
        _reject_unknown_overrides(overrides, new_render, source)
        # Git-ignored files where the template has (or had) a file are the user's files too.
        ours = {
            **tracked,
            **_ignored_files(project, tracked, record, base, read_folder(new_render.path)),
        }
        copy_tree_into_scratch(work, ours)
        migrations = pending_migrations(new_render.settings, recorded.version, new_render.version)
        if migrations and not (trust or source.is_builtin):
            raise UntrustedTemplateError(
                f"template '{source.recorded}' wants to run migrations: "
                + "; ".join(_shown(item) for item in migrations),
                "read them, then pass --trust to allow them",
            )
        context = _migration_context(answers, recorded.version, new_render.version, record)
        ran = run_migrations(migrations, "before", work, context)
        if ran:  # a migration may rename or change answers: render again with them
            migrated = read_recorded_answers(work, record)
            # What the user typed at a prompt wins over what a migration derived.
            typed = {} if use_defaults else _typed_answers(new_render, answers)
            answers = {**migrated.answers, **typed, **overrides, **locked}
            new_render = _render(
                source, scratch / "new-migrated", answers, vcs_ref, True, trust, record
            )

        write_recorded_answers(
            new_render.path,
            RecordedAnswers(source.recorded, new_render.version, new_render.answers, source.engine),
            record,
        )
        pristine_message = f"Pristine render of {source.recorded}@{new_render.version}"
        pristine_commit = store_pristine_commit(
            project, new_render.path, pristine_message, layout.pristine_ref, environment=objects
        )
        theirs = read_commit_tree(project, pristine_commit, environment=objects)
        late_ignored = _ignored_files(project, ours, record, {}, theirs)
        ours.update(late_ignored)
        copy_tree_into_scratch(work, late_ignored)

        settings = update_settings(new_render.settings, new_render.answers)
        work_tree = read_folder(work)
        files = merge_trees(
            _without_record(_without(base, settings.excluded), record),
            _without_record(_without(work_tree, settings.excluded), record),
            _without_record(_without(theirs, settings.excluded), record),
            required=new_render.settings.get("scaffold_required_files", []) or [],
            conflict_style=conflict,
            keep_existing=settings.keep_existing,
            untracked=set(ours) - set(tracked),
        )
        files = settle_clashes(
            files,
            _without_record(ours, record),
            lambda path: path_state(project, path),
            lambda folder: files_under(project, folder),
        )
        extra_files = _apply_merges(work, work_tree, files)
        ProjectWriter(work, journal=False).write(record, theirs[record])
        ran += run_migrations(migrations, "after", work, context)

        final = read_folder(work)
        ignored_additions = _ignored_additions(project, work, files, set(ours))
        files = [
            replace(entry, reason=f"{entry.reason}; git ignores it, so it stays untracked")
            if entry.path in ignored_additions
            else entry
            for entry in files
        ]
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
            answers_file=record,
            pristine_ref=layout.pristine_ref,
            pristine_before=_pristine_commit(project, layout.pristine_ref),
            subfolder=layout.prefix,
        )
        if dry_run or not diff:
            return result
        # git itself stores the pristine commit for good: scaffold never writes inside `.git`.
        _apply_to_project(
            project,
            ProjectChange(ours, final, set(tracked), files, ignored_additions),
            lambda: store_pristine_commit(
                project, new_render.path, pristine_message, layout.pristine_ref
            ),
            layout.pristine_ref,
        )
        return result


def _pristine_commit(project: Path, ref: str) -> str:
    """The commit `ref` points at ("" when there is none)."""
    return run_git(project, "rev-parse", "--verify", "--quiet", ref, check=False).strip()


def _require_clean_repository(layout: ProjectLayout, *, allow_dirty: bool = False) -> None:
    if layout.repository is None:
        raise ScaffoldError(
            f"{layout.root} is not in a git repository",
            "run `git init && git add -A && git commit -m init` first, so the update can be undone",
        )
    if not allow_dirty and is_dirty(layout.root):
        raise DirtyTreeError(
            f"{layout.root} has uncommitted changes",
            "commit or stash them first (`git status -- .` lists them)",
        )


def _render(
    source: TemplateSource,
    folder: Path,
    answers: dict[str, Any],
    vcs_ref: str | None,
    use_defaults: bool,
    trust: bool,
    answers_file: str,
) -> RenderedProject:
    return render_template(
        source,
        folder,
        answers,
        vcs_ref=vcs_ref,
        use_defaults=use_defaults,
        trust=trust,
        strict_keys=False,
        answers_file=answers_file,
    )


def _typed_answers(rendered: RenderedProject, given: dict[str, Any]) -> dict[str, Any]:
    """The answers of an interactive render that were not given to it: the prompts' answers."""
    return {key: value for key, value in rendered.answers.items() if key not in given}


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
    answers: dict[str, Any], version_from: str | None, version_to: str | None, answers_file: str
) -> dict[str, Any]:
    return {
        **answers,
        "_version_from": version_from,
        "_version_to": version_to,
        "_copier_conf": {"answers_file": answers_file},  # as copier gives migrations
    }


def _shown(migration: Migration) -> str:
    command = migration.command
    return command if isinstance(command, str) else " ".join(map(str, command))


def _without_record(tree: FileTree, answers_file: str) -> FileTree:
    return {path: entry for path, entry in tree.items() if path != answers_file}


def _without(tree: FileTree, excluded: Callable[[str], bool]) -> FileTree:
    """`tree` less the paths the new version excludes: not the template's, so not merged."""
    return {path: entry for path, entry in tree.items() if not excluded(path)}


def _ignored_files(project: Path, known: FileTree, answers_file: str, *trees: FileTree) -> FileTree:
    """Files and symlinks on disk, not in `known` (so untracked: ignored), at paths of `trees`."""
    paths = sorted({path for tree in trees for path in tree} - set(known) - {answers_file})
    return read_paths(project, paths)


def _apply_merges(work: Path, work_tree: FileTree, files: list[FileMerge]) -> dict[str, str]:
    """Write merge outcomes into the scratch copy; return extra files written beside them."""
    writer = ProjectWriter(work, journal=False)
    extra: dict[str, str] = {}
    removed = [entry.path for entry in files if entry.entry is None and entry.path in work_tree]
    for path in sorted(removed, reverse=True):
        writer.remove(path)
    for path in removed:
        writer.remove_empty_folders(path)
    for entry in files:
        if entry.entry is not None:
            writer.write(entry.path, entry.entry, check_target=False)  # the user's own entries
        if entry.leftover_path is not None and entry.leftover is not None:
            writer.write(entry.leftover_path, entry.leftover)
            extra[entry.leftover_path] = "template change that did not apply"
    return extra


def _ignored_additions(
    project: Path, work: Path, files: list[FileMerge], ours: set[str]
) -> set[str]:
    """The new template files git ignores (after the new `.gitignore`): they stay untracked."""
    added = [entry.path for entry in files if entry.outcome is Outcome.ADDED]
    return set(ignored_paths(project, work, [path for path in added if path not in ours]))


@dataclass(frozen=True)
class ProjectChange:
    """What an update writes: the project's entries before and after, and the merge outcomes."""

    before: FileTree
    after: FileTree
    tracked: set[str]
    files: list[FileMerge]
    ignored_additions: set[str]  # new files git ignores: written, not shown to the index

    @property
    def leftovers(self) -> set[str]:
        """Entries written beside conflicted ones (`.rej`, `.new-from-template`)."""
        return {entry.leftover_path for entry in self.files if entry.leftover_path is not None}

    @property
    def untracked_additions(self) -> list[str]:
        """New paths to show to git as intent-to-add (not leftovers, not ignored files)."""
        skipped = self.leftovers | self.ignored_additions
        return sorted(path for path in self.after if path not in self.before.keys() | skipped)

    @property
    def unmerged(self) -> list[FileMerge]:
        """Conflicts to record as unmerged in the index: tracked paths written in place."""
        return [
            entry
            for entry in self.files
            if entry.stages is not None
            and entry.path in self.tracked
            and self.after.get(entry.path) == entry.entry
        ]


def _apply_to_project(
    project: Path, change: ProjectChange, store_pristine: Callable[[], str], pristine_ref: str
) -> None:
    """Write the final tree into the project, record conflicts and move the pristine ref.

    Every write goes through a `ProjectWriter`; on any failure or interruption
    every entry, the index entries touched and the ref are put back.
    """
    writer = ProjectWriter(project)
    indexed: list[str] = []
    previous_ref = run_git(project, "rev-parse", "--verify", "--quiet", pristine_ref, check=False)
    pristine_commit = store_pristine()  # first: a full disk or read-only .git stops us here
    try:
        removed = [path for path in change.before if path not in change.after]
        for path in sorted(removed, reverse=True):
            writer.remove(path)
        for path in removed:
            writer.remove_empty_folders(path)
        for path, entry in sorted(change.after.items()):
            if change.before.get(path) != entry:
                writer.write(path, entry)
        # intent-to-add, so `git diff` shows new files too; leftovers stay untracked so
        # `git commit -a` cannot take them.
        added = change.untracked_additions
        indexed.extend(added)
        if added:
            literal = literal_paths_environment()
            run_git(project, "add", "--force", "--intent-to-add", "--", *added, env=literal)
        indexed.extend(entry.path for entry in change.unmerged)
        record_unmerged(project, [(entry.path, entry.stages) for entry in change.unmerged])
        move_pristine_ref(project, pristine_commit, pristine_ref)
    except BaseException:
        writer.rollback()
        if indexed:
            literal = literal_paths_environment()
            run_git(project, "reset", "-q", "--", *indexed, check=False, env=literal)
        if previous_ref.strip():
            run_git(project, "update-ref", pristine_ref, previous_ref.strip(), check=False)
        else:
            run_git(project, "update-ref", "-d", pristine_ref, check=False)
        raise
