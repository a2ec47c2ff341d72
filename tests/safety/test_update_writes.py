"""Guarantee 6: an update writes only inside the project, never through a symlink nor into `.git`.

Hostile templates and tampered projects meet `scaffold update` (the CLI,
in-process): files outside the project and `.git/config` stay byte-identical,
the user's symlinks and git-ignored files survive, a failure midway is one
line with exit 2 and puts everything back, and `--dry-run` writes nothing at
all, not even git objects.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scaffold.commands.update import update_project
from tests.helpers import commit_all, git
from tests.safety.support import (
    assert_one_line_error,
    copier_template,
    generated_project,
    invoke,
    snapshot,
    tagged_template,
)

PRESERVE = "_preserve_symlinks: true\n"


def commit(project: Path, message: str = "user edits") -> None:
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", message)


def outside_folder(tmp_path: Path) -> Path:
    """A folder beside the project holding a file an update must never touch."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "file.txt").write_text("outside, not yours to write\n")
    return outside


def test_symlink_into_git_in_a_template_is_refused_at_new(tmp_path: Path) -> None:
    template = copier_template(tmp_path / "tpl", PRESERVE)
    os.symlink(".git/config", template / "cfg")
    out = tmp_path / "out"
    out.mkdir()
    result = invoke("new", str(out / "dest"), "--template", str(template))
    assert_one_line_error(result, "symlink pointing into .git: cfg -> .git/config")
    assert list(out.iterdir()) == []


def test_symlink_loop_in_a_template_is_one_line_at_new(tmp_path: Path) -> None:
    template = copier_template(tmp_path / "tpl", PRESERVE)
    os.symlink("f2", template / "f1")
    os.symlink("f1", template / "f2")
    out = tmp_path / "out"
    out.mkdir()
    result = invoke("new", str(out / "dest"), "--template", str(template))
    assert_one_line_error(result, "symlink that cannot be resolved: f1 -> f2")
    assert list(out.iterdir()) == []


def test_update_replaces_an_old_symlink_into_git_instead_of_writing_git_config(
    tmp_path: Path,
) -> None:
    """v1 shipped `cfg -> .git/config` (older scaffolds let it pass); v2 ships a file there."""
    template = tagged_template(
        tmp_path / "tpl", [("", {"cfg": "v1\n"}), ("", {"cfg": "[core]\n\tfsmonitor = evil\n"})]
    )
    project = generated_project(tmp_path, template, "--vcs-ref", "1.0.0")
    (project / "cfg").unlink()
    os.symlink(".git/config", project / "cfg")
    commit(project, "as an older scaffold rendered v1")
    git(project, "update-ref", "refs/scaffold/pristine", "HEAD")  # that render was pristine
    git_config = (project / ".git" / "config").read_bytes()
    result = invoke("update", str(project))
    assert result.exit_code == 0, result.stderr
    assert (project / ".git" / "config").read_bytes() == git_config
    assert not (project / "cfg").is_symlink()
    assert (project / "cfg").read_text() == "[core]\n\tfsmonitor = evil\n"


def test_users_symlink_to_an_outside_file_at_a_path_the_new_version_adds(
    tmp_path: Path,
) -> None:
    outside = outside_folder(tmp_path)
    template = tagged_template(
        tmp_path / "tpl", [("", {"a.txt": "a\n"}), ("", {"config.yml": "template: yes\n"})]
    )
    project = generated_project(tmp_path, template, "--vcs-ref", "1.0.0")
    os.symlink(outside / "file.txt", project / "config.yml")
    commit(project)
    result = invoke("update", str(project))
    assert result.exit_code == 1, result.stderr
    assert (outside / "file.txt").read_text() == "outside, not yours to write\n"
    assert os.readlink(project / "config.yml") == str(outside / "file.txt")
    assert (project / "config.yml.new-from-template").read_text() == "template: yes\n"
    assert "config.yml" in result.stdout


def test_users_folder_symlink_to_outside_where_the_new_version_adds_files(
    tmp_path: Path,
) -> None:
    outside = outside_folder(tmp_path)
    template = tagged_template(
        tmp_path / "tpl",
        [("", {"a.txt": "a\n"}), ("", {"data/file.txt": "template\n", "data/new.txt": "n\n"})],
    )
    project = generated_project(tmp_path, template, "--vcs-ref", "1.0.0")
    os.symlink(outside, project / "data")
    commit(project)
    result = invoke("update", str(project))
    assert result.exit_code == 1, result.stderr
    assert sorted(path.name for path in outside.iterdir()) == ["file.txt"]
    assert (outside / "file.txt").read_text() == "outside, not yours to write\n"
    assert os.readlink(project / "data") == str(outside)
    assert (project / "data.new-from-template" / "file.txt").read_text() == "template\n"


def without_objects(entries: dict[str, bytes | str]) -> dict[str, bytes | str]:
    """A snapshot less `.git/objects`: unreferenced objects change nothing a user sees."""
    return {path: entry for path, entry in entries.items() if not path.startswith(".git/objects")}


def test_failure_after_writes_rolls_back_without_touching_the_users_folder_symlink(
    tmp_path: Path,
) -> None:
    outside = outside_folder(tmp_path)
    template = tagged_template(
        tmp_path / "tpl",
        [("", {"a.txt": "a\n"}), ("", {"data/file.txt": "template\n", "b.txt": "b\n"})],
    )
    project = generated_project(tmp_path, template, "--vcs-ref", "1.0.0")
    os.symlink(outside, project / "data")
    commit(project)
    (project / ".git" / "index.lock").write_text("")  # another git holds the index
    before, outside_before = snapshot(project), snapshot(outside)
    result = invoke("update", str(project))
    assert_one_line_error(result, "git add failed")
    assert snapshot(outside) == outside_before
    assert without_objects(snapshot(project)) == without_objects(before)


def test_pristine_ref_that_cannot_move_rolls_every_file_back(tmp_path: Path) -> None:
    template = tagged_template(
        tmp_path / "tpl", [("", {"a.txt": "a1\n", "b.txt": "b\n"}), ("", {"a.txt": "a2\n"})]
    )
    project = generated_project(tmp_path, template, "--vcs-ref", "1.0.0")
    lock = project / ".git" / "refs" / "scaffold" / "pristine.lock"
    lock.write_text("")
    (project / "b.txt").unlink()
    commit(project)
    before = snapshot(project)
    index_before = git(project, "ls-files", "--stage")
    result = invoke("update", str(project))
    assert_one_line_error(result, "git update-ref failed")
    assert without_objects(snapshot(project)) == without_objects(before)
    assert git(project, "ls-files", "--stage") == index_before


def test_users_ignored_file_at_a_path_the_new_version_adds_is_never_lost(
    tmp_path: Path,
) -> None:
    template = tagged_template(
        tmp_path / "tpl",
        [
            ("", {".gitignore.jinja": "*.local\n"}),  # .jinja: the template repository's own
            ("", {"db.local": "template\n", "x.txt": "x\n"}),  # .gitignore is not this one
        ],
    )
    project = generated_project(tmp_path, template, "--vcs-ref", "1.0.0")
    (project / "db.local").write_text("my data\n")
    result = invoke("update", str(project))
    assert result.exit_code == 1, result.stderr
    assert (project / "db.local").read_text() == "my data\n"
    assert (project / "db.local.new-from-template").read_text() == "template\n"
    assert (project / "x.txt").read_text() == "x\n"


def test_ignored_folder_where_the_new_version_puts_a_file_is_kept(tmp_path: Path) -> None:
    template = tagged_template(
        tmp_path / "tpl", [("", {".gitignore": "build/\n"}), ("", {"build": "now a file\n"})]
    )
    project = generated_project(tmp_path, template, "--vcs-ref", "1.0.0")
    (project / "build").mkdir()
    (project / "build" / "artifact.bin").write_bytes(b"\0binary")
    result = invoke("update", str(project))
    assert result.exit_code == 1, result.stderr
    assert (project / "build" / "artifact.bin").read_bytes() == b"\0binary"
    assert (project / "build.new-from-template").read_text() == "now a file\n"


def test_earlier_leftover_beside_a_conflict_is_never_overwritten(tmp_path: Path) -> None:
    template = tagged_template(
        tmp_path / "tpl", [("", {"a.txt": "a\n"}), ("", {".env": "template\n"})]
    )
    project = generated_project(tmp_path, template, "--vcs-ref", "1.0.0")
    (project / ".gitignore").write_text(".env*\n")
    commit(project)
    (project / ".env").write_text("mine\n")
    (project / ".env.new-from-template").write_text("from an earlier update, edited\n")
    result = invoke("update", str(project))
    assert result.exit_code == 1, result.stderr
    assert (project / ".env.new-from-template").read_text() == "from an earlier update, edited\n"
    assert (project / ".env.new-from-template.2").read_text() == "template\n"


def test_dry_run_writes_nothing_not_even_git_objects(tmp_path: Path) -> None:
    template = tagged_template(
        tmp_path / "tpl", [("", {"a.txt": "a1\n"}), ("", {"a.txt": "a2\n", "b.txt": "b\n"})]
    )
    project = generated_project(tmp_path, template, "--vcs-ref", "1.0.0")
    for with_pristine_ref in (True, False):
        if not with_pristine_ref:  # the base is re-rendered and committed: not into .git
            git(project, "update-ref", "-d", "refs/scaffold/pristine")
        before = snapshot(project)
        result = invoke("update", "--dry-run", str(project))
        assert result.exit_code == 0, result.stderr
        assert "+a2" in result.stdout
        assert snapshot(project) == before  # .git/objects included


def test_diff_and_status_write_no_git_objects(tmp_path: Path) -> None:
    template = tagged_template(tmp_path / "tpl.git", [("", {"a.txt": "a1\n"})])
    project = generated_project(tmp_path, template)
    git(project, "update-ref", "-d", "refs/scaffold/pristine")
    before = snapshot(project)
    assert invoke("diff", str(project)).exit_code == 0
    invoke("status", str(project))
    assert snapshot(project) == before


WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
WRITING_EVENTS = {
    "os.rename",
    "os.remove",
    "os.rmdir",
    "os.mkdir",
    "os.symlink",
    "os.chmod",
    "shutil.rmtree",
}
_watch: dict[str, object] = {"root": None, "violations": []}


def _on_stack(*file_endings: str) -> bool:
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename.endswith(file_endings):
            return True
        frame = frame.f_back
    return False


def _audit(event: str, args: tuple[object, ...]) -> None:
    root = _watch["root"]
    if root is None:
        return
    if event == "open":
        path, mode, flags = args
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & WRITE_FLAGS
        )
    elif event in WRITING_EVENTS:
        path, writing = (args[1] if event == "os.rename" else args[0]), True
    else:
        return
    if not writing or not isinstance(path, (str, bytes, os.PathLike)):
        return
    text = os.fsdecode(path)
    inside = os.path.isabs(text) and os.path.realpath(text).startswith(str(root))
    # A bare name is relative to a folder descriptor: only the writer and shutil.rmtree (which
    # announces its absolute folder first: scratch folders) work that way.
    relative_to_folder = not os.path.isabs(text) and not _on_stack(f"{os.sep}shutil.py")
    if (inside or relative_to_folder) and not _on_stack(
        os.path.join("render", "project_writer.py")
    ):
        _watch["violations"].append((event, text))  # type: ignore[union-attr]


sys.addaudithook(_audit)


@contextmanager
def watching_writes(project: Path) -> Iterator[list[tuple[str, str]]]:
    """Record every Python-level write into `project` made outside the ProjectWriter."""
    violations: list[tuple[str, str]] = []
    _watch["root"], _watch["violations"] = str(project.resolve()), violations
    try:
        yield violations
    finally:
        _watch["root"] = None


def test_every_write_into_the_project_goes_through_the_project_writer(tmp_path: Path) -> None:
    template = tagged_template(
        tmp_path / "tpl",
        [
            ("", {"a.txt": "a\n", "docs/x.md": "x\n", "c.cfg": "k = 1\n"}),
            ("", {"a.txt": "a2\n", "new/deep/b.txt": "b\n", "c.cfg": "k = 2\n"}),
        ],
    )
    (template / "docs" / "x.md").unlink()
    (template / "docs").rmdir()
    copier_template(template, "", {"docs": "a file now\n"})
    commit_all(template, "v3", tag="3.0.0")
    project = generated_project(tmp_path, template, "--vcs-ref", "1.0.0")
    (project / "c.cfg").write_text("k = 9\n")
    commit(project)
    with watching_writes(project) as violations:
        result = update_project(project)
    assert result.conflicts and (project / "docs").read_text() == "a file now\n"
    assert violations == []
    with watching_writes(project) as caught:  # the watch itself sees a stray write
        (project / "stray.txt").write_text("x")
    assert caught == [("open", str(project / "stray.txt"))]


def test_link_replaces_an_answers_file_symlink_instead_of_writing_through_it(
    tmp_path: Path,
) -> None:
    template = tagged_template(tmp_path / "tpl", [("", {"a.txt": "a\n"})])
    shared_record = tmp_path / "shared-answers.yml"  # a record shared by several projects
    shared_record.write_text(f"_src_path: {template}\n_commit: 1.0.0\nname: shared\n")
    project = tmp_path / "existing"
    project.mkdir()
    (project / "a.txt").write_text("a\n")
    os.symlink(shared_record, project / ".copier-answers.yml")
    commit_all(project, "hand-made project")
    result = invoke("link", str(project))
    assert result.exit_code == 0, result.stderr
    assert shared_record.read_text() == f"_src_path: {template}\n_commit: 1.0.0\nname: shared\n"
    assert not (project / ".copier-answers.yml").is_symlink()
    assert "name: shared" in (project / ".copier-answers.yml").read_text()
