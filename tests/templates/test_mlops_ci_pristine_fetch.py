"""The generated CI fetches what `scaffold check` needs: a CI checkout has branches only, and
the locked-files rule reads the template's pristine render from `refs/scaffold/*`.

The fetch commands are taken from the generated CI file itself and run in a shallow clone of
a local "origin", as the CI runner would.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from scaffold.check.rules.template import LockedFilesUnedited
from scaffold.check.runner import check_project
from scaffold.project.orgconfig import Policy
from tests.helpers import git


def github_check_commands(project: Path) -> list[str]:
    workflow = yaml.safe_load((project / ".github/workflows/ci.yml").read_text())
    steps = workflow["jobs"]["test"]["steps"]
    script = next(step["run"] for step in steps if "scaffold check" in step.get("name", ""))
    return script.splitlines()


def gitlab_check_commands(project: Path) -> list[str]:
    pipeline = yaml.safe_load((project / ".gitlab-ci.yml").read_text())
    return list(pipeline["scaffold-check"]["script"])


@pytest.mark.parametrize(
    ("fixture", "commands_of"),
    [("generated_project", github_check_commands), ("generated_minimal_project", gitlab_check_commands)],
)
def test_generated_ci_fetches_the_pristine_render_before_scaffold_check(
    request: pytest.FixtureRequest, tmp_path: Path, fixture: str, commands_of
) -> None:
    project: Path = request.getfixturevalue(fixture)
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(origin))
    # What the generated README tells the team to run once, beside their usual push.
    git(project, "push", "-q", str(origin), "HEAD:refs/heads/main", "refs/scaffold/*")
    checkout = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(checkout))
    assert git(checkout, "for-each-ref", "refs/scaffold") == ""
    fetches = [line.strip("- ") for line in commands_of(project) if "git fetch" in line]
    assert fetches, "the CI's scaffold check step fetches nothing"
    for command in fetches:
        subprocess.run(["bash", "-c", command], cwd=checkout, check=True)
    assert git(checkout, "rev-parse", "refs/scaffold/pristine").strip() == git(
        project, "rev-parse", "refs/scaffold/pristine"
    ).strip()
    policy = Policy(locked_files=(".github/workflows/*.yml", ".gitlab-ci.yml"))
    result = check_project(checkout, [LockedFilesUnedited()], policy).results[0]
    assert result.status == "pass", (result.reason, result.findings)
