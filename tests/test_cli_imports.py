"""`scaffold --help` and `--version` stay fast: they import none of the heavy libraries."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("copier", "jinja2", "pydantic", "yaml", "cookiecutter", "plumbum", "questionary")
# Runs in a fresh interpreter, since this test process has long imported everything.
PROBE = """
import json, sys
from click.testing import CliRunner
import scaffold.cli
result = CliRunner().invoke(scaffold.cli.main, sys.argv[1:])
loaded = sorted({name.split(".")[0] for name in sys.modules})
print(json.dumps({"exit_code": result.exit_code, "loaded": loaded}))
"""


def loaded_after(*arguments: str) -> tuple[int, set[str]]:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, *arguments], capture_output=True, text=True, check=True
    )
    outcome = json.loads(completed.stdout.splitlines()[-1])
    return outcome["exit_code"], set(outcome["loaded"])


@pytest.mark.parametrize(
    "arguments", [(), ("--help",), ("--version",), ("new", "--help"), ("check", "--help")]
)
def test_help_and_version_import_no_heavy_library(arguments: tuple[str, ...]) -> None:
    exit_code, loaded = loaded_after(*arguments)
    assert exit_code in (0, 2)  # bare `scaffold` prints the help with click's usage exit code
    assert loaded.isdisjoint(HEAVY), sorted(loaded.intersection(HEAVY))
