"""`scaffold new` in a terminal asks the template's questions (driven through a pseudo-terminal)."""

from __future__ import annotations

import sys
from pathlib import Path

import pexpect

KILL_LINE = "\x15"  # ctrl-U clears the pre-filled default
ARROW_DOWN = "\x1b[B"


def test_new_in_terminal_prompts_for_each_question(tmp_path: Path, small_template: Path) -> None:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "scaffold", "new", "proj", "--template", str(small_template), "--no-git"],
        cwd=str(tmp_path),
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 120),
    )
    child.expect("name")
    child.send(KILL_LINE + "widget\r")
    child.expect("flavour")
    child.send(ARROW_DOWN + "\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert (tmp_path / "proj" / "src" / "widget.py").read_text() == 'NAME = "widget"\n'
    assert "flavour: fancy" in (tmp_path / "proj" / "README.md").read_text()


def test_update_in_terminal_asks_only_the_new_question(tmp_path: Path) -> None:
    from scaffold.commands.new import new_project
    from tests.commands.test_update import make_versioned_template

    template = make_versioned_template(tmp_path / "template")
    new_project(tmp_path / "proj", template=str(template), vcs_ref="v1.0.0")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "scaffold", "update", "proj"],
        cwd=str(tmp_path),
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 120),
    )
    child.expect("colour")
    asked_before_colour = child.before
    child.send(KILL_LINE + "green\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert "name" not in asked_before_colour  # answered questions are not asked again
    assert (tmp_path / "proj" / "NEW.md").read_text() == "colour: green\n"


def test_update_in_terminal_keeps_what_the_user_types_for_a_renamed_answer(
    tmp_path: Path,
) -> None:
    from scaffold.commands.new import new_project
    from scaffold.project.answers import read_recorded_answers

    project = tmp_path / "proj"
    new_project(project, vcs_ref="1.0.0", data=["author_name=Old Author"])
    child = pexpect.spawn(
        sys.executable,
        ["-m", "scaffold", "update", "proj", "--vcs-ref", "2.0.0"],
        cwd=str(tmp_path),
        encoding="utf-8",
        timeout=120,
        dimensions=(40, 120),
    )
    child.expect("Owning team")  # 2.0.0 renamed author_name to team_name
    child.send(KILL_LINE + "Vision Team\r")
    while child.expect(["\U0001f3a4", pexpect.EOF]) == 0:  # every other question: its default
        child.send("\r")
    child.close()
    assert child.exitstatus == 0, child.before
    answers = read_recorded_answers(project).answers
    assert answers["team_name"] == "Vision Team"
    assert "author_name" not in answers
