"""`scaffold new` with an org config: default template and answers, locked answers refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scaffold.commands.new import new_project
from scaffold.errors import InvalidAnswerError, TemplateError
from scaffold.project.orgconfig import load_org_config
from tests.helpers import run_scaffold

ORG = """\
template: {source: mlops, version: ">=1.0"}
defaults: {organisation: globex, ml_framework: pytorch}
locked: {license: Apache-2.0}
"""


@pytest.fixture
def org_file(tmp_path: Path) -> Path:
    path = tmp_path / "org.yaml"
    path.write_text(ORG)
    return path


def test_new_applies_org_defaults_and_locked_answers(tmp_path: Path, org_file: Path) -> None:
    project = tmp_path / "p"
    new_project(
        project, org=load_org_config(org_file), data=["ml_framework=sklearn"], use_git=False
    )
    record = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert record["organisation"] == "globex"
    assert record["ml_framework"] == "sklearn"  # --data beats org defaults
    assert record["license"] == "Apache-2.0"


def test_new_refuses_data_for_locked_key_and_writes_nothing(tmp_path: Path, org_file: Path) -> None:
    with pytest.raises(InvalidAnswerError, match="'license' is locked to 'Apache-2.0'"):
        new_project(tmp_path / "p", org=load_org_config(org_file), data=["license=MIT"])
    assert not (tmp_path / "p").exists()


def test_new_refuses_template_version_outside_org_range(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text("template: {version: '>=9'}\n")
    with pytest.raises(TemplateError, match="outside the org's range"):
        new_project(tmp_path / "p", org=load_org_config(path), use_git=False)
    assert not (tmp_path / "p").exists()


def test_cli_new_refuses_locked_key_with_one_line_and_exit_2(
    tmp_path: Path, org_file: Path
) -> None:
    result = run_scaffold(
        "new", "p", "--defaults", "--org-config", str(org_file), "-d", "license=MIT", cwd=tmp_path
    )
    assert result.returncode == 2
    assert "'license' is locked to 'Apache-2.0'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "p").exists()
