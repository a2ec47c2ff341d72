"""`scaffold fleet update` over 50 bare remotes: dry run, update, re-run, and what is pushed.

The expensive runs happen once per module (one fixture each, in order) on a
copy of the session's fleet; each test pins one behaviour of those runs.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from scaffold.commands.fleet import run_fleet
from scaffold.fleet.results import FleetResult, State
from tests.fleet.fleet_builder import (
    HOSTILE_MARKER,
    RUNNER_SECRET,
    VERSIONS,
    Fleet,
    copy_fleet,
    remote_refs,
)
from tests.helpers import git

pytestmark = pytest.mark.slow
BRANCH = f"refs/heads/scaffold/update-{VERSIONS[-1]}"


@dataclass
class Run:
    result: FleetResult
    refs_before: dict[str, dict[str, str]]
    refs_after: dict[str, dict[str, str]]

    def state_of(self, name: str) -> State:
        return next(project.state for project in self.result.projects if project.name == name)


def _run(fleet: Fleet, cache: Path, **options: object) -> Run:
    before = remote_refs(fleet)
    result = run_fleet(
        "update", org=fleet.org, fleet_file=fleet.fleet_file, cache=cache, jobs=2, **options
    )
    return Run(result, before, remote_refs(fleet))


@pytest.fixture(scope="module")
def fleet(built_fleet: Fleet, tmp_path_factory: pytest.TempPathFactory) -> Fleet:
    return copy_fleet(built_fleet, tmp_path_factory.mktemp("fleet-update"))


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fleet-cache")


@pytest.fixture(scope="module")
def dry_run(fleet: Fleet, cache: Path) -> Run:
    return _run(fleet, cache, dry_run=True)


@pytest.fixture(scope="module")
def first_update(fleet: Fleet, cache: Path, dry_run: Run) -> Run:
    return _run(fleet, cache)


@pytest.fixture(scope="module")
def second_update(fleet: Fleet, cache: Path, first_update: Run) -> Run:
    return _run(fleet, cache)


def test_dry_run_pushes_nothing_and_predicts_conflicts(dry_run: Run, fleet: Fleet) -> None:
    assert dry_run.refs_after == dry_run.refs_before
    for name in fleet.outdated():
        expected = State.WOULD_CONFLICT if name in fleet.conflicted else State.WOULD_UPDATE
        assert dry_run.state_of(name) is expected, name
    assert dry_run.result.exit_code == 1  # conflicts ahead


def test_update_pushes_one_branch_to_each_outdated_project_and_nothing_else(
    first_update: Run, fleet: Fleet
) -> None:
    for name in fleet.remotes:
        before, after = first_update.refs_before[name], first_update.refs_after[name]
        added = set(after) - set(before)
        if name in fleet.outdated():
            assert added == {BRANCH}, name
        else:
            assert added == set(), name
        changed = {ref for ref in before if after.get(ref) != before[ref]}
        assert changed == set(), f"{name}: existing refs moved: {changed}"


def test_update_states_and_exit_code(first_update: Run, fleet: Fleet) -> None:
    for name in fleet.outdated():
        expected = State.CONFLICTED if name in fleet.conflicted else State.UPDATED
        assert first_update.state_of(name) is expected, name
    for name, version in fleet.version_of.items():
        if version == VERSIONS[-1]:
            assert first_update.state_of(name) is State.CURRENT
    assert first_update.state_of(fleet.not_a_project) is State.NOT_A_PROJECT
    assert first_update.state_of(fleet.unreachable) is State.FAILED
    assert first_update.result.exit_code == 1


def test_update_branch_keeps_user_edit_and_brings_the_new_version(
    first_update: Run, fleet: Fleet
) -> None:
    name = sorted(fleet.edited)[0]
    remote = fleet.remotes[name]
    readme = git(remote, "show", f"{BRANCH}:README.md")
    assert "line 3 (ours)" in readme
    assert f"template release {VERSIONS[-1]}" in readme
    answers = git(remote, "show", f"{BRANCH}:.copier-answers.yml")
    assert f"_commit: {VERSIONS[-1]}" in answers
    parent = git(remote, "rev-parse", f"{BRANCH}^").strip()
    assert parent == first_update.refs_before[name]["refs/heads/main"]


def test_update_commits_conflicts_with_markers_and_names_them(
    first_update: Run, fleet: Fleet
) -> None:
    name = sorted(fleet.conflicted)[0]
    remote = fleet.remotes[name]
    settings = git(remote, "show", f"{BRANCH}:settings.cfg")
    assert "<<<<<<< yours" in settings and ">>>>>>> template (new)" in settings
    message = git(remote, "log", "-1", "--format=%B", BRANCH)
    assert "Conflicts, committed with markers" in message and "settings.cfg" in message
    outcome = next(p for p in first_update.result.projects if p.name == name)
    assert outcome.conflicts == ("settings.cfg",)


def test_second_update_is_a_no_op(second_update: Run, fleet: Fleet) -> None:
    assert second_update.refs_after == second_update.refs_before
    for name in fleet.outdated():
        assert second_update.state_of(name) is State.UNCHANGED, name
    assert second_update.result.exit_code == 1  # the conflicts are still there to resolve


def test_update_after_default_branch_moves_refreshes_the_same_branch(
    second_update: Run, fleet: Fleet, cache: Path
) -> None:
    name = sorted(fleet.outdated() - fleet.conflicted)[0]
    remote = fleet.remotes[name]
    work = fleet.root / "moving"
    git(fleet.root, "clone", "-q", str(remote), str(work))
    (work / "NOTES.md").write_text("a new commit on main\n")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "notes")
    git(work, "push", "-q", "origin", "HEAD:main")
    main = git(remote, "rev-parse", "main").strip()
    one_project = fleet.root / "one.txt"
    one_project.write_text(f"{remote}\n")

    result = run_fleet("update", org=fleet.org, fleet_file=one_project, cache=cache, jobs=1)

    outcome = next(p for p in result.projects if p.name == name)
    assert outcome.state is State.UPDATED
    assert git(remote, "rev-parse", f"{BRANCH}^").strip() == main
    assert git(remote, "rev-parse", "main").strip() == main
    branches = git(remote, "for-each-ref", "--format=%(refname)", "refs/heads/scaffold/")
    assert branches.split() == [BRANCH]


def test_hostile_repository_runs_nothing_and_is_reported(first_update: Run, fleet: Fleet) -> None:
    outcome = next(p for p in first_update.result.projects if p.name == fleet.hostile)
    assert outcome.state is State.FAILED
    assert "starts with '-'" in outcome.error
    assert not (fleet.root / HOSTILE_MARKER).exists()
    assert not (fleet.root.parent / HOSTILE_MARKER).exists()
    assert first_update.refs_after[fleet.hostile] == first_update.refs_before[fleet.hostile]


def test_repository_naming_a_runner_folder_as_template_gets_nothing_from_it(
    first_update: Run, fleet: Fleet
) -> None:
    outcome = next(p for p in first_update.result.projects if p.name == fleet.exfiltrator)
    assert outcome.state is State.FAILED
    assert "folder on this machine the org config does not name" in outcome.error
    remote = fleet.remotes[fleet.exfiltrator]
    assert first_update.refs_after[fleet.exfiltrator] == first_update.refs_before[fleet.exfiltrator]
    objects = subprocess.run(
        ["git", "cat-file", "--batch-all-objects", "--batch"], cwd=remote, capture_output=True,
        check=True,
    ).stdout  # fmt: skip
    assert b"exfiltrate" in objects  # the repository's own commit is there, uncompressed
    assert RUNNER_SECRET.encode() not in objects


def test_cache_clones_hold_no_symlinks(first_update: Run, cache: Path) -> None:
    symlinks = [path for path in cache.rglob("*") if path.is_symlink()]
    assert symlinks == []
    hostile_clone = next(cache.glob("hostile-*"))
    assert (hostile_clone / "escape").is_file()  # checked out as a plain file, not followed
