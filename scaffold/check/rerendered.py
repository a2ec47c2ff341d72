"""The pristine render of a project rebuilt from its template, for clones that lack the ref.

CI checkouts fetch branches and tags, not `refs/scaffold/pristine`; the locked-files rule
then compares with the recorded template version rendered again with the recorded answers,
as `scaffold update` does. Template code runs only for built-in templates here.
"""

from __future__ import annotations

from pathlib import Path

from scaffold.errors import ScaffoldError
from scaffold.git.objects import blob_id
from scaffold.project.answers import ANSWERS_FILE, read_recorded_answers
from scaffold.render.renderer import render_template
from scaffold.render.sources import source_from_record
from scaffold.scratch import scratch_folder

FETCH_PRISTINE = "git fetch origin 'refs/scaffold/*:refs/scaffold/*'"


def rerendered_blob_ids(
    project: Path, why_no_ref: str, answers_file: str = ANSWERS_FILE
) -> dict[str, str] | str:
    """Path -> blob id of the version recorded in `answers_file` rendered again; or why not.

    `why_no_ref` says why the stored pristine render could not be read.
    """
    if not (project / answers_file).is_file():
        return f"{why_no_ref} and no {answers_file}: the project records no template"
    try:
        recorded = read_recorded_answers(project, answers_file)
        source = source_from_record(recorded.source, recorded.version, recorded.engine)
        with scratch_folder("scaffold-check-") as scratch:
            rendered = render_template(
                source,
                scratch / "render",
                recorded.answers,
                vcs_ref=recorded.version,
                use_defaults=True,
                strict_keys=False,
                answers_file=answers_file,
            )
            return {
                path.relative_to(rendered.path).as_posix(): blob_id(path.read_bytes())
                for path in sorted(rendered.path.rglob("*"))
                if path.is_file() and not path.is_symlink()
            }
    except ScaffoldError as error:
        return (
            f"{why_no_ref} (a CI checkout does not fetch it: run `{FETCH_PRISTINE}`), and "
            f"{recorded_label(project, answers_file)} cannot be rendered again: {error.message}"
        )


def recorded_label(project: Path, answers_file: str = ANSWERS_FILE) -> str:
    """`source@version` of the project's record `answers_file`, for messages."""
    try:
        recorded = read_recorded_answers(project, answers_file)
    except ScaffoldError:
        return "the recorded template"
    return f"{recorded.source}@{recorded.version}" if recorded.version else recorded.source
