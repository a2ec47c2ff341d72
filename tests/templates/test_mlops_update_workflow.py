"""The mlops template's own update workflow (GitHub) and update jobs (GitLab), run for real.

The project's scheduled job is executed as the runner would (bash, its env),
against a bare remote reached through git's `insteadOf` as github.com or
gitlab.com, with a fake `gh`/`glab` on PATH: it opens one request, and a
second run refreshes it instead of opening another.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scaffold.commands.new import new_project
from tests.fleet.fake_forge import install, requests
from tests.helpers import GIT_IDENTITY, git
from tests.templates.conftest import venv_tool

pytestmark = pytest.mark.slow
WORKFLOW = ".github/workflows/scaffold-update.yml"
GITLAB_JOBS = ".gitlab/scaffold-update.yml"
TOKEN = "ghp_TemplateWorkflowToken0123456789"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each CI provider's project at 2.0.0 pushed to a bare remote, and its 3.0.0 render."""
    root = tmp_path_factory.mktemp("update-workflow")
    made = {}
    for provider in ("github", "gitlab"):
        data = ["project_name=Churn Model", f"ci_provider={provider}", "serving=none"]
        old = root / f"{provider}-old"
        new_project(old, vcs_ref="2.0.0", data=data)
        # 3.0.0 asks where CI installs scaffold from: the pip already installed (no network).
        data.append(f"scaffold_pip_spec=pip=={importlib.metadata.version('pip')}")
        remote = root / "remotes" / provider / "acme" / "churn-model.git"
        git(root, "clone", "-q", "--mirror", str(old), str(remote))
        new_project(root / f"{provider}-new", data=data, use_git=False)
        made[provider], made[f"{provider}-remote"] = root / f"{provider}-new", remote
    made["root"] = root
    return made


def runner_environment(root: Path, provider: str, tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    host = "github.com" if provider == "github" else "gitlab.com"
    (home / ".gitconfig").write_text(
        f'[url "{root / "remotes" / provider}/"]\n\tinsteadOf = https://{host}/\n'
    )
    bin_folder = tmp_path / "bin"
    install(bin_folder, "gh" if provider == "github" else "glab")
    (bin_folder / "scaffold").symlink_to(Path(sys.executable).parent / "scaffold")
    (bin_folder / "python").symlink_to(sys.executable)
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("SCAFFOLD_")
    }
    return {
        **environment,
        **{key: value for key, value in GIT_IDENTITY.items() if "NAME" not in key},
        "HOME": str(home),
        "PATH": f"{bin_folder}:{os.environ['PATH']}",
        "FAKE_FORGE_STATE": str(tmp_path / "requests.json"),
        "FAKE_FORGE_LOG": str(tmp_path / "calls.log"),
    }


def run_script(script: str, environment: dict[str, str], cwd: Path) -> None:
    completed = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd, env=environment, capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert TOKEN not in completed.stdout + completed.stderr


def test_github_workflow_is_scheduled_pinned_and_needs_only_write_to_contents_and_prs(
    rendered: dict[str, Path],
) -> None:
    workflow = yaml.safe_load((rendered["github"] / WORKFLOW).read_text())
    assert "schedule" in workflow[True] and "workflow_dispatch" in workflow[True]
    assert workflow["permissions"] == {"contents": "write", "pull-requests": "write"}
    steps = workflow["jobs"]["update"]["steps"]
    for step in steps:
        if "uses" in step:
            assert re.fullmatch(r"[\w-]+/[\w-]+@v\d+(\.\d+)*", step["uses"]), step["uses"]
        assert "${{" not in step.get("run", ""), "expressions go through env, never into scripts"


def test_github_workflow_opens_one_pull_request_and_refreshes_it(
    rendered: dict[str, Path], tmp_path: Path
) -> None:
    step = next(
        step
        for step in yaml.safe_load((rendered["github"] / WORKFLOW).read_text())["jobs"]["update"][
            "steps"
        ]
        if "fleet update" in step.get("run", "")
    )
    environment = runner_environment(rendered["root"], "github", tmp_path)
    summary = tmp_path / "summary.md"
    environment.update(
        GH_TOKEN=TOKEN,
        SCAFFOLD_ORG_CONFIG_URL="",
        REPOSITORY_URL="https://github.com/acme/churn-model.git",
        RUNNER_TEMP=str(tmp_path / "runner"),
        GITHUB_STEP_SUMMARY=str(summary),
    )
    (tmp_path / "runner").mkdir()
    run_script(step["run"], environment, tmp_path)
    run_script(step["run"], environment, tmp_path)

    held = requests(Path(environment["FAKE_FORGE_STATE"]))
    assert len(held) == 1
    assert held[0]["repo"] == "acme/churn-model"
    assert held[0]["title"] == "Update builtin:mlops from 2.0.0 to 3.0.0"
    assert held[0]["head"] == "scaffold/update-3.0.0" and held[0]["base"] == "main"
    remote = rendered["github-remote"]
    branches = git(remote, "for-each-ref", "--format=%(refname)", "refs/heads/").split()
    assert branches == ["refs/heads/main", "refs/heads/scaffold/update-3.0.0"]
    assert WORKFLOW in git(remote, "ls-tree", "-r", "--name-only", "scaffold/update-3.0.0")
    assert summary.read_text().count("## Fleet update") == 2
    config = (Path(environment["HOME"]) / ".gitconfig").read_text()
    assert TOKEN not in config


def test_gitlab_jobs_push_the_branch_then_open_one_merge_request(
    rendered: dict[str, Path], tmp_path: Path
) -> None:
    jobs = yaml.safe_load((rendered["gitlab"] / GITLAB_JOBS).read_text())
    ci = yaml.safe_load((rendered["gitlab"] / ".gitlab-ci.yml").read_text())
    assert {"local": GITLAB_JOBS} in ci["include"]
    schema = subprocess.run(
        [venv_tool("check-jsonschema"), "--builtin-schema", "vendor.gitlab-ci", GITLAB_JOBS],
        cwd=rendered["gitlab"], capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert schema.returncode == 0, schema.stdout + schema.stderr
    environment = runner_environment(rendered["root"], "gitlab", tmp_path)
    environment.update(
        SCAFFOLD_UPDATE_TOKEN=TOKEN,
        CI_PROJECT_URL="https://gitlab.com/acme/churn-model",
        CI_PROJECT_PATH="acme/churn-model",
        CI_DEFAULT_BRANCH="main",
        CI_SERVER_HOST="gitlab.com",
        **jobs["scaffold-update"]["variables"],
    )
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    for _ in range(2):
        run_script("\n".join(jobs["scaffold-update"]["script"]), environment, workspace)
        run_script("\n".join(jobs["scaffold-update-request"]["script"]), environment, workspace)
    held = requests(Path(environment["FAKE_FORGE_STATE"]))
    assert len(held) == 1
    assert held[0]["title"] == "Update builtin:mlops from 2.0.0 to 3.0.0"
    assert "| outcome | files |" in held[0]["body"]
    assert (workspace / "scaffold-update" / "branch.txt").read_text() == "scaffold/update-3.0.0"
    assert TOKEN not in (Path(environment["HOME"]) / ".gitconfig").read_text()
