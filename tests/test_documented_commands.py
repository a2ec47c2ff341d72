"""Every shell command the docs show works as written: it is run here, or it is listed with the
test that runs it, or with the reviewed reason no test can.

Commands come from the fenced bash/sh/console/shell blocks of README.md, docs/*.md and the
README of generated projects (three variants covering every block). A command added to the
docs without an entry below fails `test_every_documented_command_is_run_or_listed`.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scaffold.commands.new import new_project
from tests.documented_commands import block_commands, shell_blocks
from tests.helpers import GIT_IDENTITY

REPOSITORY = Path(__file__).resolve().parent.parent
END_TO_END = (
    "tests/templates/test_mlops_end_to_end.py::test_generated_project_runs_end_to_end_offline"
)
PACKAGING = "tests/test_packaging.py::test_wheel_ships_templates_and_renders_them_when_installed"
BENCHMARK = (
    "tests/test_benchmarks.py::test_quick_benchmark_times_every_case_and_writes_json_and_docs"
)
FLEET_CLI = "tests/fleet/test_fleet_cli.py"
FLEET_UPDATE = "tests/fleet/test_fleet_update.py"

# Run by this module (test_cheap_commands_run_as_written).
RUN_HERE = {
    "python3 -m venv .venv",
    ".venv/bin/scaffold new my-project --defaults",
    "cd my-project",
}

# Run, as written, by another test.
VERIFIED_BY = {
    ".venv/bin/pip install -e .": PACKAGING,  # builds and installs the package; .ci/run: editable
    "make setup": END_TO_END,
    "make pipeline": END_TO_END,
    "make test": END_TO_END,
    "make register": END_TO_END,
    "make promote": END_TO_END,
    "make export": END_TO_END,
    ". .venv/bin/activate": END_TO_END,  # the README's DVC block runs as one script
    "dvc params diff": END_TO_END,
    "dvc metrics diff": END_TO_END,
    "dvc plots show": END_TO_END,
    "dvc exp run -S train.C=0.5": END_TO_END,
    "dvc exp run -S train.learning_rate=0.05": END_TO_END,
    ".venv/bin/dvc push": END_TO_END,
    ".venv/bin/dvc pull": END_TO_END,
    ".venv/bin/python benchmarks/run.py --quick": BENCHMARK,
    ".venv/bin/python benchmarks/run.py --output FILE.json": BENCHMARK,
    ".venv/bin/python benchmarks/run.py --write-docs": BENCHMARK,
    "scaffold fleet status": f"{FLEET_CLI}::test_status_json_and_exit_code_one_when_outdated",
    "scaffold fleet check": (
        "tests/fleet/test_fleet_status.py::test_check_reports_failed_rules_per_project_with_exit_code_one"
    ),
    "scaffold fleet update --dry-run": (
        f"{FLEET_UPDATE}::test_dry_run_pushes_nothing_and_predicts_conflicts"
    ),
    "scaffold fleet update --open-pr": (
        f"{FLEET_CLI}::test_update_open_pr_opens_one_request_per_outdated_project_and_refreshes_on_rerun"
    ),
    "scaffold fleet report --output fleet.html": (
        f"{FLEET_CLI}::test_report_lists_every_project_with_version_and_findings"
    ),
}

# Reviewed: why no test runs these as written.
NOT_RUN = {
    "bash .ci/run": "it is CI itself: installs everything and runs this suite",
    "make serve": "binds 0.0.0.0 (tests bind 127.0.0.1 only); the end-to-end test serves the "
    "same app with uvicorn on 127.0.0.1",
    "curl localhost:8000/health": "needs `make serve`; the end-to-end test sends this request",
    "curl -X POST localhost:8000/predict -H 'Content-Type: application/json' -d "
    """'{"instances": [{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, """
    """"petal_width": 0.2}]}'""": "needs `make serve`; the end-to-end test sends this request",
    "docker build -t my-ml-project .": "needs a Docker daemon; hadolint lints the Dockerfile",
    "docker run -p 8000:8000 my-ml-project": "needs a Docker daemon and the built image",
}

GENERATED_VARIANTS = {
    "default": [],
    "pytorch": ["ml_framework=pytorch"],
    "minimal": [
        "ci_provider=gitlab",
        "data_versioning=none",
        "serving=none",
        "experiment_tracking=none",
        "monitoring=none",
    ],
}


@pytest.fixture(scope="module")
def documented_commands(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """Command -> the documents showing it."""
    documents = {
        path.relative_to(REPOSITORY).as_posix(): path.read_text(encoding="utf-8")
        for path in [REPOSITORY / "README.md", *sorted((REPOSITORY / "docs").glob("*.md"))]
    }
    for variant, data in GENERATED_VARIANTS.items():
        project = new_project(
            tmp_path_factory.mktemp("readme") / "project", data=data, use_git=False
        ).path
        documents[f"generated README ({variant})"] = (project / "README.md").read_text()
    commands: dict[str, set[str]] = {}
    for name, text in documents.items():
        for block in shell_blocks(text):
            for command in block_commands(block):
                commands.setdefault(command, set()).add(name)
    return commands


def test_every_documented_command_is_run_or_listed(documented_commands: dict) -> None:
    known = RUN_HERE | set(VERIFIED_BY) | set(NOT_RUN)
    unchecked = {command: sorted(where) for command, where in documented_commands.items()}
    unchecked = {command: where for command, where in unchecked.items() if command not in known}
    assert unchecked == {}, "add each to RUN_HERE, VERIFIED_BY (with its test) or NOT_RUN"
    stale = sorted(known - set(documented_commands))
    assert stale == [], "no document shows these any more: remove them"


def test_each_verifying_test_exists() -> None:
    for test_id in set(VERIFIED_BY.values()):
        path, name = test_id.split("::")
        tree = ast.parse((REPOSITORY / path).read_text(encoding="utf-8"))
        names = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        assert name in names, test_id


def test_end_to_end_test_runs_the_readme_dvc_blocks() -> None:
    source = (REPOSITORY / END_TO_END.split("::")[0]).read_text(encoding="utf-8")
    assert 'shell_blocks((project / "README.md")' in source


def test_cheap_commands_run_as_written(tmp_path: Path) -> None:
    """README's first lines: a venv, then `scaffold new` (the venv here is this test's own)."""
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    subprocess.run(["bash", "-c", "python3 -m venv .venv"], cwd=fresh, check=True)
    assert (fresh / ".venv/bin/python").exists()
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    (checkout / ".venv").symlink_to(Path(sys.prefix))
    created = subprocess.run(
        ["bash", "-c", ".venv/bin/scaffold new my-project --defaults && cd my-project"],
        cwd=checkout,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **GIT_IDENTITY},
        check=False,
    )
    assert created.returncode == 0, created.stderr
    assert (checkout / "my-project" / "Makefile").is_file()
