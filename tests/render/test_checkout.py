"""Template checkout: a local folder is used in place, and named by its git version if any."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.render import checkout
from scaffold.render.checkout import checked_out_template
from tests.helpers import build_file_tree, commit_all


def test_folder_outside_git_is_used_as_is_without_running_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = build_file_tree(tmp_path / "template", {"cookiecutter.json": "{}"})
    monkeypatch.delenv("GIT_DIR", raising=False)

    def no_git(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"git ran for a folder outside any repository: {args}")

    monkeypatch.setattr(checkout, "_git", no_git)
    with checked_out_template(str(template), is_git_url=False, vcs_ref=None) as checked_out:
        assert (checked_out.folder, checked_out.commit) == (template, None)


def test_folder_inside_a_repository_is_named_by_the_tag_on_head(tmp_path: Path) -> None:
    repository = build_file_tree(tmp_path / "repo", {"templates/web/cookiecutter.json": "{}"})
    commit_all(repository, "first", tag="v1.2.0")
    template = repository / "templates" / "web"
    with checked_out_template(str(template), is_git_url=False, vcs_ref=None) as checked_out:
        assert (checked_out.folder, checked_out.commit) == (template, "v1.2.0")
