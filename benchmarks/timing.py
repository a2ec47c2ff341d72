"""Time commands as separate processes: warm-up runs, then the median of timed runs.

Each run may prepare its own fresh input first (a destination folder, a copy
of a project to update); only the command itself is timed, and its peak memory
(the largest resident set of the process and the processes it waited for, from
`wait4`) is kept beside the time. A failing command becomes a row with an
error, never an exception: the benchmark never fails.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# A run's command and working folder; called with the run number before the run, untimed.
Prepare = Callable[[int], tuple[Sequence[str], Path]]


@dataclass
class Row:
    """One timed case: a tool doing one job, with its run times in seconds."""

    group: str
    case: str
    tool: str
    command: str = ""
    times: list[float] = field(default_factory=list)
    peak_rss_kb: list[int] = field(default_factory=list)  # per timed run, from wait4's rusage
    cpu_times: list[float] = field(default_factory=list)  # user + system seconds per timed run
    reference: bool = False  # the scaffold row of its group, which the ratios divide by
    ratio: float | None = None
    note: str = ""
    error: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def cpu_median(self) -> float | None:
        """Median CPU seconds (user + system, all processes): steadier than wall time under load."""
        return statistics.median(self.cpu_times) if self.cpu_times else None

    @property
    def peak_rss_mb(self) -> float | None:
        """The highest peak resident memory of the timed runs, in MiB."""
        return max(self.peak_rss_kb) / 1024 if self.peak_rss_kb else None

    def as_json(self) -> dict[str, Any]:
        fields = asdict(self)
        fields["median_s"] = self.median
        fields["min_s"] = min(self.times) if self.times else None
        fields["peak_rss_mb"] = self.peak_rss_mb
        fields["cpu_median_s"] = self.cpu_median
        return fields


def measure(
    row: Row,
    prepare: Prepare | None,
    env: dict[str, str],
    *,
    runs: int,
    warmup: int,
    ok_exit_codes: Sequence[int] = (0,),
    shown_root: Path | None = None,
) -> Row:
    """Fill `row.times` with `runs` timings of the command `prepare` gives, after `warmup` runs.

    `prepare` None means the tool is not installed; the row says so.
    """
    if prepare is None:
        row.error = row.error or f"{row.tool} is not installed"
        return row
    try:
        for number in range(warmup + runs):
            command, cwd = prepare(number)
            row.command = _shown(command, shown_root)
            run = run_measured(command, cwd, env)
            if run.exit_code not in ok_exit_codes:
                lines = run.stderr.strip().splitlines()
                detail = lines[-1] if lines else ""
                row.error = f"exit code {run.exit_code}: {detail}"[:300]
                return row
            if number >= warmup:
                row.times.append(run.wall_s)
                row.cpu_times.append(run.cpu_s)
                row.peak_rss_kb.append(run.peak_rss_kb)
    except Exception as error:  # the benchmark reports a broken case and carries on
        row.error = f"{type(error).__name__}: {error}"[:300]
    return row


@dataclass(frozen=True)
class Run:
    """What one run of a command cost."""

    exit_code: int
    wall_s: float
    cpu_s: float  # user + system time of the process and the processes it waited for
    peak_rss_kb: int  # Linux: the largest resident set among those processes
    stderr: str


def run_measured(command: Sequence[str], cwd: Path, env: dict[str, str]) -> Run:
    """Run `command` once and measure it.

    stderr goes to a file, not a pipe, so the process is reaped by `os.wait4` alone
    and the rusage it returns is this command's.
    """
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=stderr
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        text = stderr.read().decode(errors="replace")
    return Run(process.returncode, elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, text)


def _shown(command: Sequence[str], root: Path | None) -> str:
    """The command as text: the program by name, the run's temporary folder as `$TMP`."""
    program, *arguments = (str(part) for part in command)
    text = " ".join([Path(program).name, *arguments])
    return text.replace(str(root), "$TMP") if root is not None else text
