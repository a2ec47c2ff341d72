"""What stops scaffold from outside: signals become KeyboardInterrupt, reported in one line.

SIGTERM and SIGHUP (the terminal closed) raise KeyboardInterrupt like Ctrl-C does, so every
`finally` that puts things back runs. This module only installs handlers and prints the
interrupted line; it imports nothing heavy, so the console script can load it first.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

INTERRUPTED_EXIT_CODE = 130
INTERRUPTED_MESSAGE = "interrupted: stopped before finishing; anything half-written was put back"
STOPPING_SIGNALS = ("SIGTERM", "SIGHUP")


def raise_interrupt(signum: int, frame: object) -> None:
    """Signal handler: stop the way Ctrl-C does, so clean-up code runs."""
    raise KeyboardInterrupt


def stop_on_signals() -> None:
    """SIGTERM and SIGHUP raise KeyboardInterrupt from here on (SIGINT already does)."""
    for name in STOPPING_SIGNALS:
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, raise_interrupt)


def report_interrupt() -> None:
    """Print the interrupted line; a terminal that is gone (SIGHUP) is not an error."""
    try:
        sys.stderr.write(f"{INTERRUPTED_MESSAGE}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def silence_stdout() -> None:
    """The reader of stdout went away (`| head`): send what is left to /dev/null.

    Python would otherwise report EPIPE again when it flushes stdout at exit.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


@contextmanager
def deferred_interrupts() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP until the block ends; they are delivered after it.

    For clean-up that must finish once begun (removing a scratch folder): an interrupt in
    the middle would leave half of it behind.
    """
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
