"""Time commands as separate processes: warm-up runs, then the median of timed runs.

Each run may prepare its own fresh input first (a destination folder, a copy
of a project to update); only the command itself is timed. A failing command
becomes a row with an error, never an exception: the benchmark never fails.
"""

from __future__ import annotations

import statistics
import subprocess
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
    reference: bool = False  # the scaffold row of its group, which the ratios divide by
    ratio: float | None = None
    note: str = ""
    error: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    def as_json(self) -> dict[str, Any]:
        fields = asdict(self)
        fields["median_s"] = self.median
        fields["min_s"] = min(self.times) if self.times else None
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
            started = time.perf_counter()
            completed = subprocess.run(
                list(command), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
            elapsed = time.perf_counter() - started
            if completed.returncode not in ok_exit_codes:
                lines = completed.stderr.decode(errors="replace").strip().splitlines()
                detail = lines[-1] if lines else ""
                row.error = f"exit code {completed.returncode}: {detail}"[:300]
                return row
            if number >= warmup:
                row.times.append(elapsed)
    except Exception as error:  # the benchmark reports a broken case and carries on
        row.error = f"{type(error).__name__}: {error}"[:300]
    return row


def _shown(command: Sequence[str], root: Path | None) -> str:
    """The command as text: the program by name, the run's temporary folder as `$TMP`."""
    program, *arguments = (str(part) for part in command)
    text = " ".join([Path(program).name, *arguments])
    return text.replace(str(root), "$TMP") if root is not None else text
