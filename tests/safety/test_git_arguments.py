"""Guarantee: a value from a file or the command line never reaches git as an option.

A recorded `_src_path: --upload-pack=CMD` or `ext::CMD`, a `--vcs-ref=-f`: each is refused
or passed after `--`, and the marker file its command would create never appears.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scaffold.errors import ScaffoldError
from scaffold.render.checkout import checked_out_template
from scaffold.render.sources import resolve_template_source
from tests.cookiecutter_templates import build_git_cookiecutter_template
from tests.helpers import commit_all, git
from tests.safety.support import (
    assert_one_line_error,
    copier_template,
    generated_project,
    invoke,
)


def project_with_source(tmp_path: Path, source: str, version: str = "1.0.0") -> Path:
    """A generated, committed project with an `origin` remote, whose record names `source`."""
    template = copier_template(tmp_path / "template", "", {"a.txt": "a\n"})
    commit_all(template, "v1", tag="1.0.0")
    project = generated_project(tmp_path, template)
    git(project, "remote", "add", "origin", str(template))  # as a cloned project has
    answers_path = project / ".copier-answers.yml"
    record = yaml.safe_load(answers_path.read_text(encoding="utf-8"))
    record.update({"_src_path": source, "_commit": version})
    answers_path.write_text(yaml.safe_dump(record), encoding="utf-8")
    git(project, "commit", "-qam", "tamper")
    return project


@pytest.mark.parametrize(
    "source",
    [
        "--upload-pack=touch {marker};#",
        "--upload-pack=touch {marker};#.git",
        "ext::sh -c touch% {marker}",
    ],
    ids=["upload-pack", "upload-pack-dot-git", "ext-transport"],
)
def test_recorded_source_cannot_run_a_command_on_status(tmp_path: Path, source: str) -> None:
    marker = tmp_path / "marker"
    project = project_with_source(tmp_path, source.format(marker=marker))
    result = invoke("status", str(project), cwd=project)
    assert not marker.exists()
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "recorded template source" in result.stdout


@pytest.mark.parametrize("command", ["diff", "update"])
def test_recorded_source_cannot_run_a_command_on_diff_or_update(
    tmp_path: Path, command: str
) -> None:
    marker = tmp_path / "marker"
    project = project_with_source(tmp_path, f"--upload-pack=touch {marker};#.git")
    result = invoke(command, str(project), cwd=project)
    assert not marker.exists()
    assert_one_line_error(result, "starts with '-'")


def test_recorded_version_cannot_be_a_git_option(tmp_path: Path) -> None:
    project = project_with_source(tmp_path, str(tmp_path / "template"), version="--orphan=x")
    result = invoke("diff", str(project), cwd=project)
    assert_one_line_error(result, "template version '--orphan=x' starts with '-'")


@pytest.mark.parametrize("vcs_ref", ["-f", "--orphan=evil"])
def test_vcs_ref_on_a_local_cookiecutter_repository_is_not_an_option(
    tmp_path: Path, vcs_ref: str
) -> None:
    template = build_git_cookiecutter_template(tmp_path / "template")
    result = invoke(
        "new", str(tmp_path / "dest"), "--template", str(template), f"--vcs-ref={vcs_ref}"
    )
    assert_one_line_error(result, f"'{vcs_ref}' starts with '-'", "tag, branch or commit")
    assert not (tmp_path / "dest").exists()


def test_checkout_resolves_a_version_that_looks_like_an_option_as_a_revision(
    tmp_path: Path,
) -> None:
    template = build_git_cookiecutter_template(tmp_path / "template")
    checkout = checked_out_template(str(template), is_git_url=False, vcs_ref="-f")
    with pytest.raises(ScaffoldError, match="has no version '-f'"), checkout:
        pass


def test_clone_takes_a_url_that_looks_like_an_option_as_a_url(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    checkout = checked_out_template(
        f"--upload-pack=touch {marker};#", is_git_url=True, vcs_ref=None
    )
    with pytest.raises(ScaffoldError, match="cannot fetch template"), checkout:
        pass
    assert not marker.exists()


@pytest.mark.parametrize(
    "template", ["-x.git", "--upload-pack=x", "ext::sh -c id", "fd::3", "a\nb.git"]
)
def test_template_sources_git_would_misread_are_refused(template: str) -> None:
    with pytest.raises(ScaffoldError):
        resolve_template_source(template)


def test_an_ordinary_git_template_and_ref_still_work(tmp_path: Path) -> None:
    template = build_git_cookiecutter_template(tmp_path / "template")
    result = invoke(
        "new", str(tmp_path / "dest"), "--template", str(template), "--vcs-ref", "v1.0.0"
    )
    assert result.exit_code == 0, result.stderr
    record = yaml.safe_load((tmp_path / "dest" / ".copier-answers.yml").read_text())
    assert record["_commit"] == "v1.0.0"
