"""The `scaffold` console script: install signal handling first, then load and run the CLI.

Importing the CLI takes tens of milliseconds; a Ctrl-C in that window must print the
interrupted line, not a traceback. So this module imports only `scaffold.interrupts` before
it handles signals, and the CLI (click and the rest) after.
"""

from __future__ import annotations

import sys

from scaffold.interrupts import INTERRUPTED_EXIT_CODE, report_interrupt, stop_on_signals


def main() -> None:
    """Entry point of the `scaffold` command and of `python -m scaffold`."""
    stop_on_signals()
    try:
        from scaffold.cli import main as cli_main

        cli_main(prog_name="scaffold")
    except KeyboardInterrupt:  # before click took over, or while it was exiting
        report_interrupt()
        sys.exit(INTERRUPTED_EXIT_CODE)
