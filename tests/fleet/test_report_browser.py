"""The fleet report in a real headless browser (Debian's `chromium`): no console errors, charts.

Chromium writes page console messages to its log as `CONSOLE` lines; a
control page proves the scan sees them. The screenshot is decoded with
zlib (tests/fleet/png.py) and the chart colours are looked for in it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from scaffold.fleet.reports.html import render_html
from tests.fleet.png import read_png
from tests.fleet.sample_results import sample_result

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)"
)
WINDOW = (1000, 1300)
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
    "--enable-logging=stderr", "--v=0", "--force-color-profile=srgb",
)  # fmt: skip
VERSION_GREEN, VERSION_BLUE, VERSION_AMBER = (
    (0x2B, 0x8A, 0x3E),
    (0x1C, 0x7E, 0xD6),
    (0xF5, 0x9F, 0x00),
)
FAIL_RED = (0xE0, 0x31, 0x31)


def screenshot(page: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    """Load `page`, save a screenshot; return it and the page's console lines."""
    shot = tmp_path / f"{page.stem}.png"
    completed = subprocess.run(
        [
            str(CHROMIUM), *FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
            f"--window-size={WINDOW[0]},{WINDOW[1]}", f"--screenshot={shot}", page.as_uri(),
        ],
        capture_output=True, text=True, timeout=120, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert shot.is_file(), completed.stderr[-2000:]
    console = [line for line in completed.stderr.splitlines() if ":CONSOLE" in line]
    return shot, console


def test_console_scan_sees_errors_of_a_broken_page(tmp_path: Path) -> None:
    page = tmp_path / "control.html"
    page.write_text('<!DOCTYPE html><script>console.error("control"); missing();</script>')
    _, console = screenshot(page, tmp_path)
    assert any("control" in line for line in console)
    assert any("missing is not defined" in line for line in console)


def test_report_loads_without_console_errors_and_shows_its_charts(tmp_path: Path) -> None:
    page = tmp_path / "fleet-report.html"
    page.write_text(render_html(sample_result()), encoding="utf-8")
    shot, console = screenshot(page, tmp_path)
    assert console == []
    image = read_png(shot)
    assert (image.width, image.height) == WINDOW
    # The version spread and columns sit in the upper half; the rule bars below them.
    upper = image.colours_in(0, 0, image.width, image.height // 2)
    assert {VERSION_GREEN, VERSION_BLUE, VERSION_AMBER} <= upper
    lower = image.colours_in(0, image.height // 2, image.width, image.height)
    assert FAIL_RED in lower and VERSION_GREEN in lower
