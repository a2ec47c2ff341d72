"""The benchmark script runs from a checkout in one command and writes its table as JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"
EXPECTED_CASES = {
    "scaffold --help",
    "scaffold --version",
    "copier --help",
    "scaffold new",
    "copier copy",
    "cookiecutter --no-input",
    "scaffold update",
    "copier update",
    "cruft update",
    "scaffold check, 1 project",
    "scaffold check, 3 projects",
    "scaffold fleet status, 3 projects (cold cache)",
    "scaffold fleet check, 3 projects (warm cache)",
    "scaffold fleet update, 2 bare remotes",
}


def test_quick_benchmark_times_every_case_and_writes_json(tmp_path: Path) -> None:
    output = tmp_path / "results" / "quick.json"
    completed = subprocess.run(
        [sys.executable, str(BENCHMARK), "--quick", "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(output.read_text(encoding="utf-8"))
    rows = result["rows"]
    assert EXPECTED_CASES.issubset(row["case"] for row in rows)
    assert [row for row in rows if row["error"]] == []
    assert all(row["median_s"] > 0 for row in rows)
    updates = [row for row in rows if row["group"].startswith("update")]
    assert {row["note"] for row in updates} == {"edit kept, change merged"}
    assert {target["verdict"] for target in result["targets"]} <= {"PASS", "MISS", "n/a"}
    assert "targets" in completed.stdout
