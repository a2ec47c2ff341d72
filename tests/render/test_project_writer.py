"""ProjectWriter: the one place writing into a project follows no symlink and never enters .git."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from scaffold.git.trees import regular_file, symlink
from scaffold.render.project_writer import ProjectWriter, UnsafeWriteError, path_state
from tests.safety.support import snapshot


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    (root / ".git" / "config").write_text("[core]\n")
    return root


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text("outside\n")
    return folder


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_writes_files_folders_and_the_executable_bit(project: Path) -> None:
    writer = ProjectWriter(project)
    writer.write("a/b/run.sh", regular_file(b"echo\n", executable=True))
    writer.write("a/notes.txt", regular_file(b"n\n"))
    assert (project / "a/b/run.sh").read_bytes() == b"echo\n"
    assert mode_of(project / "a/b/run.sh") & stat.S_IXUSR
    assert not mode_of(project / "a/notes.txt") & stat.S_IXUSR


@pytest.mark.parametrize(
    "relative",
    ["../escape.txt", "/etc/passwd", "a/../../x", ".git/config", ".GIT/config", "s/.git/x"],
)
def test_refuses_paths_outside_the_project_or_in_git(project: Path, relative: str) -> None:
    before = snapshot(project.parent)
    with pytest.raises(UnsafeWriteError):
        ProjectWriter(project).write(relative, regular_file(b"x"))
    assert snapshot(project.parent) == before


def test_refuses_to_write_through_a_symlinked_folder(project: Path, outside: Path) -> None:
    os.symlink(outside, project / "data")
    with pytest.raises(UnsafeWriteError, match="data is a symlink or a file"):
        ProjectWriter(project).write("data/secret.txt", regular_file(b"overwritten"))
    assert (outside / "secret.txt").read_text() == "outside\n"
    assert sorted(path.name for path in outside.iterdir()) == ["secret.txt"]


def test_replaces_a_symlink_instead_of_writing_through_it(project: Path, outside: Path) -> None:
    os.symlink(outside / "secret.txt", project / "config.yml")
    os.symlink(".git/config", project / "cfg")
    writer = ProjectWriter(project)
    writer.write("config.yml", regular_file(b"mine\n"))
    writer.write("cfg", regular_file(b"[core]\n\tfsmonitor = evil\n"))
    assert (outside / "secret.txt").read_text() == "outside\n"
    assert (project / ".git/config").read_text() == "[core]\n"
    assert not (project / "config.yml").is_symlink()
    assert (project / "config.yml").read_text() == "mine\n"


def test_replaces_a_hard_link_without_changing_the_other_name(project: Path, outside: Path) -> None:
    os.link(outside / "secret.txt", project / "linked.txt")
    ProjectWriter(project).write("linked.txt", regular_file(b"new\n"))
    assert (outside / "secret.txt").read_text() == "outside\n"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("../outside/secret.txt", "outside the project"),
        ("/etc/passwd", "outside the project"),
        (".git/config", "into .git"),
        ("sub/../.git/hooks", "into .git"),
        ("escape", "outside the project"),  # a chain: `escape` is a user's link to outside
    ],
)
def test_refuses_symlinks_leaving_the_project_or_entering_git(
    project: Path, outside: Path, target: str, message: str
) -> None:
    os.symlink(outside, project / "escape")
    with pytest.raises(UnsafeWriteError, match=message):
        ProjectWriter(project).write("link", symlink(target))
    assert not (project / "link").exists() and not (project / "link").is_symlink()


def test_writes_a_symlink_inside_the_project(project: Path) -> None:
    ProjectWriter(project).write("docs/README.md", symlink("../README.md"))
    assert os.readlink(project / "docs/README.md") == "../README.md"


def test_keeps_the_users_permissions_and_adds_x_where_r_is(project: Path) -> None:
    (project / "private.cfg").write_text("a")
    (project / "private.cfg").chmod(0o600)
    (project / "tool").write_text("a")
    (project / "tool").chmod(0o640)
    writer = ProjectWriter(project)
    writer.write("private.cfg", regular_file(b"b"))
    writer.write("tool", regular_file(b"b", executable=True))
    assert mode_of(project / "private.cfg") == 0o600
    assert mode_of(project / "tool") == 0o750


def test_remove_deletes_the_link_not_its_target(project: Path, outside: Path) -> None:
    os.symlink(outside, project / "data")
    ProjectWriter(project).remove("data")
    assert not (project / "data").is_symlink()
    assert (outside / "secret.txt").read_text() == "outside\n"


def test_rollback_puts_back_every_entry_folder_and_mode(project: Path, outside: Path) -> None:
    build = {"keep.txt": "k", "old/gone.txt": "g", "run.sh": "r"}
    for relative, content in build.items():
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        (project / relative).write_text(content)
    (project / "run.sh").chmod(0o700)
    os.symlink(outside / "secret.txt", project / "link")
    before = snapshot(project)
    modes = {path: mode_of(project / path) for path in ("keep.txt", "run.sh", "old/gone.txt")}
    writer = ProjectWriter(project)
    writer.write("keep.txt", regular_file(b"changed"))
    writer.write("run.sh", regular_file(b"r", executable=False))
    writer.remove("old/gone.txt")
    writer.remove_empty_folders("old/gone.txt")
    writer.write("old", regular_file(b"a file where a folder was"))
    writer.write("link", regular_file(b"no longer a link"))
    writer.write("new/deep/file.txt", regular_file(b"new"))
    writer.rollback()
    assert snapshot(project) == before
    assert {path: mode_of(project / path) for path in modes} == modes
    assert (outside / "secret.txt").read_text() == "outside\n"


def test_path_state_never_follows_symlinks(project: Path, outside: Path) -> None:
    os.symlink(outside, project / "data")
    (project / "file").write_text("x")
    assert path_state(project, "data").kind == "symlink"
    assert path_state(project, "data/secret.txt").blocked_by == "data"
    assert path_state(project, "file/below").blocked_by == "file"
    assert path_state(project, "missing/below").kind == "missing"
