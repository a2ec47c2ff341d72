"""Write one benchmark run into docs/benchmarks.md, between two marker comments.

The section carries the date, the commit, the machine and its load average at
the start and end of the run, every row (median, minimum, ratio, peak memory)
and every target's verdict, so the figures in the docs are always those of the
run that wrote them. Text outside the markers is left as it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from targets import seconds

START = "<!-- benchmark:latest:start (written by benchmarks/run.py --write-docs) -->"
END = "<!-- benchmark:latest:end -->"


def write_latest_run(docs: Path, result: dict[str, Any]) -> None:
    """Replace the marked section of `docs` with `result` (append it when there is none)."""
    text = docs.read_text(encoding="utf-8") if docs.is_file() else "# Benchmarks\n"
    section = f"{START}\n{render_latest_run(result)}{END}"
    if START in text and END in text:
        before, _, rest = text.partition(START)
        _, _, after = rest.partition(END)
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    docs.write_text(text, encoding="utf-8")


def render_latest_run(result: dict[str, Any]) -> str:
    """The run as Markdown: where and when, the targets, then every measured row."""
    machine, tools = result["machine"], result["tools"]
    versions = ", ".join(f"{name} {version}" for name, version in tools.items())
    lines = [
        "## Latest run",
        "",
        f"- date: {result['started']} (UTC), {result['duration_s']:.0f} s",
        f"- commit: `{result['commit']}`",
        f"- machine: {machine['cpus']} CPUs, {machine['platform']}, Python {machine['python']}",
        f"- load average (1, 5, 15 min): {_load(machine['load_average_at_start'])} at the start, "
        f"{_load(machine['load_average_at_end'])} at the end",
        f"- tools: {versions}",
        f"- settings: {_settings(result['settings'])}",
        "",
        "| target | result | verdict |",
        "|---|---|---|",
    ]
    for target in result["targets"]:
        lines.append(f"| {target['name']} | {target['value']} | **{target['verdict']}** |")
    lines += [
        "",
        "Ratio = median wall time / the group's scaffold row (for check: the 1-project row).",
        "CPU = median user + system time of the command and its child processes (steadier than",
        "wall time on a loaded machine). Peak memory = the largest resident set among them.",
        "",
        "| group | case | median | min | CPU | ratio | peak memory | note |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in result["rows"]:
        if row["error"]:
            lines.append(
                f"| {row['group']} | `{row['case']}` | - | - | - | - | - | {row['error']} |"
            )
            continue
        ratio = f"{row['ratio']:.2f}x" if row["ratio"] is not None else "-"
        memory = f"{row['peak_rss_mb']:.0f} MiB" if row["peak_rss_mb"] is not None else "-"
        lines.append(
            f"| {row['group']} | `{row['case']}` | {seconds(row['median_s'])} | "
            f"{seconds(row['min_s'])} | {seconds(row['cpu_median_s'])} | {ratio} | {memory} | "
            f"{row['note']} |"
        )
    return "\n".join(lines) + "\n"


def _load(load: list[float] | None) -> str:
    return " / ".join(f"{value:.2f}" for value in load) if load else "unknown"


def _settings(settings: dict[str, Any]) -> str:
    return ", ".join(f"{key} {value}" for key, value in settings.items())
