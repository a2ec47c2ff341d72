"""Migration helper for templates: rename a recorded answer in a project's answers file.

Used by the built-in templates' `_migrations` (`python -m
scaffold.answer_migrations rename OLD NEW [--answers-file PATH]`), run in the
project folder in the `before` stage so the new template version renders with
the new name. A layered template passes its own record (`--answers-file
{{ _copier_conf.answers_file }}`). It edits only the answers record.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from scaffold.project.answers import ANSWERS_FILE, read_recorded_answers, write_recorded_answers


def rename_answer(
    project: Path, old_name: str, new_name: str, answers_file: str = ANSWERS_FILE
) -> bool:
    """Rename an answer in the project's record; False when there was nothing to rename."""
    recorded = read_recorded_answers(project, answers_file)
    if old_name not in recorded.answers or new_name in recorded.answers:
        return False
    answers = {
        (new_name if key == old_name else key): value for key, value in recorded.answers.items()
    }
    write_recorded_answers(project, replace(recorded, answers=answers), answers_file)
    return True


def main(arguments: list[str]) -> int:
    """`python -m scaffold.answer_migrations rename OLD NEW [--answers-file PATH]`."""
    answers_file = ANSWERS_FILE
    if len(arguments) == 5 and arguments[3] == "--answers-file":
        answers_file, arguments = arguments[4], arguments[:3]
    if len(arguments) != 3 or arguments[0] != "rename":
        print(
            "usage: python -m scaffold.answer_migrations rename OLD NEW [--answers-file PATH]",
            file=sys.stderr,
        )
        return 2
    _, old_name, new_name = arguments
    changed = rename_answer(Path.cwd(), old_name, new_name, answers_file)
    print(f"{answers_file}: {old_name} -> {new_name}" if changed else "nothing to rename")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
