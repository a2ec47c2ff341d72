"""Updating projects of built-in templates after scaffold itself was upgraded.

The built-in templates folder is replaced inside the test, as a `pip install -U`
would: first only version 1.0.0 exists, then only 2.0.0 (with or without the
1.0.0 release archive).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scaffold.commands.new import new_project
from scaffold.commands.update import update_project
from scaffold.errors import ScaffoldError
from scaffold.git.repository import PRISTINE_REF
from scaffold.render import builtin_templates
from scaffold.render.releases import freeze_release
from tests.helpers import build_file_tree, git

V1 = {
    "template.yml": "name: demo\nversion: 1.0.0\ndescription: demo\n",
    "copier.yml": "_subdirectory: template\nname:\n  default: x\n",
    "template/notes.txt.jinja": "{{ name }}\none\ntwo\nthree\nfour\nfive\n",
    "template/config.cfg": "level = 1\n",
}
V2_CHANGES = {
    "template.yml": "name: demo\nversion: 2.0.0\ndescription: demo\n",
    "template/config.cfg": "level = 2\n",
}


@pytest.fixture
def installed_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "site-packages-templates"
    build_file_tree(root / "demo", V1)
    monkeypatch.setattr(builtin_templates, "templates_root", lambda: root)
    return root


def upgrade_scaffold(root: Path, *, keep_release_archive: bool) -> None:
    """Replace the installed template by version 2.0.0, as upgrading scaffold does."""
    archive = None
    if keep_release_archive:
        archive = freeze_release(builtin_templates.find_builtin_template("demo")).read_bytes()
    shutil.rmtree(root / "demo")
    build_file_tree(root / "demo", {**V1, **V2_CHANGES})
    if archive is not None:
        build_file_tree(root / "demo", {"releases/1.0.0.tar.gz": archive})


@pytest.fixture
def edited_project(tmp_path: Path, installed_templates: Path) -> Path:
    project = tmp_path / "project"
    new_project(project, template="demo")
    notes = project / "notes.txt"
    notes.write_text(notes.read_text().replace("three", "three (mine)"))
    git(project, "commit", "-qam", "my edit")
    return project


def test_update_after_upgrade_uses_pristine_ref_without_old_release(
    edited_project: Path, installed_templates: Path
) -> None:
    upgrade_scaffold(installed_templates, keep_release_archive=False)
    result = update_project(edited_project)
    assert (result.version_from, result.version_to) == ("1.0.0", "2.0.0")
    assert result.base_from == "pristine ref"
    assert (edited_project / "config.cfg").read_text() == "level = 2\n"
    assert "three (mine)" in (edited_project / "notes.txt").read_text()


def test_update_after_upgrade_rerenders_base_from_release_archive(
    edited_project: Path, installed_templates: Path
) -> None:
    upgrade_scaffold(installed_templates, keep_release_archive=True)
    git(edited_project, "update-ref", "-d", PRISTINE_REF)  # e.g. a fresh clone
    result = update_project(edited_project)
    assert result.base_from == "re-rendered"
    assert (edited_project / "config.cfg").read_text() == "level = 2\n"
    assert "three (mine)" in (edited_project / "notes.txt").read_text()


def test_update_after_upgrade_without_base_fails_and_says_how_to_fix(
    edited_project: Path, installed_templates: Path
) -> None:
    upgrade_scaffold(installed_templates, keep_release_archive=False)
    git(edited_project, "update-ref", "-d", PRISTINE_REF)
    with pytest.raises(
        ScaffoldError, match="cannot rebuild the project as generated at 1.0.0"
    ) as e:
        update_project(edited_project)
    assert "refs/scaffold/" in e.value.hint
    assert (edited_project / "config.cfg").read_text() == "level = 1\n"
