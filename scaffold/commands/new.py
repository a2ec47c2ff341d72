"""`scaffold new`: render a template into a new project, record it, commit it.

Data flows one way: resolve the template source → gather answers → render in
a staging folder → record template and answers → git init and commit →
move into place. Nothing is written to the destination unless all succeed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold.errors import TemplateError
from scaffold.git.repository import init_repository, require_git
from scaffold.project.answers import (
    RecordedAnswers,
    load_answers_file,
    parse_data_pairs,
    write_recorded_answers,
)
from scaffold.project.orgconfig import OrgConfig, apply_org_answers, check_template_version
from scaffold.render.renderer import render_template
from scaffold.render.sources import resolve_template_source
from scaffold.render.staging import check_destination_is_free, staged_folder
from scaffold.render.trust import template_trust


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
        return " && ".join([f"cd {self.path}", *(f"make {name}" for name in chain)])


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

    `org` supplies the default template and answers, locked answers that the
    answers file and `data` may not change, and the sources trusted to run code.
    """
    check_destination_is_free(destination)
    if use_git:
        require_git()
    org = org or OrgConfig()
    source = resolve_template_source(template or org.template_source, vcs_ref)
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
        )
        commit = None
        if use_git:
            label = f"{source.recorded}@{rendered.version}" if rendered.version else source.recorded
            commit = init_repository(staging, f"Generate project from {label} with scaffold")
    return NewProject(destination, source.recorded, rendered.version, rendered.answers, commit)
