"""Running a task over a fleet: failures stay with their project, progress is shown per project."""

from __future__ import annotations

import io
import os
from pathlib import Path

from scaffold.errors import ScaffoldError
from scaffold.fleet.cache import fetch_clone
from scaffold.fleet.listing import FleetEntry
from scaffold.fleet.progress import Progress
from scaffold.fleet.results import ProjectOutcome, State
from scaffold.fleet.runner import run_over_fleet
from tests.helpers import build_file_tree, commit_all

SECRET = "glpat-RunnerSecret0123456789"


def _task(entry: FleetEntry, settings: str) -> ProjectOutcome:
    if entry.name == "broken":
        raise RuntimeError(f"boom with {os.environ.get('RUNNER_TEST_TOKEN')}")
    if entry.name == "refused":
        raise ScaffoldError("refused value", "fix it")
    return ProjectOutcome(entry.name, entry.location, State.CURRENT, version=settings)


ENTRIES = [FleetEntry(f"/srv/git/{name}") for name in ("one", "broken", "refused", "two")]


def test_failures_become_outcomes_and_the_rest_go_on(monkeypatch) -> None:
    monkeypatch.setenv("RUNNER_TEST_TOKEN", SECRET)
    stream = io.StringIO()
    outcomes = run_over_fleet(_task, ENTRIES, "1.0", 2, Progress(stream, 4, bar=False))
    assert [outcome.name for outcome in outcomes] == ["one", "broken", "refused", "two"]
    assert [outcome.state for outcome in outcomes] == [
        State.CURRENT, State.FAILED, State.FAILED, State.CURRENT,
    ]  # fmt: skip
    assert outcomes[1].error == "RuntimeError: boom with ***"
    assert outcomes[2].error == "refused value (fix it)"
    assert outcomes[3].version == "1.0"
    lines = stream.getvalue().splitlines()
    assert len(lines) == 4 and all(
        line.startswith(("[1/4]", "[2/4]", "[3/4]", "[4/4]")) for line in lines
    )
    assert SECRET not in stream.getvalue()


def test_progress_bar_redraws_one_line_on_a_terminal() -> None:
    stream = io.StringIO()
    progress = Progress(stream, 2, bar=True)
    for name in ("one", "two"):
        progress.finished(ProjectOutcome(name, f"/srv/{name}", State.CURRENT))
    progress.close()
    text = stream.getvalue()
    assert text.count("\r") == 2 and text.endswith("\n") and text.count("\n") == 1
    assert "2/2 two: current" in text and "#" * 28 in text


def test_a_clone_left_broken_by_an_interrupted_run_is_cloned_again(tmp_path: Path) -> None:
    repository = build_file_tree(tmp_path / "repo", {"README.md": "hello\n"})
    commit_all(repository, "first")
    entry = FleetEntry(str(repository))
    cache = tmp_path / "cache"
    clone = fetch_clone(entry, cache)
    (clone.path / ".git" / "HEAD").write_text("garbage\n")  # as if killed mid-write
    (clone.path / ".git" / "objects" / "pack").rename(clone.path / ".git" / "lost-pack")
    again = fetch_clone(entry, cache)
    assert (again.path / "README.md").read_text() == "hello\n"
    assert again.default_branch == "main"
