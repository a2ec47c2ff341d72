"""Guarantee 2: a render that escapes the project or touches `.git` is refused before any write.

Each hostile template is rendered by `scaffold new` (and one by `update`); the
refusal is one line, exit 2, and neither the destination nor anything outside
it exists afterwards.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.helpers import build_file_tree, commit_all
from tests.safety.support import (
    assert_one_line_error,
    copier_template,
    generated_project,
    invoke,
    snapshot,
    tagged_template,
)

PRESERVE = "_preserve_symlinks: true\n"


def new_in(tmp_path: Path, template: Path | str, *extra: str) -> tuple[str, Path]:
    """Run `scaffold new` into tmp_path/out/dest; return the error line and the `out` folder."""
    out = tmp_path / "out"
    out.mkdir()
    result = invoke("new", str(out / "dest"), "--template", str(template), *extra)
    return assert_one_line_error(result), out


def assert_nothing_written(out: Path) -> None:
    assert list(out.iterdir()) == []


def test_dotdot_answer_in_file_name_is_refused(tmp_path: Path) -> None:
    template = copier_template(tmp_path / "tpl", files={"{{ name }}.txt": "x"})
    line, out = new_in(tmp_path, template, "--data", "name=../../escaped")
    assert "would write outside the project" in line and "../../escaped" in line
    assert_nothing_written(out)
    assert not (tmp_path / "escaped.txt").exists()


def test_absolute_answer_in_file_name_is_refused(tmp_path: Path) -> None:
    template = copier_template(tmp_path / "tpl", files={"{{ name }}.txt": "x"})
    target = tmp_path / "absolute-escape"
    line, out = new_in(tmp_path, template, "--data", f"name={target}")
    assert "would write outside the project" in line
    assert_nothing_written(out)
    assert not Path(f"{target}.txt").exists()


def test_dotdot_folder_in_template_is_refused(tmp_path: Path) -> None:
    template = copier_template(tmp_path / "tpl", files={"{{ '..' }}/up.txt.jinja": "x"})
    line, out = new_in(tmp_path, template)
    assert '".." is forbidden' in line
    assert_nothing_written(out)


def test_answers_file_outside_the_project_is_refused(tmp_path: Path) -> None:
    template = copier_template(tmp_path / "tpl", "_answers_file: ../stolen-answers.yml\n")
    line, out = new_in(tmp_path, template)
    assert "../stolen-answers.yml" in line
    assert_nothing_written(out)


def test_subdirectory_outside_the_template_is_refused(tmp_path: Path) -> None:
    template = copier_template(tmp_path / "tpl", "_subdirectory: ../..\n")
    line, out = new_in(tmp_path, template)
    assert '"../.." is forbidden' in line
    assert_nothing_written(out)


def test_git_config_in_template_is_refused_before_git_init(tmp_path: Path) -> None:
    fsmonitor = f"[core]\n\tfsmonitor = touch {tmp_path / 'fsmonitor-ran'}\n"
    template = copier_template(tmp_path / "tpl", "_exclude: []\n", {".git/config": fsmonitor})
    line, out = new_in(tmp_path, template)
    assert "would write into git's own folder: .git" in line
    assert_nothing_written(out)
    assert not (tmp_path / "fsmonitor-ran").exists()


def test_nested_git_folder_in_template_is_refused(tmp_path: Path) -> None:
    template = copier_template(
        tmp_path / "tpl", "_exclude: []\n", {"sub/.git/hooks/post-commit": "#!/bin/sh\n"}
    )
    line, out = new_in(tmp_path, template)
    assert "would write into git's own folder: sub/.git" in line
    assert_nothing_written(out)


def test_rendered_git_folder_name_is_refused(tmp_path: Path) -> None:
    template = copier_template(
        tmp_path / "tpl", "_exclude: []\n", {"{{ '.git' }}/hooks/pre-commit": "#!/bin/sh\n"}
    )
    line, out = new_in(tmp_path, template)
    assert "would write into git's own folder: .git" in line
    assert_nothing_written(out)


def test_preserved_absolute_symlink_in_template_folder_is_refused(tmp_path: Path) -> None:
    template = copier_template(tmp_path / "tpl", PRESERVE)
    os.symlink("/etc/passwd", template / "passwd")
    line, out = new_in(tmp_path, template)
    assert "links to a file outside the template: passwd -> /etc/passwd" in line
    assert_nothing_written(out)


def test_preserved_absolute_symlink_from_git_template_is_refused(tmp_path: Path) -> None:
    template = copier_template(tmp_path / "tpl.git", PRESERVE)  # *.git: a git source, cloned
    os.symlink("/etc/passwd", template / "passwd")
    commit_all(template, "v1", tag="1.0.0")
    line, out = new_in(tmp_path, template)
    assert "symlink pointing outside the project: passwd -> /etc/passwd" in line
    assert_nothing_written(out)


def test_preserved_relative_symlink_climbing_out_is_refused(tmp_path: Path) -> None:
    template = copier_template(tmp_path / "tpl.git", PRESERVE)
    os.symlink("../../outside", template / "up")
    commit_all(template, "v1", tag="1.0.0")
    line, out = new_in(tmp_path, template)
    assert "symlink pointing outside the project: up -> ../../outside" in line
    assert_nothing_written(out)


def test_preserved_symlink_with_rendered_target_climbing_out_is_refused(tmp_path: Path) -> None:
    template = copier_template(tmp_path / "tpl", PRESERVE)
    os.symlink("{{ '../' * 6 }}etc", template / "etc.jinja")
    line, out = new_in(tmp_path, template)
    assert "symlink pointing outside the project: etc -> ../../../../../../etc" in line
    assert_nothing_written(out)


def test_template_symlink_to_a_file_outside_the_template_is_refused(tmp_path: Path) -> None:
    (tmp_path / "private-key").write_text("SECRET")
    template = copier_template(tmp_path / "tpl")
    os.symlink(tmp_path / "private-key", template / "key.txt")
    line, out = new_in(tmp_path, template)
    assert f"links to a file outside the template: key.txt -> {tmp_path / 'private-key'}" in line
    assert_nothing_written(out)


def test_preserved_symlink_inside_the_project_is_allowed(tmp_path: Path) -> None:
    template = copier_template(tmp_path / "tpl", PRESERVE, {"real.txt": "x"})
    os.symlink("real.txt", template / "alias.txt")
    result = invoke("new", str(tmp_path / "dest"), "--template", str(template))
    assert result.exit_code == 0, result.stderr
    assert os.readlink(tmp_path / "dest" / "alias.txt") == "real.txt"


def cookiecutter_template(root: Path, files: dict[str, str]) -> Path:
    return build_file_tree(
        root, {"cookiecutter.json": json.dumps({"name": "demo", "file": "f"}), **files}
    )


def test_cookiecutter_top_folder_dotdot_is_refused(tmp_path: Path) -> None:
    template = cookiecutter_template(tmp_path / "cc", {"{{cookiecutter.name}}/README": "x"})
    line, out = new_in(tmp_path, template, "--data", "name=..")
    assert "top folder renders to '..'" in line
    assert_nothing_written(out)


def test_cookiecutter_top_folder_absolute_path_is_refused_before_writing(tmp_path: Path) -> None:
    template = cookiecutter_template(tmp_path / "cc", {"{{cookiecutter.name}}/README": "x"})
    target = tmp_path / "written-by-cookiecutter"
    line, out = new_in(tmp_path, template, "--data", f"name={target}")
    assert f"top folder renders to '{target}'" in line
    assert_nothing_written(out)
    assert not target.exists()


def test_cookiecutter_inner_file_climbing_out_is_refused_before_writing(tmp_path: Path) -> None:
    template = cookiecutter_template(
        tmp_path / "cc", {"{{cookiecutter.name}}/{{cookiecutter.file}}": "x"}
    )
    line, out = new_in(tmp_path, template, "--data", "file=../../../../escaped")
    assert "would write outside the project: ../../../../escaped" in line
    assert_nothing_written(out)
    assert not (tmp_path / "escaped").exists()


def test_cookiecutter_git_folder_is_refused(tmp_path: Path) -> None:
    template = cookiecutter_template(
        tmp_path / "cc", {"{{cookiecutter.name}}/.git/hooks/post-commit": "#!/bin/sh\n"}
    )
    line, out = new_in(tmp_path, template)
    assert "would write into git's own folder: .git" in line
    assert_nothing_written(out)


def test_cookiecutter_symlink_to_a_file_outside_the_template_is_refused(tmp_path: Path) -> None:
    template = cookiecutter_template(tmp_path / "cc", {"{{cookiecutter.name}}/README": "x"})
    os.symlink("/etc/passwd", template / "{{cookiecutter.name}}" / "passwd")
    line, out = new_in(tmp_path, template)
    assert "links to a file outside the template: {{cookiecutter.name}}/passwd" in line
    assert_nothing_written(out)


def test_update_to_a_version_with_an_escaping_symlink_is_refused_and_project_unchanged(
    tmp_path: Path,
) -> None:
    template = tagged_template(tmp_path / "tpl.git", [("", {"a.txt": "v1\n"})])
    os.symlink("../../../outside", template / "up")
    copier_template(template, PRESERVE, {"a.txt": "v2\n"})
    commit_all(template, "v2", tag="2.0.0")
    project = generated_project(tmp_path, template, "--vcs-ref", "1.0.0")
    before = snapshot(project)
    result = invoke("update", str(project))
    assert_one_line_error(result, "symlink pointing outside the project: up -> ../../../outside")
    assert snapshot(project) == before


def test_update_to_a_version_writing_into_git_is_refused_and_project_unchanged(
    tmp_path: Path,
) -> None:
    template = tagged_template(
        tmp_path / "tpl",
        [("", {"a.txt": "v1\n"}), ("_exclude: []\n", {".git-hooks/x": "", "a.txt": "v2\n"})],
    )
    project = generated_project(tmp_path, template, "--vcs-ref", "1.0.0")
    before = snapshot(project)
    result = invoke("update", str(project))
    assert_one_line_error(result, "would write into git's own folder: .git")
    assert snapshot(project) == before
