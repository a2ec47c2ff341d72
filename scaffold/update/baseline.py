"""The merge base of a project: its template rendered at the recorded version with its answers.

First choice is the pristine commit kept on the template's pristine ref whose
answers file matches the project's; otherwise the recorded version is
rendered again from the template source. Used by update, diff and status.
"""

from __future__ import annotations

from pathlib import Path

from scaffold.errors import ScaffoldError
from scaffold.git.quarantine import quarantined_objects
from scaffold.git.repository import PRISTINE_REF
from scaffold.git.trees import regular_file
from scaffold.project.answers import ANSWERS_FILE, RecordedAnswers
from scaffold.render.project_writer import ProjectWriter
from scaffold.render.renderer import render_template
from scaffold.render.sources import source_from_record
from scaffold.update.file_trees import FileTree
from scaffold.update.pristine import (
    find_pristine_for_answers,
    read_commit_tree,
    store_pristine_commit,
)

PRISTINE_ORIGIN = "pristine ref"
RERENDERED_ORIGIN = "re-rendered"


def merge_base(
    project: Path,
    answers_text: bytes,
    recorded: RecordedAnswers,
    folder: Path,
    trust: bool,
    *,
    ref: str = PRISTINE_REF,
    answers_file: str = ANSWERS_FILE,
) -> tuple[FileTree, str]:
    """The project as generated at its recorded version, and where that came from.

    `ref` and `answers_file` name the template (a project may hold several).
    """
    commit = find_pristine_for_answers(project, answers_text, ref, answers_file)
    if commit is not None:
        return read_commit_tree(project, commit), PRISTINE_ORIGIN
    try:
        old_source = source_from_record(recorded.source, recorded.version, recorded.engine)
        render_template(
            old_source,
            folder,
            recorded.answers,
            vcs_ref=recorded.version,
            use_defaults=True,
            trust=trust,
            strict_keys=False,
            answers_file=answers_file,
        )
    except ScaffoldError as error:
        raise ScaffoldError(
            f"cannot rebuild the project as generated at {recorded.version}: {error.message}",
            "fetch the pristine renders (`git fetch origin 'refs/scaffold/*:refs/scaffold/*'`) "
            "or restore the template version",
        ) from error
    ProjectWriter(folder, journal=False).write(answers_file, regular_file(answers_text))
    # Committed so the base is read exactly as git commits it, into a scratch object store:
    # the project's `.git` stays as it was (`diff`, `status`, `update --dry-run` write nothing).
    with quarantined_objects(project) as environment:
        message = f"Re-rendered base at {recorded.version}"
        commit = store_pristine_commit(project, folder, message, ref, environment=environment)
        return read_commit_tree(project, commit, environment=environment), RERENDERED_ORIGIN
