"""The benchmark script runs from a checkout in one command and writes its table as JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
BENCHMARK = BENCHMARKS / "run.py"
sys.path.insert(0, str(BENCHMARKS))
from docs_section import END, START  # noqa: E402  (benchmarks/ is scripts, not a package)

EXPECTED_CASES = {
    "scaffold --help",
    "scaffold --version",
    "copier --help",
    "scaffold new",
    "copier copy",
    "cookiecutter --no-input",
    "scaffold new --no-git --trust",
    "scaffold update",
    "copier update",
    "cruft update",
    "scaffold check, 1 project",
    "scaffold check, 3 projects",
    "scaffold fleet status, 3 projects (cold cache)",
    "scaffold fleet check, 3 projects (warm cache)",
    "scaffold fleet update, 2 bare remotes",
}
DOCS_BEFORE = (
    "# Benchmarks\n\nHand-written notes stay.\n\n{start}\nstale figures\n{end}\n\n## After\n"
)


def test_quick_benchmark_times_every_case_and_writes_json_and_docs(tmp_path: Path) -> None:
    output = tmp_path / "results" / "quick.json"
    docs = tmp_path / "benchmarks.md"
    docs.write_text(DOCS_BEFORE.format(start=START, end=END), encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, str(BENCHMARK), "--quick", "--output", str(output)]
        + ["--write-docs", str(docs)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(output.read_text(encoding="utf-8"))
    rows = result["rows"]
    assert EXPECTED_CASES.issubset(row["case"] for row in rows)
    assert [row for row in rows if row["error"]] == []
    assert all(row["median_s"] > 0 and row["peak_rss_mb"] > 0 for row in rows)
    assert all(row["cpu_median_s"] > 0 for row in rows)
    updates = [row for row in rows if row["group"].startswith("update")]
    assert {row["note"] for row in updates} == {"edit kept, change merged"}
    assert {target["verdict"] for target in result["targets"]} <= {"PASS", "MISS", "n/a"}
    assert "targets" in completed.stdout

    written = docs.read_text(encoding="utf-8")
    assert "stale figures" not in written
    assert written.startswith("# Benchmarks\n\nHand-written notes stay.\n")
    assert written.endswith(f"{END}\n\n## After\n")
    assert f"- date: {result['started']}" in written
    assert f"- commit: `{result['commit']}`" in written
    assert "load average (1, 5, 15 min)" in written
    assert all(f"`{case}`" in written for case in EXPECTED_CASES)
