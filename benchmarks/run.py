"""Benchmark scaffold against copier, cookiecutter and cruft on this machine, in one run.

    .venv/bin/python benchmarks/run.py [--quick] [--output benchmarks/results/latest.json]

Times process start, `new`, `update` and `check` as a user runs them (separate
processes, warm-up first, median of several runs), prints a table with ratios
and the targets met or missed, and writes it as JSON. Every template and
project is generated in a temporary folder, offline. It exits 0 whatever it
measures: a missing tool or a failing case becomes a row with an error.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from fleet_bench import bench_fleet
from peer_templates import (
    V1,
    apply_user_edit,
    commit_all,
    project_files,
    update_was_merged,
    write_cookiecutter_template,
    write_copier_template,
    write_two_version_repos,
)
from timing import Prepare, Row, measure

REPO = Path(__file__).resolve().parent.parent
BUILTIN_TEMPLATE = REPO / "templates" / "mlops"
DEFAULT_OUTPUT = REPO / "benchmarks" / "results" / "latest.json"
# Variables that would make the runs depend on the developer's setup rather than the tools.
DROPPED_VARIABLES = ("PYTHONDONTWRITEBYTECODE", "SCAFFOLD_ORG_CONFIG", "GIT_DIR", "GIT_WORK_TREE")
HELP_LIMIT_S = 0.150
CHECK_LIMIT_S = 10.0
CHECK_TARGET_COUNT = 1000


@dataclass(frozen=True)
class Settings:
    """How much to measure: runs per case and the sizes of the inputs."""

    startup_runs: int = 10
    runs: int = 5
    warmup: int = 1
    large_files: int = 300
    update_files: int = 50
    check_counts: tuple[int, ...] = (1, 100, CHECK_TARGET_COUNT)
    check_runs: int = 3
    check_jobs: int = 2
    fleet_projects: int = 1000
    fleet_update_projects: int = 50


QUICK = Settings(
    startup_runs=1,
    runs=1,
    warmup=0,
    large_files=30,
    update_files=10,
    check_counts=(1, 3),
    check_runs=1,
    fleet_projects=3,
    fleet_update_projects=2,
)


@dataclass(frozen=True)
class Target:
    """A goal from the issue, judged on the measured rows."""

    name: str
    value: str
    met: bool | None  # None: not measured in this run

    @property
    def verdict(self) -> str:
        return {True: "PASS", False: "MISS", None: "n/a"}[self.met]


class Bench:
    """The tools, the isolated environment and the scratch folder of one benchmark run."""

    def __init__(self, work: Path, settings: Settings) -> None:
        self.work = work
        self.settings = settings
        self.rows: list[Row] = []
        self.env = isolated_environment(work)
        scaffold = program("scaffold")
        self.tools: dict[str, list[str] | None] = {
            "scaffold": [scaffold] if scaffold else [sys.executable, "-m", "scaffold"],
            **{name: [path] if (path := program(name)) else None for name in PEERS},
        }

    def time(
        self,
        group: str,
        case: str,
        tool: str,
        prepare: Prepare | None,
        *,
        runs: int | None = None,
        reference: bool = False,
        ok_exit_codes: Sequence[int] = (0,),
    ) -> Row:
        """Measure one case and keep its row."""
        progress(f"{group}: {case}")
        row = Row(group, case, tool, reference=reference)
        if self.tools.get(tool) is None:
            prepare = None
        measure(
            row,
            prepare,
            self.env,
            runs=runs or self.settings.runs,
            warmup=self.settings.warmup,
            ok_exit_codes=ok_exit_codes,
            shown_root=self.work,
        )
        self.rows.append(row)
        return row

    def command(self, tool: str, *arguments: str | Path) -> list[str]:
        return [*(self.tools[tool] or [tool]), *(str(argument) for argument in arguments)]

    def fresh(self, name: str) -> Path:
        """A new, not yet existing path under the scratch folder for one run's output."""
        folder = self.work / "runs"
        folder.mkdir(exist_ok=True)
        path = folder / name
        shutil.rmtree(path, ignore_errors=True)
        return path

    def run_untimed(self, command: Sequence[str], cwd: Path | None = None) -> None:
        """A setup step; raises CalledProcessError with git's or the tool's output."""
        subprocess.run(command, cwd=cwd or self.work, env=self.env, check=True, capture_output=True)

    def clear_runs(self) -> None:
        shutil.rmtree(self.work / "runs", ignore_errors=True)


PEERS = ("copier", "cookiecutter", "cruft")


def bench_startup(bench: Bench) -> None:
    group = "startup (cold process)"
    runs = bench.settings.startup_runs
    cases = [
        ("scaffold --help", "scaffold", "--help"),
        ("scaffold --version", "scaffold", "--version"),
        ("copier --help", "copier", "--help"),
        ("cookiecutter --help", "cookiecutter", "--help"),
        ("cruft --help", "cruft", "--help"),
    ]
    for case, tool, flag in cases:
        bench.time(
            group,
            case,
            tool,
            lambda _, tool=tool, flag=flag: (bench.command(tool, flag), bench.work),
            runs=runs,
            reference=case == "scaffold --help",
        )


def bench_new_builtin(bench: Bench) -> None:
    group = "new: built-in mlops template"
    cases: list[tuple[str, str, Callable[[Path], list[str]], bool]] = [
        (
            "scaffold new",
            "scaffold",
            lambda d: bench.command("scaffold", "new", d, "--defaults"),
            True,
        ),
        (
            "scaffold new --no-git",
            "scaffold",
            lambda d: bench.command("scaffold", "new", d, "--defaults", "--no-git"),
            False,
        ),
        (
            "copier copy",
            "copier",
            lambda d: bench.command(
                "copier", "copy", "--trust", "--defaults", "--quiet", BUILTIN_TEMPLATE, d
            ),
            False,
        ),
    ]
    for case, tool, command, reference in cases:
        row = bench.time(group, case, tool, _into_fresh(bench, case, command), reference=reference)
        last = (
            bench.work / "runs" / f"{_slug(case)}-{bench.settings.warmup + bench.settings.runs - 1}"
        )
        if not row.error and last.is_dir():
            row.note = f"{_count_files(last)} files"
    bench.clear_runs()


def bench_new_synthetic(bench: Bench, file_count: int) -> None:
    files = project_files(file_count)
    copier_template = write_copier_template(bench.work / f"copier-{file_count}", files)
    cookiecutter_template = write_cookiecutter_template(bench.work / f"cc-{file_count}", files)
    group = f"new: generated template, {len(files)} files"
    cases: list[tuple[str, str, Callable[[Path], list[str]], bool]] = [
        (
            "scaffold new",
            "scaffold",
            lambda d: bench.command("scaffold", "new", d, "-t", copier_template, "--defaults"),
            True,
        ),
        (
            "scaffold new --no-git",
            "scaffold",
            lambda d: bench.command(
                "scaffold", "new", d, "-t", copier_template, "--defaults", "--no-git"
            ),
            False,
        ),
        (
            "copier copy",
            "copier",
            lambda d: bench.command("copier", "copy", "--defaults", "--quiet", copier_template, d),
            False,
        ),
        (
            "cookiecutter --no-input",
            "cookiecutter",
            lambda d: bench.command(
                "cookiecutter", "--no-input", "--output-dir", d, cookiecutter_template
            ),
            False,
        ),
        (
            "scaffold new (cookiecutter template) --no-git",
            "scaffold",
            lambda d: bench.command(
                "scaffold", "new", d, "-t", cookiecutter_template, "--defaults", "--no-git"
            ),
            False,
        ),
    ]
    for case, tool, command, reference in cases:
        bench.time(group, case, tool, _into_fresh(bench, case, command), reference=reference)
    bench.clear_runs()


def bench_update(bench: Bench) -> None:
    group = "update: v1 -> v2 with a user edit"
    copier_repo, cookiecutter_repo = write_two_version_repos(
        bench.work / "update-templates", bench.settings.update_files, bench.env
    )
    bases = bench.work / "update-bases"
    bases.mkdir()

    def scaffold_base() -> Path:
        base = bases / "scaffold"
        bench.run_untimed(
            bench.command("scaffold", "new", base, "-t", copier_repo, "--vcs-ref", V1, "--defaults")
        )
        return base

    def copier_base() -> Path:
        base = bases / "copier"
        bench.run_untimed(
            bench.command(
                "copier", "copy", "--defaults", "--quiet", "--vcs-ref", V1, copier_repo, base
            )
        )
        commit_all(base, bench.env, "generated by copier")
        return base

    def cruft_base() -> Path:
        parent = bases / "cruft"
        bench.run_untimed(
            bench.command(
                "cruft",
                "create",
                "--no-input",
                "--checkout",
                V1,
                "--output-dir",
                parent,
                cookiecutter_repo,
            )  # fmt: skip
        )
        base = next(parent.iterdir())
        commit_all(base, bench.env, "generated by cruft")
        return base

    cases: list[tuple[str, str, Callable[[], Path], Callable[[Path], list[str]]]] = [
        ("scaffold update", "scaffold", scaffold_base,
         lambda p: bench.command("scaffold", "update", p, "--defaults")),
        ("copier update", "copier", copier_base,
         lambda p: bench.command("copier", "update", "--defaults", "--quiet", p)),
        ("cruft update", "cruft", cruft_base,
         lambda p: bench.command("cruft", "update", "--project-dir", p, "--skip-apply-ask")),
    ]  # fmt: skip
    for case, tool, make_base, command in cases:
        prepare = None
        if bench.tools.get(tool) is not None:
            try:
                base = make_base()
                apply_user_edit(base, bench.env)
                prepare = _copies_of(bench, base, case, command)
            except (subprocess.CalledProcessError, OSError, StopIteration) as error:
                bench.rows.append(Row(group, case, tool, error=f"setup failed: {_why(error)}"))
                continue
        row = bench.time(group, case, tool, prepare, reference=tool == "scaffold")
        runs = bench.work / "runs"
        last = sorted(runs.iterdir())[-1] if runs.is_dir() and any(runs.iterdir()) else None
        if not row.error and last is not None:
            row.note = "edit kept, change merged" if update_was_merged(last) else "MERGE WRONG"
        bench.clear_runs()


def bench_check(bench: Bench) -> None:
    group = f"check --recursive (--jobs {bench.settings.check_jobs})"
    source = bench.work / "check-source"
    try:
        bench.run_untimed(bench.command("scaffold", "new", source, "--defaults"))
    except subprocess.CalledProcessError as error:
        bench.rows.append(Row(group, "scaffold check", "scaffold", error=_why(error)))
        return
    for count in bench.settings.check_counts:
        folder = bench.work / f"check-{count}"
        progress(f"{group}: copying the project {count} times")
        for number in range(count):
            shutil.copytree(source, folder / f"p{number:04}", symlinks=True, copy_function=_link)
        row = bench.time(
            group,
            f"scaffold check, {count} project{'s' if count > 1 else ''}",
            "scaffold",
            lambda _, folder=folder: (
                bench.command(
                    "scaffold",
                    "check",
                    "--recursive",
                    folder,
                    "--jobs",
                    str(bench.settings.check_jobs),
                ),  # fmt: skip
                bench.work,
            ),
            runs=bench.settings.check_runs,
            reference=count == bench.settings.check_counts[0],
            ok_exit_codes=(0, 1),
        )
        if row.median is not None:
            row.note = f"{row.median / count * 1000:.1f} ms/project"
        shutil.rmtree(folder, ignore_errors=True)


def judge_targets(rows: list[Row], settings: Settings) -> list[Target]:
    """The issue's targets, from the rows of this run."""

    def find(group_start: str, case: str) -> Row | None:
        return next((r for r in rows if r.group.startswith(group_start) and r.case == case), None)

    targets = []
    help_row = find("startup", "scaffold --help")
    help_s = help_row.median if help_row else None
    targets.append(
        Target(
            f"scaffold --help under {HELP_LIMIT_S * 1000:.0f} ms",
            _seconds(help_s),
            None if help_s is None else help_s < HELP_LIMIT_S,
        )
    )
    for group_start, label in (
        ("new: built-in", "built-in mlops"),
        ("new: generated", "generated"),
    ):
        ours, theirs = find(group_start, "scaffold new"), find(group_start, "copier copy")
        if ours and theirs and ours.median and theirs.median:
            ratio = ours.median / theirs.median
            value, met = (
                f"{ratio:.2f}x copier ({_seconds(ours.median)} vs {_seconds(theirs.median)})",
                ratio <= 1.0,
            )
        else:
            value, met = "not measured", None
        targets.append(Target(f"scaffold new no slower than copier copy ({label})", value, met))
    check_row = find("check", f"scaffold check, {CHECK_TARGET_COUNT} projects")
    check_s = check_row.median if check_row else None
    targets.append(
        Target(
            f"scaffold check of {CHECK_TARGET_COUNT:,} projects under {CHECK_LIMIT_S:.0f} s "
            f"on {settings.check_jobs} cores",
            _seconds(check_s) if check_s is not None else "not measured",
            None if check_s is None else check_s < CHECK_LIMIT_S,
        )
    )
    return targets


def fill_ratios(rows: list[Row]) -> None:
    """Each row's median divided by its group's reference (scaffold) row."""
    references = {row.group: row.median for row in rows if row.reference and row.median}
    for row in rows:
        reference = references.get(row.group)
        if reference and row.median is not None:
            row.ratio = row.median / reference


def render_table(rows: list[Row], targets: list[Target]) -> str:
    lines = ["ratio = median / the group's first row (scaffold; for check: 1 project)", ""]
    header = f"{'case':<48} {'median':>9} {'min':>9} {'runs':>4} {'ratio':>7}  note"
    group = None
    for row in rows:
        if row.group != group:
            group = row.group
            lines += ["", group, header]
        if row.error:
            lines.append(f"  {row.case:<46} {'-':>9} {'-':>9} {0:>4} {'-':>7}  {row.error}")
            continue
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "-"
        minimum = min(row.times)
        lines.append(
            f"  {row.case:<46} {_seconds(row.median):>9} {_seconds(minimum):>9} "
            f"{len(row.times):>4} {ratio:>7}  {row.note}"
        )
    lines += ["", "targets"]
    lines += [f"  {target.verdict:<5} {target.name}: {target.value}" for target in targets]
    return "\n".join(lines) + "\n"


def machine() -> dict[str, Any]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_at_start": load,
    }


def tool_versions() -> dict[str, str]:
    versions = {}
    for distribution in ("scaffold-mlops", "copier", "cookiecutter", "cruft"):
        try:
            versions[distribution] = importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:
            versions[distribution] = "not installed"
    return versions


def isolated_environment(work: Path) -> dict[str, str]:
    """The environment of every timed process: a scratch HOME, a fixed git identity.

    Bytecode goes to a cache under the scratch folder, so the warm-up runs pay
    for compiling and the timed runs see what an installed tool sees.
    """
    home = work / "home"
    (home / ".config").mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if key not in DROPPED_VARIABLES}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        PYTHONPYCACHEPREFIX=str(work / "pycache"),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Bench",
        GIT_AUTHOR_EMAIL="bench@example.com",
        GIT_COMMITTER_NAME="Bench",
        GIT_COMMITTER_EMAIL="bench@example.com",
        NO_COLOR="1",
    )
    return env


def program(name: str) -> str | None:
    """The console script `name` next to this Python, else on PATH."""
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.is_file() else shutil.which(name)


def progress(message: str) -> None:
    print(f"benchmark: {message}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="One run each, tiny inputs (smoke).")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="JSON file to write.")
    parser.add_argument("--runs", type=int, help="Timed runs per new/update case.")
    parser.add_argument(
        "--check-counts", help="Comma-separated project counts for check (default 1,100,1000)."
    )
    parser.add_argument("--keep", action="store_true", help="Keep the scratch folder.")
    options = parser.parse_args(argv)

    settings = QUICK if options.quick else Settings()
    if options.runs:
        settings = Settings(**{**asdict(settings), "runs": options.runs})
    if options.check_counts:
        counts = tuple(int(part) for part in options.check_counts.split(",") if part.strip())
        settings = Settings(**{**asdict(settings), "check_counts": counts})

    work = Path(tempfile.mkdtemp(prefix="scaffold-bench-"))
    started = datetime.datetime.now(datetime.UTC)
    bench = Bench(work, settings)
    try:
        prewarm_bytecode(bench)
        for step in (
            bench_startup,
            bench_new_builtin,
            lambda b: bench_new_synthetic(b, settings.large_files),
            bench_update,
            bench_check,
            lambda b: bench_fleet(b, _link, _why),
        ):
            try:
                step(bench)
            except Exception as error:  # a broken scenario must not hide the others
                bench.rows.append(
                    Row("benchmark", getattr(step, "__name__", "step"), "-", error=_why(error))
                )
    finally:
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            progress(f"kept {work}")

    result_machine = machine()
    fill_ratios(bench.rows)
    targets = judge_targets(bench.rows, settings)
    load = result_machine["load_average_at_start"]
    print(f"{result_machine['cpus']} CPUs, load average at start: {load}", flush=True)
    print(render_table(bench.rows, targets), end="", flush=True)
    result = {
        "started": started.isoformat(timespec="seconds"),
        "machine": result_machine,
        "tools": tool_versions(),
        "settings": asdict(settings),
        "rows": [row.as_json() for row in bench.rows],
        "targets": [{**asdict(target), "verdict": target.verdict} for target in targets],
    }
    try:
        options.output.parent.mkdir(parents=True, exist_ok=True)
        options.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        progress(f"wrote {options.output}")
    except OSError as error:
        progress(f"could not write {options.output}: {error}")
    return 0


def prewarm_bytecode(bench: Bench) -> None:
    """Compile every tool's modules into the scratch bytecode cache once, untimed."""
    modules = (
        "scaffold.cli, scaffold.commands.new, scaffold.commands.check, copier, cookiecutter.main"
    )
    code = f"import {modules}\ntry:\n    import cruft\nexcept ImportError:\n    pass\n"
    with contextlib.suppress(subprocess.CalledProcessError):  # the timed runs report it
        bench.run_untimed([sys.executable, "-c", code])


def _into_fresh(bench: Bench, case: str, command: Callable[[Path], list[str]]) -> Prepare:
    def prepare(number: int) -> tuple[list[str], Path]:
        return command(bench.fresh(f"{_slug(case)}-{number}")), bench.work

    return prepare


def _copies_of(
    bench: Bench, base: Path, case: str, command: Callable[[Path], list[str]]
) -> Prepare:
    def prepare(number: int) -> tuple[list[str], Path]:
        project = bench.fresh(f"{_slug(case)}-{number:03}")
        shutil.copytree(base, project, symlinks=True)
        return command(project), project

    return prepare


def _link(source: str, destination: str) -> None:
    """Hard-link a file (copying when linking is not possible): 1,000 projects cost no space."""
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def _slug(case: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in case.lower()).strip("-")


def _count_files(project: Path) -> int:
    return sum(1 for path in project.rglob("*") if path.is_file() and ".git" not in path.parts)


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _why(error: BaseException) -> str:
    if isinstance(error, subprocess.CalledProcessError):
        output = (error.stderr or error.stdout or b"").decode(errors="replace").strip()
        detail = output.splitlines()[-1] if output else f"exit code {error.returncode}"
        return f"{Path(str(error.cmd[0])).name}: {detail}"[:300]
    return f"{type(error).__name__}: {error}"[:300]


if __name__ == "__main__":
    sys.exit(main())
