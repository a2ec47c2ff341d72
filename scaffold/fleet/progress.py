"""Progress of a fleet command: a bar on a terminal, one line per project otherwise.

Writes to the stream it is given (stderr in the CLI), so stdout stays the
result. Knows nothing about what a project state means beyond its text.
"""

from __future__ import annotations

import shutil
from typing import TextIO

from scaffold.fleet.results import ProjectOutcome

BAR_WIDTH = 28


class Progress:
    """Reports each finished project to `stream`: redrawn bar (tty) or appended lines."""

    def __init__(self, stream: TextIO | None, total: int, *, bar: bool) -> None:
        self.stream, self.total, self.bar, self.done = stream, total, bar, 0

    def finished(self, outcome: ProjectOutcome) -> None:
        """Count `outcome` and show it."""
        self.done += 1
        if self.stream is None:
            return
        detail = f": {outcome.error}" if outcome.error else ""
        if not self.bar:
            line = f"[{self.done}/{self.total}] {outcome.name}: {outcome.state.value}{detail}"
            self.stream.write(line + "\n")
        else:
            filled = BAR_WIDTH * self.done // max(self.total, 1)
            width = shutil.get_terminal_size((80, 20)).columns
            text = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {self.done}/{self.total} "
            text += f"{outcome.name}: {outcome.state.value}"
            self.stream.write("\r" + text[: width - 1].ljust(width - 1))
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line."""
        if self.stream is not None and self.bar and self.done:
            self.stream.write("\n")
            self.stream.flush()
