"""Projects generated from earlier built-in `mlops` releases update to the current one.

From 1.0.0: the user edits three files (one the new release also changes), `scaffold update`
reports exactly one conflict with exit code 1, runs the answer migration, the user resolves the
conflict and the project lints clean and passes `scaffold check`. From 2.0.0: the user's edits
merge without conflict and the updated project passes its own setup, pipeline, tests, and
registers and promotes its model.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from scaffold.render.builtin_templates import find_builtin_template
from tests.helpers import git, run_scaffold
from tests.templates.conftest import venv_tool
from tests.templates.end_to_end import make

pytestmark = pytest.mark.slow

CI_WORKFLOW = ".github/workflows/ci.yml"
PIPELINE_STEP = "        run: make pipeline\n"
USER_PIPELINE_STEP = "        run: make pipeline  # full DVC pipeline (team note)\n"
CONFLICT_BLOCK = re.compile(
    r"<<<<<<< yours\n(?P<yours>.*?)=======\n(?P<theirs>.*?)>>>>>>> template \(new\)\n", re.S
)


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} not found once in {path}"
    path.write_text(text.replace(old, new))


def keep_user_line_and_template_additions(path: Path) -> None:
    """Resolve each conflict as a person would: the user's step, then the template's new step."""

    def resolve(match: re.Match[str]) -> str:
        theirs = match["theirs"]
        assert theirs.startswith(PIPELINE_STEP)
        return match["yours"] + theirs[len(PIPELINE_STEP) :]

    path.write_text(CONFLICT_BLOCK.sub(resolve, path.read_text()))


def test_update_from_first_release_keeps_edits_reports_conflict_and_passes_tests(
    tmp_path: Path,
) -> None:
    current = find_builtin_template("mlops").version
    assert current != "1.0.0", "the built-in template must have a release after 1.0.0"
    created = run_scaffold("new", "proj", "--defaults", "--vcs-ref", "1.0.0", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    project = tmp_path / "proj"
    assert "author_name: ML Team" in (project / ".copier-answers.yml").read_text()

    replace_once(project / CI_WORKFLOW, PIPELINE_STEP, USER_PIPELINE_STEP)
    replace_once(project / "params.yaml", "  C: 1.0\n", "  C: 2.0\n")
    replace_once(project / "README.md", "# My ML Project\n", "# My ML Project\n\n> Team note.\n")
    git(project, "commit", "-qam", "team edits")

    updated = run_scaffold("update", "proj", cwd=tmp_path)
    assert updated.returncode == 1, updated.stdout + updated.stderr
    assert f"1.0.0 -> {current}" in updated.stdout
    assert f"1 conflict(s) to resolve:\n  {CI_WORKFLOW}\n" in updated.stdout

    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == current
    assert answers["team_name"] == "ML Team"  # renamed by the release's migration
    assert "author_name" not in answers
    assert "  C: 2.0\n" in (project / "params.yaml").read_text()
    readme = (project / "README.md").read_text()
    assert "> Team note.\n" in readme
    assert "make ci-check" in readme
    assert "ci-check: ##" in (project / "Makefile").read_text()

    keep_user_line_and_template_additions(project / CI_WORKFLOW)
    workflow = (project / CI_WORKFLOW).read_text()
    assert "<<<<<<<" not in workflow
    assert USER_PIPELINE_STEP in workflow
    assert "make gate BASELINE=" in workflow
    assert "make ci-check" in workflow
    linted = subprocess.run(
        [venv_tool("actionlint"), CI_WORKFLOW], cwd=project, capture_output=True, text=True
    )
    assert linted.returncode == 0, linted.stdout + linted.stderr
    git(project, "add", "-A")
    git(project, "commit", "-qm", "update to the new template release")
    # The updated project's own code lints clean (its tests run in the 2.0.0 case below).
    ruff = subprocess.run(
        [venv_tool("ruff"), "check", "."], cwd=project, capture_output=True, text=True
    )
    assert ruff.returncode == 0, ruff.stdout

    # The edited CI workflow is a template-locked file: `scaffold check` says so until the team
    # records why it differs.
    checked = run_scaffold("check", "proj", cwd=tmp_path)
    assert checked.returncode == 1
    assert "SCF-T003" in checked.stdout
    assert CI_WORKFLOW in checked.stdout
    with (project / "pyproject.toml").open("a") as pyproject:
        pyproject.write('\n[tool.scaffold.ignore]\n"SCF-T003" = "CI pipeline step annotated"\n')
    make(project, "check", f"SCAFFOLD={venv_tool('scaffold')}")


def test_update_from_2_0_0_merges_edits_and_the_project_passes_its_own_loop(
    tmp_path: Path,
) -> None:
    created = run_scaffold("new", "proj", "--defaults", "--vcs-ref", "2.0.0", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    project = tmp_path / "proj"
    replace_once(project / "params.yaml", "  C: 1.0\n", "  C: 2.0\n")
    replace_once(project / "README.md", "# My ML Project\n", "# My ML Project\n\n> Team note.\n")
    git(project, "commit", "-qam", "team edits")

    updated = run_scaffold("update", "proj", cwd=tmp_path)
    assert updated.returncode == 0, updated.stdout + updated.stderr
    current = find_builtin_template("mlops").version
    assert f"2.0.0 -> {current}" in updated.stdout
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == current
    assert answers["scaffold_pip_spec"] == ""  # the new question, at its default
    assert "  C: 2.0\n" in (project / "params.yaml").read_text()
    assert "> Team note.\n" in (project / "README.md").read_text()
    assert not (project / "monitoring/alert_rules.yml").exists()
    assert (project / "deploy/base/monitoring/alert_rules.yml").is_file()
    git(project, "add", "-A")
    git(project, "commit", "-qm", "update to the new template release")

    make(project, "setup")
    make(project, "pipeline")
    make(project, "test")
    make(project, "register")
    assert "is the champion" in make(project, "promote")
