"""Input a careless or hostile user gives the CLI: each is accepted correctly or refused in one
line (exit 2), and nothing is half-written.

Org answers scoped to the org's template, relative and file:// template sources, broken
`.cruft.json` files, multi-line and private `--data`, a full disk, a destination inside the
template folder.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
import yaml

from scaffold.commands.link import link_project
from scaffold.commands.new import new_project
from scaffold.commands.update import update_project
from scaffold.errors import InvalidAnswerError, ScaffoldError
from scaffold.project.orgconfig import load_org_config
from tests.helpers import commit_all, git
from tests.safety.support import assert_one_line_error, copier_template, invoke

ORG = """\
template: {source: builtin:mlops, version: ">=1.0"}
defaults: {organisation: globex}
locked: {license: Apache-2.0}
"""


def recorded(project: Path) -> dict:
    return yaml.safe_load((project / ".copier-answers.yml").read_text())


@pytest.fixture
def template(tmp_path: Path) -> Path:
    return copier_template(tmp_path / "tpl", files={"README.md.jinja": "# {{ name }}\n"})


def test_org_answers_apply_only_to_the_orgs_template(tmp_path: Path, template: Path) -> None:
    (tmp_path / "org.yaml").write_text(ORG)
    org = load_org_config(tmp_path / "org.yaml")
    other = new_project(tmp_path / "other", template=str(template), org=org, use_git=False)
    assert other.answers == {"name": "demo"}  # no organisation, no license: not its questions
    orgs = new_project(tmp_path / "orgs", org=org, use_git=False)
    assert (orgs.answers["organisation"], orgs.answers["license"]) == ("globex", "Apache-2.0")


def test_update_of_another_templates_project_ignores_the_orgs_locked_answers(
    tmp_path: Path,
) -> None:
    (tmp_path / "org.yaml").write_text(ORG)
    template = tmp_path / "tpl"
    copier_template(template, files={"a.txt.jinja": "{{ name }} 1\n"})
    commit_all(template, "v1", tag="1.0.0")
    project = tmp_path / "project"
    new_project(project, template=str(template))
    copier_template(template, files={"a.txt.jinja": "{{ name }} 2\n"})
    commit_all(template, "v2", tag="2.0.0")
    result = update_project(project, org=load_org_config(tmp_path / "org.yaml"))
    assert result.version_to == "2.0.0"
    assert "license" not in recorded(project)


def test_a_relative_git_template_is_recorded_so_update_finds_it_from_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = copier_template(tmp_path / "tpl.git", files={"a.txt.jinja": "{{ name }} 1\n"})
    commit_all(template, "v1", tag="1.0.0")
    monkeypatch.chdir(tmp_path)
    new_project(Path("project"), template="tpl.git")
    assert recorded(tmp_path / "project")["_src_path"] == str(template.resolve())
    copier_template(template, files={"a.txt.jinja": "{{ name }} 2\n"})
    commit_all(template, "v2", tag="2.0.0")
    monkeypatch.chdir(tmp_path / "project")
    assert update_project(Path(".")).version_to == "2.0.0"


def test_a_file_url_template_renders_like_its_folder(tmp_path: Path, template: Path) -> None:
    created = new_project(tmp_path / "p", template=template.as_uri(), use_git=False)
    assert (tmp_path / "p" / "README.md").read_text() == "# demo\n"
    assert created.template_source == str(template.resolve())


def test_a_file_url_to_nothing_names_the_missing_folder(tmp_path: Path) -> None:
    result = invoke("new", str(tmp_path / "p"), "-t", (tmp_path / "nothere").as_uri())
    line = assert_one_line_error(result, "not found: no folder", str(tmp_path / "nothere"))
    assert "answer" not in line


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (
            b'{"template": "x", "context": {"cookiecutter": {"name": "\xff\xfe"}}}',
            "codec can't decode",
        ),
        (b'{"template": "x", "context": ["not", "a", "mapping"]}', "is not a mapping"),
        (b'{"template": "x", "context": {"cookiecutter": "text"}}', "is not a mapping"),
        (b'{"template": ', "cannot read"),
    ],
)
def test_a_broken_cruft_record_on_link_is_one_line(
    tmp_path: Path, content: bytes, fragment: str
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / ".cruft.json").write_bytes(content)
    commit_all(project, "cruft project")
    result = invoke("link", str(project))
    assert_one_line_error(result, ".cruft.json", fragment)
    with pytest.raises(ScaffoldError):
        link_project(project)


@pytest.mark.parametrize("value", ["two\nlines", "carriage\rreturn", "nul\x00byte", "sep\u2028x"])
def test_a_data_value_with_a_line_break_is_refused(
    tmp_path: Path, template: Path, value: str
) -> None:
    result = invoke("new", str(tmp_path / "p"), "-t", str(template), "--data", f"name={value}")
    assert_one_line_error(result, "--data name", "line break or control character")
    assert not (tmp_path / "p").exists()


def test_a_private_key_in_data_is_refused(tmp_path: Path, template: Path) -> None:
    with pytest.raises(InvalidAnswerError, match="'_src_path' is not a question"):
        new_project(tmp_path / "p", template=str(template), data=["_src_path=/elsewhere"])
    assert not (tmp_path / "p").exists()


def test_a_full_disk_while_rendering_names_the_disk_not_the_template(
    tmp_path: Path, template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write_bytes = Path.write_bytes

    def full_disk(self: Path, data: bytes) -> int:
        if ".scaffold-staging-" in str(self):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real_write_bytes(self, data)

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    result = invoke("new", str(tmp_path / "p"), "-t", str(template), "--no-git")
    line = assert_one_line_error(result, "No space left on device", "free space on the disk")
    assert "fix the template" not in line
    assert sorted(path.name for path in tmp_path.iterdir()) == ["tpl"]


def test_a_destination_inside_the_template_folder_is_refused_in_a_short_line(
    tmp_path: Path, template: Path
) -> None:
    result = invoke("new", str(template / "inner"), "-t", str(template))
    line = assert_one_line_error(result, "is inside the template folder")
    assert len(line) < 300
    assert not (template / "inner").exists()
    assert not any(path.name.startswith(".scaffold-") for path in template.iterdir())


def test_a_refused_destination_inside_a_git_template_leaves_its_repository_alone(
    tmp_path: Path, template: Path
) -> None:
    """Refused before anything is rendered: not even an untracked staging folder appears."""
    commit_all(template, "template")
    before = git(template, "status", "--porcelain")
    invoke("new", str(template / "inner"), "-t", str(template))
    assert git(template, "status", "--porcelain") == before
