"""Guarantee 3 in a real terminal: Ctrl-C or a closed terminal at a prompt, or Ctrl-C while
scaffold is still starting, prints the one interrupted line, exits 130 and leaves no litter.

Prompts are driven through a pseudo-terminal (pexpect); the start-up case waits until the
console script has installed its handlers (read from /proc) and interrupts the imports after.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest

from scaffold.interrupts import INTERRUPTED_MESSAGE
from tests.helpers import GIT_IDENTITY

SIGHUP_BIT = 1 << (signal.SIGHUP - 1)


def spawn_scaffold(cwd: Path, *args: str) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "scaffold", *args],
        cwd=str(cwd),
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 120),
        env={**os.environ, **GIT_IDENTITY},
    )


def finish(child: pexpect.spawn) -> str:
    child.expect(pexpect.EOF)
    child.close()
    return child.before


def test_ctrl_c_at_a_new_prompt_prints_interrupted_and_exits_130(
    tmp_path: Path, small_template: Path
) -> None:
    child = spawn_scaffold(tmp_path, "new", "proj", "--template", str(small_template))
    child.expect("name")
    child.sendintr()
    output = finish(child)
    assert child.exitstatus == 130, output
    assert INTERRUPTED_MESSAGE in output
    assert "failed to render" not in output and "Question(" not in output
    assert sorted(path.name for path in tmp_path.iterdir()) == ["small-template"]


def test_closing_the_terminal_at_a_prompt_leaves_no_staging_folder(
    tmp_path: Path, small_template: Path
) -> None:
    child = spawn_scaffold(tmp_path, "new", "proj", "--template", str(small_template))
    child.expect("name")
    child.kill(signal.SIGHUP)
    finish(child)
    assert child.exitstatus == 130
    assert sorted(path.name for path in tmp_path.iterdir()) == ["small-template"]


def test_ctrl_c_at_an_update_prompt_prints_interrupted_and_changes_nothing(
    tmp_path: Path,
) -> None:
    from scaffold.commands.new import new_project
    from tests.commands.test_update import make_versioned_template
    from tests.safety.test_interrupts import project_state

    template = make_versioned_template(tmp_path / "template")
    project = tmp_path / "proj"
    new_project(project, template=str(template), vcs_ref="v1.0.0")
    before = project_state(project)
    child = spawn_scaffold(tmp_path, "update", "proj")
    child.expect("colour")
    child.sendintr()
    output = finish(child)
    assert child.exitstatus == 130, output
    assert INTERRUPTED_MESSAGE in output
    assert "failed to render" not in output
    assert project_state(project) == before


def _signals_caught(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("SigCgt:"))
    return int(line.split()[1], 16)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
@pytest.mark.parametrize("run", range(3))
def test_ctrl_c_while_scaffold_is_still_importing_prints_no_traceback(run: int) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "scaffold", "templates"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    # The console script's first act is to catch SIGHUP (Python alone never does): from that
    # moment on, an interrupt must be reported in one line, even in the middle of imports.
    while not _signals_caught(process.pid) & SIGHUP_BIT:
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    assert "Traceback" not in stderr
    assert (process.returncode, stderr.strip()) == (130, INTERRUPTED_MESSAGE), stdout
