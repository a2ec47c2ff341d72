"""Where a generated project lives: its folder, its answers record, its repository, its refs.

One project folder may hold several templates' records (a layered template
writes its own `_answers_file`, e.g. `.copier-answers.ml.yml`), and may sit in
a subfolder of a larger git repository (a monorepo). This module finds the
project from any folder inside it and names the record and pristine ref to use;
it reads no answers and runs no git command (the repository is found on disk).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scaffold.errors import ScaffoldError
from scaffold.git.objects import enclosing_repository
from scaffold.git.repository import pristine_ref
from scaffold.project.answers import ANSWERS_FILE

ANSWERS_FILE_PATTERN = ".copier-answers*.yml"


@dataclass(frozen=True)
class ProjectLayout:
    """One template's record in one project folder, and the repository holding that folder."""

    root: Path  # the project folder (resolved)
    answers_file: str  # the answers record, relative to `root` (POSIX)
    repository: Path | None  # the top of the git work tree holding `root`, None outside git

    @property
    def prefix(self) -> str:
        """`root` relative to the repository top, POSIX ("" at the top or outside git)."""
        if self.repository is None or self.repository == self.root:
            return ""
        return self.root.relative_to(self.repository).as_posix()

    @property
    def is_default_record(self) -> bool:
        """Whether the record is the default `.copier-answers.yml`."""
        return self.answers_file == ANSWERS_FILE

    @property
    def pristine_ref(self) -> str:
        """The ref holding this template's pristine renders of this project."""
        return pristine_ref(self.prefix, None if self.is_default_record else self.answers_file)


def check_answers_file_name(answers_file: str) -> str:
    """`answers_file` as a POSIX path relative to the project; refuse one that leaves it."""
    candidate = PurePosixPath(answers_file.replace("\\", "/"))
    if not answers_file.strip() or candidate.is_absolute() or ".." in candidate.parts:
        raise ScaffoldError(
            f"answers file '{answers_file}' is not a path inside the project",
            "pass the record's path relative to the project folder, e.g. .copier-answers.ml.yml",
        )
    return candidate.as_posix()


def answers_files_in(folder: Path) -> list[str]:
    """The `.copier-answers*.yml` records at the top of `folder`: the default one first."""
    found = sorted(path.name for path in folder.glob(ANSWERS_FILE_PATTERN) if path.is_file())
    return sorted(found, key=lambda name: name != ANSWERS_FILE)


def locate_project(path: Path, answers_file: str | None = None) -> Path:
    """The generated project holding `path`: itself or the nearest parent with an answers record.

    The record is `answers_file` when given, else any `.copier-answers*.yml`.
    A path that does not exist is an error; a path inside no project is
    returned unchanged (resolved), so reading its record reports it.
    """
    if not path.exists():
        raise ScaffoldError(f"{path} does not exist", "pass the folder of a generated project")
    resolved = path.resolve()
    for candidate in (resolved, *resolved.parents):
        if answers_file is not None:
            if (candidate / answers_file).is_file():
                return candidate
        elif answers_files_in(candidate):
            return candidate
    return resolved


def project_layouts(path: Path, answers_file: str | None = None) -> list[ProjectLayout]:
    """Every template record of the project holding `path` (only `answers_file` when given).

    Refuses a folder inside no generated project.
    """
    if answers_file is not None:
        answers_file = check_answers_file_name(answers_file)
    root = locate_project(path, answers_file)
    names = [answers_file] if answers_file is not None else answers_files_in(root)
    if not names or not (root / names[0]).is_file():
        wanted = answers_file or ANSWERS_FILE
        raise ScaffoldError(
            f"{root} is not a generated project (no {wanted})",
            "run inside a project made by `scaffold new`, adopt it with `scaffold link`, "
            "or name its record with --answers-file",
        )
    repository = enclosing_repository(root)
    top = repository[0] if repository is not None else None
    return [ProjectLayout(root, name, top) for name in names]


def project_layout(path: Path, answers_file: str | None = None) -> ProjectLayout:
    """The one template record to work on in the project holding `path`.

    With several records and no `answers_file`, the user picks one: updating
    two templates at once would mix their changes and conflicts in one step.
    """
    layouts = project_layouts(path, answers_file)
    if len(layouts) > 1:
        names = ", ".join(layout.answers_file for layout in layouts)
        raise ScaffoldError(
            f"{layouts[0].root} holds {len(layouts)} templates' answers files ({names})",
            f"pick one with --answers-file, e.g. --answers-file {layouts[-1].answers_file}",
        )
    return layouts[0]


def layout_of_folder(folder: Path, answers_file: str = ANSWERS_FILE) -> ProjectLayout:
    """The layout of a project that is exactly `folder` (e.g. one being linked or created)."""
    root = folder.resolve()
    repository = enclosing_repository(root)
    top = repository[0] if repository is not None else None
    return ProjectLayout(root, check_answers_file_name(answers_file), top)
