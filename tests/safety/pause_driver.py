"""Run the scaffold CLI with a pause (or a failure) injected at one named point.

Used by test_interrupts.py: `python pause_driver.py POINT ACTION MARKER -- scaffold-args...`.
At POINT the driver writes MARKER, then pauses (ACTION `pause`, so the test
can send a signal), raises OSError (ACTION `fail`) or sends itself SIGINT and
goes on (ACTION `signal`). Not a test module.
"""

from __future__ import annotations

import os
import pathlib
import signal
import sys
import time
from collections.abc import Callable
from typing import Any

PAUSE_SECONDS = 120


def reach(point: str, action: str, marker: str) -> None:
    pathlib.Path(marker).write_text(point, encoding="utf-8")
    if action == "fail":
        raise OSError(28, "No space left on device (injected)", "disk")
    if action == "signal":
        os.kill(os.getpid(), signal.SIGINT)
        return
    time.sleep(PAUSE_SECONDS)


def wrapped(original: Callable[..., Any], before: Callable[..., None]) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        before(*args, **kwargs)
        return original(*args, **kwargs)

    return call


def install(point: str, action: str, marker: str) -> None:
    import shutil

    import scaffold.commands.new as new_command
    import scaffold.commands.update as update_command
    import scaffold.git.repository as vcs

    def stop(*args: Any, **kwargs: Any) -> None:
        reach(point, action, marker)

    if point == "new-after-render":
        render = new_command.render_template

        def render_then_stop(*args: Any, **kwargs: Any) -> Any:
            rendered = render(*args, **kwargs)
            stop()
            return rendered

        new_command.render_template = render_then_stop
    elif point == "new-git-commit":
        vcs.run_git = wrapped(vcs.run_git, lambda _p, *a, **k: a[0] == "commit" and stop())
    elif point == "new-before-move":
        os.replace = wrapped(os.replace, stop)
    elif point == "update-after-merge":
        update_command._apply_to_project = wrapped(update_command._apply_to_project, stop)
    elif point.startswith("update-write-"):  # before the Nth file written into the project
        limit = int(point.rsplit("-", 1)[1])
        project = pathlib.Path(os.environ["SCAFFOLD_TEST_PROJECT"]).resolve()
        from scaffold.render.project_writer import ProjectWriter

        write = ProjectWriter.write
        writes = []

        def counted(self: ProjectWriter, relative: str, *args: Any, **kwargs: Any) -> None:
            if self.root == project:  # every write into a project goes through ProjectWriter
                writes.append(relative)
                if len(writes) == limit:
                    stop()
            return write(self, relative, *args, **kwargs)

        ProjectWriter.write = counted  # type: ignore[method-assign]
    elif point.startswith("cleanup-"):  # before removing the scratch folder named PREFIX*
        prefix = point.removeprefix("cleanup-")
        shutil.rmtree = wrapped(  # type: ignore[assignment]
            shutil.rmtree,
            lambda path, *a, **k: pathlib.Path(path).name.startswith(prefix) and stop(),
        )
    elif point == "update-ref-move":
        update_command.move_pristine_ref = wrapped(update_command.move_pristine_ref, stop)
    else:
        raise SystemExit(f"unknown point {point}")


if __name__ == "__main__":
    point_name, action_name, marker_path, separator, *scaffold_args = sys.argv[1:]
    assert separator == "--"
    signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal
    install(point_name, action_name, marker_path)
    from scaffold.cli import main

    main(scaffold_args, prog_name="scaffold")
