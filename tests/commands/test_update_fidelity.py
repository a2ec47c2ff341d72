"""`scaffold update` keeps every file exactly: modes, symlinks, git attributes, copier settings.

Each test builds a template history (git repository with tags) in tmp_path,
generates a project at 1.0.0, edits it as a user would, and updates it.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

from scaffold.commands.diff import project_diff
from scaffold.commands.new import new_project
from scaffold.commands.status import project_status
from scaffold.commands.update import update_project
from scaffold.update.merging import Outcome
from tests.helpers import GIT_IDENTITY, build_file_tree, commit_all, git
from tests.safety.support import ANSWERS_JINJA, NAME_QUESTION

PRESERVE = "_preserve_symlinks: true\n"


def release(
    template: Path,
    tag: str,
    files: dict[str, str],
    *,
    config: str = "",
    links: dict[str, str] | None = None,
    executables: tuple[str, ...] = (),
    remove: tuple[str, ...] = (),
) -> Path:
    """Commit one template version (copier.yml = name question + `config`) and tag it."""
    for path in remove:
        target = template / path
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            target.unlink()
    build_file_tree(template, {"copier.yml": NAME_QUESTION + config, **ANSWERS_JINJA, **files})
    for path in executables:
        (template / path).chmod(0o755)
    for path, target in (links or {}).items():
        link = template / path
        if link.is_symlink() or link.exists():
            link.unlink()
        link.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, link)
    if not (template / ".git").exists():
        git(template, "init", "-q", "--initial-branch=main")
    git(template, "add", "--all", "--force")  # also files the template's .gitignore names
    commit_all(template, tag, tag=tag)
    return template


def generate(tmp_path: Path, template: Path) -> Path:
    project = tmp_path / "project"
    new_project(project, template=str(template), vcs_ref="1.0.0")
    return project


def commit(project: Path, message: str = "user edits") -> None:
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", message)


def outcome_of(result, path: str) -> Outcome:
    return next(entry.outcome for entry in result.files if entry.path == path)


def is_executable(path: Path) -> bool:
    return bool(path.stat().st_mode & stat.S_IXUSR)


def test_file_that_becomes_a_symlink_in_the_template_arrives_as_a_symlink(
    tmp_path: Path,
) -> None:
    template = release(
        tmp_path / "tpl", "1.0.0", {"README.md": "readme\n", "docs/index.md": "docs\n"}
    )
    (template / "README.md").unlink()
    release(template, "2.0.0", {}, config=PRESERVE, links={"README.md": "docs/index.md"})
    project = generate(tmp_path, template)
    result = update_project(project)
    assert os.readlink(project / "README.md") == "docs/index.md"
    assert outcome_of(result, "README.md") is Outcome.UPDATED
    assert result.conflicts == []


def test_script_gaining_its_executable_bit_arrives_executable(tmp_path: Path) -> None:
    template = release(tmp_path / "tpl", "1.0.0", {"run.sh": "echo hi\n"})
    release(template, "2.0.0", {}, executables=("run.sh",))
    project = generate(tmp_path, template)
    assert not is_executable(project / "run.sh")
    result = update_project(project)
    assert is_executable(project / "run.sh")
    assert outcome_of(result, "run.sh") is Outcome.UPDATED
    assert "old mode 100644\nnew mode 100755" in result.diff
    assert git(project, "diff", "--summary").strip() == "mode change 100644 => 100755 run.sh"


def test_users_chmod_is_kept_while_the_template_changes_the_content(tmp_path: Path) -> None:
    template = release(tmp_path / "tpl", "1.0.0", {"run.sh": "echo one\n"})
    release(template, "2.0.0", {"run.sh": "echo two\n"})
    project = generate(tmp_path, template)
    (project / "run.sh").chmod(0o755)
    commit(project)
    result = update_project(project)
    assert (project / "run.sh").read_text() == "echo two\n"
    assert is_executable(project / "run.sh")
    assert outcome_of(result, "run.sh") is Outcome.MERGED


def test_users_symlink_in_place_of_a_generated_file_is_kept(tmp_path: Path) -> None:
    template = release(tmp_path / "tpl", "1.0.0", {"a.txt": "a1\n", "shared.txt": "s\n"})
    release(template, "2.0.0", {"b.txt": "b2\n"})
    project = generate(tmp_path, template)
    (project / "a.txt").unlink()
    os.symlink("shared.txt", project / "a.txt")
    commit(project)
    result = update_project(project)
    assert os.readlink(project / "a.txt") == "shared.txt"
    assert (project / "b.txt").read_text() == "b2\n"
    assert result.conflicts == []


def test_template_symlink_changed_by_the_user_and_the_template_is_a_conflict(
    tmp_path: Path,
) -> None:
    template = release(
        tmp_path / "tpl",
        "1.0.0",
        {"a.txt": "a\n", "b.txt": "b\n", "c.txt": "c\n"},
        config=PRESERVE,
        links={"link": "a.txt"},
    )
    release(template, "2.0.0", {}, config=PRESERVE, links={"link": "b.txt"})
    project = generate(tmp_path, template)
    (project / "link").unlink()
    os.symlink("c.txt", project / "link")
    commit(project)
    result = update_project(project)
    assert os.readlink(project / "link") == "c.txt"
    assert os.readlink(project / "link.new-from-template") == "b.txt"
    assert [entry.path for entry in result.conflicts] == ["link"]


EXPORT_ATTRIBUTES = "VERSION export-subst\nignored-on-export.txt export-ignore\n"


def test_template_using_export_subst_and_export_ignore_shows_no_drift_and_updates_cleanly(
    tmp_path: Path,
) -> None:
    files = {
        ".gitattributes": EXPORT_ATTRIBUTES,
        "VERSION": "$Format:%H$\n",
        "ignored-on-export.txt": "kept\n",
    }
    template = release(tmp_path / "tpl", "1.0.0", files)
    release(template, "2.0.0", {"NEWS.md": "v2\n"})
    project = generate(tmp_path, template)
    assert project_diff(project).diff == ""
    assert project_status(project).edited is False
    result = update_project(project)
    assert result.conflicts == []
    assert (project / "VERSION").read_text() == "$Format:%H$\n"
    assert (project / "ignored-on-export.txt").read_text() == "kept\n"
    assert [entry.path for entry in result.changed] == ["NEWS.md"]


def test_conflicts_are_recorded_unmerged_so_commit_refuses(tmp_path: Path) -> None:
    template = release(tmp_path / "tpl", "1.0.0", {"setup.cfg": "key = 1\n"})
    release(template, "2.0.0", {"setup.cfg": "key = 2\n"})
    project = generate(tmp_path, template)
    (project / "setup.cfg").write_text("key = 99\n")
    commit(project)
    update_project(project)
    assert "UU setup.cfg" in git(project, "status", "--porcelain").splitlines()
    stages = git(project, "ls-files", "--stage", "--", "setup.cfg").splitlines()
    assert [line.split()[2] for line in stages] == ["1", "2", "3"]
    blob_of_stage_3 = stages[2].split()[1]
    assert git(project, "cat-file", "-p", blob_of_stage_3) == "key = 2\n"
    refused = subprocess.run(  # as after `git merge`; `git commit -a` would stage the markers
        ["git", "commit", "-m", "oops"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_IDENTITY},
        check=False,
    )
    assert refused.returncode != 0
    assert "unmerged" in (refused.stdout + refused.stderr).lower()


def test_conflict_rej_keeps_the_index_as_it_was(tmp_path: Path) -> None:
    template = release(tmp_path / "tpl", "1.0.0", {"setup.cfg": "key = 1\n"})
    release(template, "2.0.0", {"setup.cfg": "key = 2\n"})
    project = generate(tmp_path, template)
    (project / "setup.cfg").write_text("key = 99\n")
    commit(project)
    update_project(project, conflict="rej")
    assert " M setup.cfg" not in git(project, "status", "--porcelain")
    assert git(project, "ls-files", "--stage", "--", "setup.cfg").split()[2] == "0"
    assert (project / "setup.cfg.rej").exists()


SKIP = "_skip_if_exists: ['local-*.cfg']\n"


def test_skip_if_exists_keeps_the_users_file_when_both_changed_it(tmp_path: Path) -> None:
    template = release(tmp_path / "tpl", "1.0.0", {"local-db.cfg": "host = a\n"}, config=SKIP)
    release(template, "2.0.0", {"local-db.cfg": "host = b\n"}, config=SKIP)
    project = generate(tmp_path, template)
    (project / "local-db.cfg").write_text("host = mine\n")
    commit(project)
    result = update_project(project)
    assert (project / "local-db.cfg").read_text() == "host = mine\n"
    assert outcome_of(result, "local-db.cfg") is Outcome.KEPT
    assert result.conflicts == []


def test_skip_if_exists_file_untouched_by_the_user_is_not_updated(tmp_path: Path) -> None:
    template = release(tmp_path / "tpl", "1.0.0", {"local-db.cfg": "host = a\n"}, config=SKIP)
    release(template, "2.0.0", {"local-db.cfg": "host = b\n", "x.txt": "x\n"}, config=SKIP)
    project = generate(tmp_path, template)
    update_project(project)
    assert (project / "local-db.cfg").read_text() == "host = a\n"


def test_skip_if_exists_file_the_user_deleted_is_written_again(tmp_path: Path) -> None:
    template = release(tmp_path / "tpl", "1.0.0", {"local-db.cfg": "host = a\n"}, config=SKIP)
    release(template, "2.0.0", {"local-db.cfg": "host = b\n"}, config=SKIP)
    project = generate(tmp_path, template)
    (project / "local-db.cfg").unlink()
    commit(project)
    update_project(project)
    assert (project / "local-db.cfg").read_text() == "host = b\n"


def test_path_the_new_version_excludes_stays_in_the_project(tmp_path: Path) -> None:
    template = release(tmp_path / "tpl", "1.0.0", {"notes.md": "notes\n", "a.txt": "a\n"})
    release(template, "2.0.0", {"a.txt": "a2\n"}, config="_exclude: [notes.md, .git, copier.yml]\n")
    project = generate(tmp_path, template)
    result = update_project(project)
    assert (project / "notes.md").read_text() == "notes\n"
    assert "notes.md" not in [entry.path for entry in result.changed]


def test_template_moved_into_a_subdirectory_with_another_suffix_updates(tmp_path: Path) -> None:
    template = release(tmp_path / "tpl", "1.0.0", {"a.txt.jinja": "{{ name }} v1\n"})
    (template / "a.txt.jinja").unlink()
    (template / "{{ _copier_conf.answers_file }}.jinja").unlink()
    release(
        template,
        "2.0.0",
        {
            "template/a.txt.tmpl": "{{ name }} v2\n",
            "template/{{ _copier_conf.answers_file }}.tmpl": "{{ _copier_answers|to_nice_yaml }}",
        },
        config="_subdirectory: template\n_templates_suffix: .tmpl\n",
    )
    (template / "{{ _copier_conf.answers_file }}.jinja").unlink()
    commit_all(template, "no root answers file")
    git(template, "tag", "-f", "2.0.0")
    project = generate(tmp_path, template)
    result = update_project(project)
    assert (project / "a.txt").read_text() == "demo v2\n"
    assert result.conflicts == []
    assert not (project / "template").exists()


def test_folder_that_becomes_a_file_and_back_updates_every_time(tmp_path: Path) -> None:
    template = release(tmp_path / "tpl", "1.0.0", {"docs/a.md": "a\n", "config": "c\n"})
    release(
        template,
        "2.0.0",
        {"docs": "now a file\n", "config/a.yml": "k: v\n"},
        remove=("docs", "config"),
    )
    release(template, "3.0.0", {"docs/b.md": "b\n", "config": "c3\n"}, remove=("docs", "config"))
    project = generate(tmp_path, template)
    update_project(project, vcs_ref="2.0.0")
    assert (project / "docs").read_text() == "now a file\n"
    assert (project / "config" / "a.yml").read_text() == "k: v\n"
    commit(project, "update to 2")
    update_project(project, vcs_ref="3.0.0")
    assert (project / "docs" / "b.md").read_text() == "b\n"
    assert (project / "config").read_text() == "c3\n"


def test_folder_becoming_a_file_keeps_the_users_file_in_it(tmp_path: Path) -> None:
    template = release(tmp_path / "tpl", "1.0.0", {"docs/a.md": "a\n"})
    release(template, "2.0.0", {"docs": "now a file\n"}, remove=("docs",))
    project = generate(tmp_path, template)
    (project / "docs" / "mine.md").write_text("mine\n")
    commit(project)
    result = update_project(project)
    assert (project / "docs" / "mine.md").read_text() == "mine\n"
    assert (project / "docs.new-from-template").read_text() == "now a file\n"
    assert [entry.path for entry in result.conflicts] == ["docs"]


def test_template_gitignore_ignoring_a_new_file_still_writes_and_reports_it(
    tmp_path: Path,
) -> None:
    template = release(tmp_path / "tpl", "1.0.0", {"a.txt": "a\n"})
    release(template, "2.0.0", {".gitignore": "*.local\n", "settings.local": "debug = 1\n"})
    project = generate(tmp_path, template)
    result = update_project(project)
    assert (project / "settings.local").read_text() == "debug = 1\n"
    [entry] = [entry for entry in result.changed if entry.path == "settings.local"]
    assert entry.outcome is Outcome.ADDED
    assert "git ignores it" in entry.reason
    assert git(project, "ls-files", "--", "settings.local") == ""
    assert "A .gitignore" in git(project, "status", "--porcelain")  # intent-to-add


def test_ignored_file_the_template_generates_is_updated_without_a_conflict(
    tmp_path: Path,
) -> None:
    files = {".gitignore": "*.local\n", "settings.local": "debug = 1\n"}
    template = release(tmp_path / "tpl", "1.0.0", files)
    release(template, "2.0.0", {"settings.local": "debug = 2\n"})
    project = generate(tmp_path, template)
    assert git(project, "ls-files", "--", "settings.local") == ""  # new did not commit it
    assert project_diff(project).diff == ""  # but knows it as the template's: no drift
    result = update_project(project)
    assert (project / "settings.local").read_text() == "debug = 2\n"
    assert result.conflicts == []


def test_users_ignored_file_where_the_new_version_adds_one_is_kept(tmp_path: Path) -> None:
    template = release(tmp_path / "tpl", "1.0.0", {".gitignore": ".env\n"})
    release(template, "2.0.0", {".env": "TOKEN=change-me\n"})
    project = generate(tmp_path, template)
    (project / ".env").write_text("TOKEN=my-secret\n")
    result = update_project(project)
    assert (project / ".env").read_text() == "TOKEN=my-secret\n"
    assert (project / ".env.new-from-template").read_text() == "TOKEN=change-me\n"
    assert [entry.path for entry in result.conflicts] == [".env"]
    assert git(project, "ls-files", "--", ".env") == ""
