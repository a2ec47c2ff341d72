"""Benchmark scaffold against copier, cookiecutter and cruft on this machine, in one run.

    .venv/bin/python benchmarks/run.py [--quick] [--write-docs] [--output FILE.json]

Times process start, `new`, `update` and `check` as a user runs them (separate
processes, warm-up first, median of several runs, peak memory beside the time),
prints a table with ratios and the targets met or missed, and writes it as
JSON; `--write-docs` also replaces the "Latest run" section of
docs/benchmarks.md with this run's figures, date, load and commit. Every
template and project is generated in a temporary folder, offline. It exits 0
whatever it measures: a missing tool or a failing case becomes a row with an error.
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

from docs_section import write_latest_run
from fleet_bench import bench_fleet
from peer_templates import (
    V1,
    apply_user_edit,
    commit_all,
    project_files,
    update_was_merged,
    write_cookiecutter_template,
    write_copier_template,
    write_realistic_cookiecutter_template,
    write_two_version_repos,
)
from targets import Target, judge_targets, seconds
from timing import Prepare, Row, measure

REPO = Path(__file__).resolve().parent.parent
BUILTIN_TEMPLATE = REPO / "templates" / "mlops"
DEFAULT_OUTPUT = REPO / "benchmarks" / "results" / "latest.json"
DOCS = REPO / "docs" / "benchmarks.md"
# Variables that would make the runs depend on the developer's setup rather than the tools.
DROPPED_VARIABLES = ("PYTHONDONTWRITEBYTECODE", "SCAFFOLD_ORG_CONFIG", "GIT_DIR", "GIT_WORK_TREE")


@dataclass(frozen=True)
class Settings:
    """How much to measure: runs per case and the sizes of the inputs."""

    startup_runs: int = 10
    runs: int = 5
    warmup: int = 1
    large_files: int = 2000
    large_runs: int = 3
    update_files: int = 50
    check_counts: tuple[int, ...] = (1, 100, 1000)
    check_runs: int = 3
    check_jobs: int = 2
    fleet_projects: int = 1000
    fleet_update_projects: int = 50


QUICK = Settings(
    startup_runs=1,
    runs=1,
    warmup=0,
    large_files=30,
    large_runs=1,
    update_files=10,
    check_counts=(1, 3),
    check_runs=1,
    fleet_projects=3,
    fleet_update_projects=2,
)


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
ALL_TOOLS = ("scaffold", "copier", "cruft")
LARGE_TOOLS = ("scaffold", "copier")  # the large-template targets compare with copier only


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
    runs = bench.settings.large_runs if file_count >= 1000 else None
    for case, tool, command, reference in cases:
        prepare = _into_fresh(bench, case, command)
        bench.time(group, case, tool, prepare, runs=runs, reference=reference)
    bench.clear_runs()


def bench_new_cookiecutter(bench: Bench) -> None:
    """A cookiecutter template shaped like the public ones: nested folders, both hooks."""
    template = write_realistic_cookiecutter_template(bench.work / "cookiecutter-realistic")
    files = sum(1 for path in template.rglob("*") if path.is_file())
    group = f"new: cookiecutter template with hooks, {files} files"
    # cookiecutter runs hooks by default; scaffold needs --trust to run them: like for like.
    cases: list[tuple[str, str, Callable[[Path], list[str]], bool]] = [
        (
            "scaffold new --no-git --trust",
            "scaffold",
            lambda d: bench.command(
                "scaffold", "new", d, "-t", template, "--defaults", "--no-git", "--trust"
            ),
            True,
        ),
        (
            "cookiecutter --no-input",
            "cookiecutter",
            lambda d: bench.command("cookiecutter", "--no-input", "--output-dir", d, template),
            False,
        ),
        (
            "scaffold new --trust",
            "scaffold",
            lambda d: bench.command("scaffold", "new", d, "-t", template, "--defaults", "--trust"),
            False,
        ),
    ]
    for case, tool, command, reference in cases:
        bench.time(group, case, tool, _into_fresh(bench, case, command), reference=reference)
    bench.clear_runs()


def bench_update(bench: Bench, file_count: int, tools: Sequence[str], runs: int | None) -> None:
    group = f"update: v1 -> v2 with a user edit, {file_count} files"
    root = bench.work / f"update-{file_count}"
    copier_repo, cookiecutter_repo = write_two_version_repos(
        root / "templates", file_count, bench.env
    )
    bases = root / "bases"
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
        if tool not in tools:
            continue
        prepare = None
        if bench.tools.get(tool) is not None:
            try:
                base = make_base()
                apply_user_edit(base, bench.env)
                prepare = _copies_of(bench, base, case, command)
            except (subprocess.CalledProcessError, OSError, StopIteration) as error:
                bench.rows.append(Row(group, case, tool, error=f"setup failed: {_why(error)}"))
                continue
        row = bench.time(group, case, tool, prepare, runs=runs, reference=tool == "scaffold")
        done = bench.work / "runs"
        last = sorted(done.iterdir())[-1] if done.is_dir() and any(done.iterdir()) else None
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


def fill_ratios(rows: list[Row]) -> None:
    """Each row's median divided by its group's reference (scaffold) row."""
    references = {row.group: row.median for row in rows if row.reference and row.median}
    for row in rows:
        reference = references.get(row.group)
        if reference and row.median is not None:
            row.ratio = row.median / reference


def render_table(rows: list[Row], targets: list[Target]) -> str:
    lines = ["ratio = median / the group's first row (scaffold; for check: 1 project)", ""]
    header = (
        f"{'case':<48} {'median':>9} {'min':>9} {'cpu':>9} {'runs':>4} {'ratio':>7} "
        f"{'peak RSS':>9}  note"
    )
    group = None
    for row in rows:
        if row.group != group:
            group = row.group
            lines += ["", group, header]
        if row.error:
            lines.append(
                f"  {row.case:<46} {'-':>9} {'-':>9} {0:>4} {'-':>7} {'-':>9}  {row.error}"
            )
            continue
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "-"
        memory = f"{row.peak_rss_mb:.0f} MiB" if row.peak_rss_mb is not None else "-"
        lines.append(
            f"  {row.case:<46} {seconds(row.median):>9} {seconds(min(row.times)):>9} "
            f"{seconds(row.cpu_median):>9} "
            f"{len(row.times):>4} {ratio:>7} {memory:>9}  {row.note}"
        )
    lines += ["", "targets"]
    lines += [f"  {target.verdict:<5} {target.name}: {target.value}" for target in targets]
    return "\n".join(lines) + "\n"


def machine() -> dict[str, Any]:
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_at_start": load_average(),
    }


def load_average() -> list[float] | None:
    return [round(value, 2) for value in os.getloadavg()] if hasattr(os, "getloadavg") else None


def commit() -> str:
    """The checked-out commit of the repository, marked when the tree has uncommitted changes."""
    try:
        head = (
            subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, check=True
            )
            .stdout.decode()
            .strip()
        )
        changes = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO,
            capture_output=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{head} with uncommitted changes" if changes else head


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
    parser.add_argument(
        "--write-docs",
        nargs="?",
        type=Path,
        const=DOCS,
        metavar="FILE",
        help=f"Replace the 'Latest run' section of FILE ({DOCS.relative_to(REPO)}) with this run.",
    )
    options = parser.parse_args(argv)

    settings = QUICK if options.quick else Settings()
    if options.runs:
        settings = Settings(**{**asdict(settings), "runs": options.runs})
    if options.check_counts:
        counts = tuple(int(part) for part in options.check_counts.split(",") if part.strip())
        settings = Settings(**{**asdict(settings), "check_counts": counts})

    work = Path(tempfile.mkdtemp(prefix="scaffold-bench-"))
    started = datetime.datetime.now(datetime.UTC)
    result_machine = machine()
    measured_commit = commit()  # at the start: the code that runs, whatever changes meanwhile
    bench = Bench(work, settings)
    steps: list[tuple[str, Callable[[Bench], None]]] = [
        ("startup", bench_startup),
        ("new built-in", bench_new_builtin),
        ("new cookiecutter", bench_new_cookiecutter),
        ("new large", lambda b: bench_new_synthetic(b, settings.large_files)),
        ("update", lambda b: bench_update(b, settings.update_files, ALL_TOOLS, None)),
        (
            "update large",
            lambda b: bench_update(b, settings.large_files, LARGE_TOOLS, settings.large_runs),
        ),
        ("check", bench_check),
        ("fleet", lambda b: bench_fleet(b, _link, _why)),
    ]
    try:
        prewarm_bytecode(bench)
        for name, step in steps:
            try:
                step(bench)
            except Exception as error:  # a broken scenario must not hide the others
                bench.rows.append(Row("benchmark", name, "-", error=_why(error)))
    finally:
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            progress(f"kept {work}")

    result_machine["load_average_at_end"] = load_average()
    fill_ratios(bench.rows)
    targets = judge_targets(bench.rows)
    load = result_machine["load_average_at_start"]
    print(f"{result_machine['cpus']} CPUs, load average at start: {load}", flush=True)
    print(render_table(bench.rows, targets), end="", flush=True)
    result = {
        "started": started.isoformat(timespec="seconds"),
        "duration_s": (datetime.datetime.now(datetime.UTC) - started).total_seconds(),
        "commit": measured_commit
        if commit() == measured_commit
        else changed_commit(measured_commit),
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
        if options.write_docs:
            write_latest_run(options.write_docs, result)
            progress(f"wrote the latest run into {options.write_docs}")
    except OSError as error:
        progress(f"could not write the results: {error}")
    return 0


def changed_commit(at_start: str) -> str:
    """The commit line of a run during which the checked-out code changed."""
    return f"{at_start} at the start, {commit()} at the end: the code changed during the run"


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


def _why(error: BaseException) -> str:
    if isinstance(error, subprocess.CalledProcessError):
        output = (error.stderr or error.stdout or b"").decode(errors="replace").strip()
        detail = output.splitlines()[-1] if output else f"exit code {error.returncode}"
        return f"{Path(str(error.cmd[0])).name}: {detail}"[:300]
    return f"{type(error).__name__}: {error}"[:300]


if __name__ == "__main__":
    sys.exit(main())
