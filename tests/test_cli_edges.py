"""The CLI at its edges: `new .`, checks from a subfolder, dry runs on a dirty tree, closed
pipes, help texts, the release list and an undo hint that really undoes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from scaffold.cli import main
from scaffold.commands.check import check
from scaffold.commands.new import new_project
from scaffold.commands.update import DirtyTreeError, update_project
from scaffold.errors import ScaffoldError
from scaffold.render.builtin_templates import find_builtin_template
from tests.helpers import GIT_IDENTITY, git, run_scaffold
from tests.safety.support import generated_project, tagged_template
from tests.safety.test_interrupts import project_state


def test_new_dot_in_an_empty_folder_fills_that_folder(tmp_path: Path, small_template: Path) -> None:
    here = tmp_path / "here"
    here.mkdir()
    inode = here.stat().st_ino
    result = run_scaffold("new", ".", "--template", str(small_template), "--defaults", cwd=here)
    assert result.returncode == 0, result.stderr
    assert "cd ." not in result.stdout
    assert (here / "README.md").read_text() == "# demo\nflavour: plain\n"
    assert git(here, "status", "--porcelain") == ""
    assert here.stat().st_ino == inode  # the same folder: a shell sitting in it keeps working
    assert sorted(path.name for path in tmp_path.iterdir()) == ["here", "small-template"]


def test_check_from_a_subfolder_checks_the_project_it_is_in(
    tmp_path: Path, small_template: Path
) -> None:
    project = tmp_path / "proj"
    new_project(project, template=str(small_template))
    report = check([project / "src"])
    assert [entry.path for entry in report.projects] == [str(project.resolve())]


def test_check_of_a_folder_holding_no_project_says_so(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    with pytest.raises(ScaffoldError, match="is not a scaffold project"):
        check([tmp_path / "notes"])


def test_update_dry_run_works_on_a_dirty_tree_and_changes_nothing(tmp_path: Path) -> None:
    template = tagged_template(tmp_path / "tpl", [("", {"a.txt": "a1\n"}), ("", {"a.txt": "a2\n"})])
    project = generated_project(tmp_path, template, "--vcs-ref", "1.0.0")
    (project / "scratch.txt").write_text("work in progress\n")
    before = project_state(project)
    result = update_project(project, dry_run=True)
    assert "-a1\n+a2\n" in result.diff
    assert project_state(project) == before
    with pytest.raises(DirtyTreeError):
        update_project(project)


def test_new_with_stdout_closed_early_creates_the_project_and_exits_0(
    tmp_path: Path, small_template: Path
) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "scaffold", "new", "proj", "-t", str(small_template), "--defaults"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **GIT_IDENTITY},
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # as `| head -0` would: every write meets a closed pipe
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0, stderr
    assert stderr == ""
    assert (tmp_path / "proj" / "README.md").is_file()


def test_releases_module_help_prints_usage() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "scaffold.render.releases", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0
    assert completed.stdout.startswith("usage: python -m scaffold.render.releases")


def _commands(group: click.Group, prefix: str = "scaffold") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        found.append((f"{prefix} {name}", command))
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix} {name}")
    return found


def test_every_option_of_every_command_has_help_text() -> None:
    silent = [
        f"{path} {option.opts[0]}"
        for path, command in _commands(main)
        for option in command.params
        if isinstance(option, click.Option) and not option.help
    ]
    assert silent == []


def test_list_rules_with_format_json_prints_json(tmp_path: Path) -> None:
    result = run_scaffold("check", "--list-rules", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rules = json.loads(result.stdout)
    assert {"id", "title", "severity", "description", "fix"} <= set(rules[0])


def test_templates_lists_every_shipped_release(tmp_path: Path) -> None:
    mlops = find_builtin_template("mlops")
    assert mlops is not None
    result = run_scaffold("templates", cwd=tmp_path)
    assert result.returncode == 0
    listed = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("mlops ")]
    assert listed == list(reversed(mlops.released_versions))
    assert {"1.0.0", "2.0.0", mlops.version} <= set(listed)


def test_the_undo_hint_after_an_update_restores_the_project_exactly(tmp_path: Path) -> None:
    v1 = {"a.txt": "a1\n", "gone.txt": "g\n"}
    v2 = {"a.txt": "a2\n", "new/deep/b.txt": "b\n", "c.txt": "c\n"}
    template = tagged_template(tmp_path / "tpl", [("", v1), ("", v2)])
    project = generated_project(tmp_path, template, "--vcs-ref", "1.0.0")
    before = project_state(project)
    result = run_scaffold("update", ".", cwd=project)
    assert result.returncode == 0, result.stderr
    assert project_state(project) != before
    hint = result.stdout.split("undo with `", 1)[1].split("`", 1)[0]
    subprocess.run(["bash", "-c", hint], cwd=project, check=True)
    assert project_state(project) == before
    assert not (project / "new").exists()
