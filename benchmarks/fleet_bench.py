"""Fleet benchmarks: `scaffold fleet status` and `check` of many local repositories, and
`scaffold fleet update` of projects from local bare remotes, with the time per project.

The repositories are hard-linked copies of one generated project (a small
copier template at v1.0.0; v2.0.0 exists, so every project is outdated). The
clone cache starts empty for each timed status run, so clones are included.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from peer_templates import V1, write_two_version_repos
from timing import Row

FLEET_FILE_COUNT = 10  # files per project: a fleet benchmark, not a rendering one


def bench_fleet(
    bench: Any, link: Callable[[str, str], None], why: Callable[[Exception], str]
) -> None:
    """Rows for fleet status and check of `fleet_projects`, update of `fleet_update_projects`."""
    settings = bench.settings
    group = f"fleet (--jobs {settings.check_jobs})"
    root = bench.work / "fleet"
    try:
        template, _ = write_two_version_repos(root / "templates", FLEET_FILE_COUNT, bench.env)
        seed = root / "seed"
        bench.run_untimed(
            bench.command("scaffold", "new", seed, "-t", template, "--vcs-ref", V1, "--defaults")
        )
    except (subprocess.CalledProcessError, OSError) as error:
        bench.rows.append(
            Row(group, "scaffold fleet", "scaffold", error=f"setup failed: {why(error)}")
        )
        return
    jobs = str(settings.check_jobs)
    org_config = root / "org.yaml"  # the fleet's template is a local folder: the org must name it
    org_config.write_text(f"template:\n  source: {template}\n", encoding="utf-8")
    shared = ("--org-config", org_config, "-j", jobs)
    count = settings.fleet_projects
    repositories = root / "repositories"
    for number in range(count):
        shutil.copytree(seed, repositories / f"p{number:04}", symlinks=True, copy_function=link)
    cache = root / "cache"

    def cold_status(_: int) -> tuple[list[str], Path]:
        shutil.rmtree(cache, ignore_errors=True)
        return bench.command(
            "scaffold", "fleet", "status", "--recursive", repositories, "--cache", cache, *shared
        ), root

    def warm_check(_: int) -> tuple[list[str], Path]:
        return bench.command(
            "scaffold", "fleet", "check", "--recursive", repositories, "--cache", cache, *shared
        ), root

    for case, prepare in (
        (f"scaffold fleet status, {count} projects (cold cache)", cold_status),
        (f"scaffold fleet check, {count} projects (warm cache)", warm_check),
    ):
        reference = case.startswith("scaffold fleet status")
        row = bench.time(group, case, "scaffold", prepare, runs=settings.check_runs,
                         reference=reference, ok_exit_codes=(0, 1))  # fmt: skip
        _per_project(row, count)
    shutil.rmtree(repositories, ignore_errors=True)

    updates = settings.fleet_update_projects
    remotes = root / "remotes"
    fleet_file = root / "fleet.txt"
    for number in range(updates):
        bench.run_untimed(
            ["git", "clone", "--quiet", "--mirror", str(seed), str(remotes / f"p{number:03}.git")]
        )
    fleet_file.write_text("".join(f"remotes/p{number:03}.git\n" for number in range(updates)))

    def fresh_update(_: int) -> tuple[list[str], Path]:
        shutil.rmtree(cache, ignore_errors=True)
        for remote in remotes.iterdir():  # drop the branch an earlier run pushed
            subprocess.run(
                ["git", "update-ref", "-d", "refs/heads/scaffold/update-v2.0.0"],
                cwd=remote, env=bench.env, check=False, capture_output=True,
            )  # fmt: skip
        return bench.command(
            "scaffold", "fleet", "update", "--fleet", fleet_file, "--cache", cache, *shared
        ), root

    row = bench.time(group, f"scaffold fleet update, {updates} bare remotes", "scaffold",
                     fresh_update, runs=settings.check_runs)  # fmt: skip
    _per_project(row, updates)
    if not row.error:
        pushed = subprocess.run(
            ["git", "for-each-ref", "refs/heads/scaffold/"], cwd=remotes / "p000.git",
            capture_output=True, text=True, check=False,
        ).stdout  # fmt: skip
        row.note += "; branch pushed" if "update-v2.0.0" in pushed else "; NO BRANCH PUSHED"
    shutil.rmtree(root, ignore_errors=True)


def _per_project(row: Row, count: int) -> None:
    if row.median is not None:
        row.note = f"{row.median / count * 1000:.1f} ms/project"
