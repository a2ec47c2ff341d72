"""`scaffold new`: render a template into a new project, record it, commit it.

Data flows one way: resolve the template source → gather answers → render in
a staging folder → record template and answers → git init and commit →
move into place. Nothing is written to the destination unless all succeed.
A destination inside an existing repository (a monorepo) gets no nested
repository: the new folder alone is committed there, after the move.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold.errors import DestinationError, TemplateError
from scaffold.git.repository import (
    commit_folder,
    init_repository,
    is_ignored,
    repository_root,
    require_git,
    run_git,
)
from scaffold.project.answers import (
    RecordedAnswers,
    load_answers_file,
    parse_data_pairs,
    write_recorded_answers,
)
from scaffold.project.layout import ProjectLayout, layout_of_folder
from scaffold.project.orgconfig import OrgConfig, apply_org_answers, check_template_version
from scaffold.render.renderer import render_template
from scaffold.render.sources import TemplateSource, is_orgs_template, resolve_template_source
from scaffold.render.staging import (
    check_destination_is_free,
    nearest_existing_parent,
    staged_folder,
)
from scaffold.render.trust import template_trust
from scaffold.update.pristine import move_pristine_ref, store_pristine_commit


@dataclass(frozen=True)
class NewProject:
    """The outcome of `scaffold new`."""

    path: Path
    template_source: str
    template_version: str | None
    answers: dict[str, Any]
    commit: str | None

    @property
    def next_steps(self) -> str:
        """What to run next: the Makefile's setup/pipeline/test chain when the project has one."""
        makefile = self.path / "Makefile"
        targets = makefile.read_text(encoding="utf-8") if makefile.is_file() else ""
        chain = [name for name in ("setup", "pipeline", "test") if f"\n{name}:" in targets]
        here = self.path.resolve() == Path.cwd().resolve()  # `scaffold new .`: already there
        return " && ".join([*([] if here else [f"cd {self.path}"]), *(f"make {n}" for n in chain)])


def new_project(
    destination: Path,
    *,
    template: str | None = None,
    vcs_ref: str | None = None,
    data: Sequence[str] = (),
    answers_file: Path | None = None,
    use_defaults: bool = True,
    trust: bool = False,
    use_git: bool = True,
    org: OrgConfig | None = None,
) -> NewProject:
    """Generate a project at `destination` and return what was made.

    With `use_git`, a destination outside any repository becomes a new one; a
    destination inside a repository is committed there alone (other staged
    changes stay staged), with its own pristine ref.
    `org` supplies the default template and answers, locked answers that the
    answers file and `data` may not change, and the sources trusted to run code.
    """
    check_destination_is_free(destination)
    existed = destination.is_dir()  # an empty folder (maybe `.`): it stays, whatever happens
    if use_git:
        require_git()
    parent = nearest_existing_parent(destination)
    enclosing = repository_root(parent) if use_git else None
    if enclosing is not None and is_ignored(parent, destination):
        raise DestinationError(
            f"destination {destination} is ignored by the git repository at {enclosing}",
            "pick a folder the repository tracks, or pass --no-git",
        )
    org = org or OrgConfig()
    source = resolve_template_source(template or org.template_source, vcs_ref)
    org = org.for_template(is_orgs_template(org.template_source, source.recorded))
    _refuse_destination_inside_template(destination, source)
    file_answers = load_answers_file(answers_file) if answers_file is not None else {}
    answers = apply_org_answers(org, file_answers, parse_data_pairs(data))

    with staged_folder(destination) as staging:
        rendered = render_template(
            source,
            staging,
            answers,
            vcs_ref=vcs_ref,
            use_defaults=use_defaults,
            trust=template_trust(source, trust_flag=trust, org=org).trusted,
        )
        outside_range = check_template_version(org, rendered.version)
        if outside_range:
            raise TemplateError(outside_range, "pass --vcs-ref with a version the org allows")
        write_recorded_answers(
            staging,
            RecordedAnswers(source.recorded, rendered.version, rendered.answers, source.engine),
            rendered.answers_file,
        )
        commit = None
        label = f"{source.recorded}@{rendered.version}" if rendered.version else source.recorded
        message = f"Generate project from {label} with scaffold"
        if use_git and enclosing is None:
            # A layered template's record gets its own ref (the default one stays free).
            ref = ProjectLayout(staging, rendered.answers_file, staging).pristine_ref
            commit = init_repository(staging, message, ref)
            _keep_ignored_files_in_pristine(staging, f"Pristine render of {label}", ref)
        pristine, layout = None, None
        if enclosing is not None:
            layout = layout_of_folder(destination, rendered.answers_file)
            pristine = store_pristine_commit(
                staging, staging, f"Pristine render of {label}", layout.pristine_ref
            )
    if layout is not None and pristine is not None:
        commit = _commit_in_repository(layout, pristine, message, keep_folder=existed)
    return NewProject(destination, source.recorded, rendered.version, rendered.answers, commit)


def _commit_in_repository(
    layout: ProjectLayout, pristine: str, message: str, *, keep_folder: bool
) -> str:
    """Commit the new project folder alone in the repository holding it; mark its pristine ref.

    The pristine commit holds every file the template wrote, also those git ignores.
    If git fails, what was written is removed again, so nothing is left half-made; a
    folder that existed before (`keep_folder`, e.g. `new .`) stays, emptied.
    """
    try:
        commit = commit_folder(layout.root, message)
        move_pristine_ref(layout.root, pristine, layout.pristine_ref)
    except BaseException:
        run_git(layout.root, "reset", "--quiet", "--", ".", check=False)
        if not keep_folder:
            shutil.rmtree(layout.root, ignore_errors=True)
        else:
            for entry in layout.root.iterdir():
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
        raise
    return commit


def _keep_ignored_files_in_pristine(project: Path, message: str, ref: str) -> None:
    """Make the pristine render hold the files the template's `.gitignore` kept out of git.

    The first commit tracks what the template lets git track; the pristine ref
    must hold everything the template wrote, so a later update knows those
    files as the template's and not as the user's.
    """
    ignored = run_git(project, "ls-files", "--others", "--ignored", "--exclude-standard", "-z")
    if ignored.strip("\0"):
        move_pristine_ref(project, store_pristine_commit(project, project, message, ref), ref)


def _refuse_destination_inside_template(destination: Path, source: TemplateSource) -> None:
    """A project inside its own template folder would be rendered into itself, forever."""
    if source.kind != "path":
        return
    template_folder = Path(source.location).resolve()
    if destination.resolve().is_relative_to(template_folder):
        raise DestinationError(
            f"destination {destination} is inside the template folder {template_folder}",
            "pick a destination outside the template",
        )
