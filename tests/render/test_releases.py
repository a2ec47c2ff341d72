"""Built-in template releases: frozen archives are reproducible and render their version."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scaffold.answer_migrations import rename_answer
from scaffold.commands.new import new_project
from scaffold.errors import TemplateError
from scaffold.project.answers import read_recorded_answers
from scaffold.render import builtin_templates
from scaffold.render.releases import freeze_release
from tests.helpers import build_file_tree


@pytest.fixture
def builtin_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A built-in templates folder with one small template `demo` at 1.0.0."""
    root = tmp_path / "templates"
    build_file_tree(
        root / "demo",
        {
            "template.yml": "name: demo\nversion: 1.0.0\ndescription: demo template\n",
            "copier.yml": "_subdirectory: template\nname:\n  default: x\n",
            "template/hello.txt.jinja": "hello {{ name }} v1\n",
        },
    )
    monkeypatch.setattr(builtin_templates, "templates_root", lambda: root)
    return root


def test_frozen_release_is_byte_reproducible(builtin_root: Path) -> None:
    template = builtin_templates.find_builtin_template("demo")
    first = freeze_release(template).read_bytes()
    second = freeze_release(template).read_bytes()
    assert first == second


def test_released_version_renders_after_template_changed(
    builtin_root: Path, tmp_path: Path
) -> None:
    freeze_release(builtin_templates.find_builtin_template("demo"))
    build_file_tree(
        builtin_root / "demo",
        {
            "template.yml": "name: demo\nversion: 2.0.0\ndescription: demo template\n",
            "template/hello.txt.jinja": "hello {{ name }} v2\n",
        },
    )
    template = builtin_templates.find_builtin_template("demo")
    assert template.released_versions == ["1.0.0", "2.0.0"]
    new_project(tmp_path / "old", template="demo", vcs_ref="1.0.0", use_git=False)
    new_project(tmp_path / "new", template="demo", use_git=False)
    assert (tmp_path / "old" / "hello.txt").read_text() == "hello x v1\n"
    assert (tmp_path / "new" / "hello.txt").read_text() == "hello x v2\n"
    assert yaml.safe_load((tmp_path / "old/.copier-answers.yml").read_text())["_commit"] == "1.0.0"


def test_unknown_builtin_version_lists_available_ones(builtin_root: Path, tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="has no version '0.1.0'") as caught:
        new_project(tmp_path / "p", template="demo", vcs_ref="0.1.0")
    assert "1.0.0" in caught.value.hint


def test_mlops_ships_every_release_it_declares() -> None:
    mlops = builtin_templates.find_builtin_template("mlops")
    for version in mlops.released_versions:
        assert mlops.folder_for_version(version) is not None


def test_rename_answer_renames_key_and_keeps_the_rest(tmp_path: Path) -> None:
    project = tmp_path / "p"
    new_project(project, use_git=False)
    before = read_recorded_answers(project)
    assert rename_answer(project, "organisation", "org_name")
    after = read_recorded_answers(project)
    assert after.answers["org_name"] == before.answers["organisation"]
    assert "organisation" not in after.answers
    assert (after.source, after.version) == (before.source, before.version)
    assert not rename_answer(project, "organisation", "org_name")
