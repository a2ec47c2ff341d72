"""`scaffold link`: put an existing project under scaffold's management.

Read what the project records about its template (`.copier-answers.yml` or
cruft's `.cruft.json`), else take answers from the user; render the template
at that version in a temporary folder; store that render as the project's
pristine commit (so `scaffold update` has a merge base) and commit the answers
record. The user's other files, index and history are left alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold.errors import DestinationError, ScaffoldError
from scaffold.git.repository import is_dirty, require_git, run_git
from scaffold.git.trees import regular_file
from scaffold.project.answers import (
    ANSWERS_FILE,
    RecordedAnswers,
    answers_record_text,
    load_answers_file,
    parse_data_pairs,
    write_recorded_answers,
)
from scaffold.project.foreign_records import RECORD_FILES, ExistingRecord, read_existing_record
from scaffold.project.layout import ProjectLayout, layout_of_folder
from scaffold.project.orgconfig import OrgConfig
from scaffold.render.project_writer import ProjectWriter
from scaffold.render.renderer import render_template
from scaffold.render.sources import resolve_template_source
from scaffold.render.trust import template_trust
from scaffold.scratch import scratch_folder
from scaffold.update.pristine import move_pristine_ref, pristine_commits, store_pristine_commit


@dataclass(frozen=True)
class LinkedProject:
    """The outcome of `scaffold link`."""

    path: Path
    template_source: str
    template_version: str | None
    answers: dict[str, Any]
    record_origin: str  # the file the answers came from, or "" when the user gave them
    pristine_commit: str
    commit: str | None  # the commit of the answers record (None: it was already committed)
    differing_paths: list[str]  # files where the project differs from the template render


def link_project(
    project: Path,
    *,
    template: str | None = None,
    vcs_ref: str | None = None,
    data: Sequence[str] = (),
    data_file: Path | None = None,
    use_defaults: bool = True,
    trust: bool = False,
    org: OrgConfig | None = None,
    answers_file: str = ANSWERS_FILE,
) -> LinkedProject:
    """Link the git project at `project` to `template` (default: the one it records).

    `data_file` is a YAML file of answers; `answers_file` is where the project
    keeps (or will keep) this template's record, e.g. a layered template's
    `.copier-answers.ml.yml`. `project` may be a subfolder of a repository.
    Template code runs for built-in templates, with `trust`, or for sources `org` trusts.
    """
    layout = layout_of_folder(project, answers_file)
    project, record = layout.root, layout.answers_file
    check_linkable(layout)
    existing = read_existing_record(project, record)
    template_spec, version, answers, engine = _starting_point(existing, template, vcs_ref)
    if data_file is not None:
        answers.update(load_answers_file(data_file))
    answers.update(parse_data_pairs(data))
    source = resolve_template_source(template_spec, version, engine=engine)
    trust = template_trust(source, trust_flag=trust, org=org).trusted

    with scratch_folder("scaffold-link-") as scratch:
        rendered = render_template(
            source,
            Path(scratch) / "render",
            answers,
            vcs_ref=version,
            use_defaults=use_defaults,
            trust=trust,
            strict_keys=existing is None,  # a recorded answer may be for a dropped question
            answers_file=record,
        )
        recorded = RecordedAnswers(
            source.recorded, rendered.version, rendered.answers, source.engine
        )
        write_recorded_answers(rendered.path, recorded, record)
        label = f"{source.recorded}@{rendered.version}" if rendered.version else source.recorded
        pristine = store_pristine_commit(
            project, rendered.path, f"Pristine render of {label}", layout.pristine_ref
        )
    move_pristine_ref(project, pristine, layout.pristine_ref)
    # Through the ProjectWriter: a user's answers record symlink is replaced, not followed.
    record_entry = regular_file(answers_record_text(recorded).encode("utf-8"))
    ProjectWriter(project, journal=False).write(record, record_entry)
    commit = _commit_answers_record(project, record, f"Link to template {label} with scaffold")
    differing = _differing_paths(layout, pristine)
    return LinkedProject(
        project,
        source.recorded,
        rendered.version,
        rendered.answers,
        existing.origin if existing else "",
        pristine,
        commit,
        differing,
    )


def check_linkable(layout: ProjectLayout) -> None:
    """Refuse a folder that is not clean and committed in git, or whose template is linked."""
    require_git()
    project = layout.root
    if not project.is_dir():
        raise DestinationError(f"{project} is not a folder", "pass the project's folder")
    if layout.repository is None:
        raise DestinationError(
            f"{project} is not in a git repository",
            "run `git init && git add --all && git commit -m 'Initial commit'` there first",
        )
    if not run_git(project, "rev-parse", "--verify", "--quiet", "HEAD", check=False).strip():
        raise DestinationError(
            f"{project} has no commit yet", "commit the project's files first, then link it"
        )
    if is_dirty(project):
        raise DestinationError(
            f"{project} has uncommitted changes", "commit or stash them first, then link it"
        )
    if pristine_commits(project, layout.pristine_ref):
        raise DestinationError(
            f"{project} is already managed by scaffold (template record {layout.answers_file})",
            "use `scaffold update` to move it to another template version",
        )


def _starting_point(
    existing: ExistingRecord | None, template: str | None, vcs_ref: str | None
) -> tuple[str, str | None, dict[str, Any], str | None]:
    """Template, version, answers and engine: the command line wins over the record."""
    if existing is None:
        if template is None:
            raise ScaffoldError(
                "the project records no template (no .copier-answers.yml or .cruft.json)",
                "pass --template with the template it was made from",
            )
        return template, vcs_ref, {}, None
    same_template = template is None or template == existing.template
    version = vcs_ref or (existing.version if same_template else None)
    engine = existing.engine if same_template else None
    return template or existing.template, version, dict(existing.answers), engine


def _commit_answers_record(project: Path, answers_file: str, message: str) -> str | None:
    if not run_git(project, "status", "--porcelain", "--", answers_file).strip():
        return None
    run_git(project, "add", "--", answers_file)
    run_git(project, "commit", "--quiet", "--no-verify", "--message", message, "--", answers_file)
    return run_git(project, "rev-parse", "HEAD").strip()


def _differing_paths(layout: ProjectLayout, pristine: str) -> list[str]:
    """Files where the committed project differs from the template render.

    For a layered template (not the default record), files only the project
    has are left out: they belong to the project's other templates. Template
    records (the answers file, cruft's `.cruft.json`) are not differences.
    """
    committed = f"HEAD:{layout.prefix}" if layout.prefix else "HEAD"
    only_rendered = () if layout.is_default_record else ("--diff-filter=MDT",)
    records = {layout.answers_file, *RECORD_FILES}
    listed = run_git(layout.root, "diff", "--name-only", "-z", *only_rendered, pristine, committed)
    return [path for path in listed.split("\0")[:-1] if path not in records]
