"""Run one function over every fleet entry, in parallel worker processes, each failure contained.

Worker processes, not threads: copier changes the working directory while it
renders. A project that raises is turned into a `failed` outcome with a
redacted one-line error, and the others go on. Results keep the fleet order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from typing import Any

from scaffold.errors import ScaffoldError
from scaffold.fleet.listing import FleetEntry
from scaffold.fleet.progress import Progress
from scaffold.fleet.results import ProjectOutcome, State
from scaffold.fleet.safety import redact

Task = Callable[[FleetEntry, Any], ProjectOutcome]


def run_over_fleet(
    task: Task, entries: Sequence[FleetEntry], settings: Any, jobs: int, progress: Progress
) -> list[ProjectOutcome]:
    """`task(entry, settings)` for each entry (`settings` must pickle); outcomes in entry order."""
    outcomes: dict[int, ProjectOutcome] = {}
    if jobs <= 1 or len(entries) <= 1:
        for index, entry in enumerate(entries):
            outcomes[index] = contained(task, entry, settings)
            progress.finished(outcomes[index])
    else:
        with ProcessPoolExecutor(max_workers=min(jobs, len(entries))) as pool:
            futures: dict[Future[ProjectOutcome], int] = {
                pool.submit(contained, task, entry, settings): index
                for index, entry in enumerate(entries)
            }
            for future in as_completed(futures):
                outcomes[futures[future]] = future.result()
                progress.finished(outcomes[futures[future]])
    progress.close()
    return [outcomes[index] for index in range(len(entries))]


def contained(task: Task, entry: FleetEntry, settings: Any) -> ProjectOutcome:
    """`task(entry, settings)`, with any failure of that one project turned into its outcome."""
    try:
        return task(entry, settings)
    except ScaffoldError as error:
        message = error.one_line()
    except Exception as error:  # one broken repository must not stop the fleet
        message = f"{type(error).__name__}: {error}"
    return ProjectOutcome(
        entry.name, redact(entry.location), State.FAILED, error=redact(" ".join(message.split()))
    )
