"""Template sources: a git bundle file is a git source; any other file is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.errors import TemplateError
from scaffold.render.sources import resolve_template_source
from tests.helpers import git


def test_git_bundle_file_is_a_git_source_recorded_by_its_absolute_path(
    tmp_path: Path, git_template: Path
) -> None:
    bundle = tmp_path / "template.bundle"
    git(git_template, "bundle", "create", "-q", str(bundle), "--all")
    source = resolve_template_source(str(bundle))
    assert (source.kind, source.engine) == ("git", "copier")
    assert source.location == source.recorded == str(bundle.resolve())


def test_a_file_that_is_not_a_git_bundle_is_refused_with_what_to_pass(tmp_path: Path) -> None:
    not_a_bundle = tmp_path / "template.bundle"
    not_a_bundle.write_text("# just text\n")
    with pytest.raises(TemplateError, match="is a file but not a git bundle") as caught:
        resolve_template_source(str(not_a_bundle))
    assert "git bundle create" in caught.value.hint
