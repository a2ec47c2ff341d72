"""The targets of issue 15, judged on the rows of one benchmark run.

Each target compares scaffold with the fastest peer measured in the same run
(a ratio of medians), so machine speed and load cancel out as far as they can;
the `check` target is an absolute time on `--jobs 2`. A case not measured in
this run gives a target with no verdict, never a pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from timing import Row

HELP_LIMIT_S = 0.100
CHECK_LIMIT_S = 3.0
CHECK_TARGET_COUNT = 1000
# Per-project cost at 1,000 projects may exceed the cost at 100 by this much and still be linear.
LINEAR_TOLERANCE = 1.25


@dataclass(frozen=True)
class Target:
    """A goal from the issue, judged on the measured rows."""

    name: str
    value: str
    met: bool | None  # None: not measured in this run

    @property
    def verdict(self) -> str:
        return {True: "PASS", False: "MISS", None: "n/a"}[self.met]


def judge_targets(rows: Sequence[Row]) -> list[Target]:
    """The issue's targets, from the rows of this run."""
    return [
        _help_target(rows),
        _ratio_target(
            rows,
            "new: cookiecutter template",
            "scaffold new --no-git --trust",
            "cookiecutter --no-input",
            1.0,
            "cookiecutter template with hooks",
        ),
        _ratio_target(rows, "update:", "scaffold update", "cruft update", 0.8, "update"),
        _ratio_target(rows, "update:", "scaffold update", "copier update", 0.5, "update"),
        _ratio_target(
            rows, "new: built-in", "scaffold new", "copier copy", 0.8, "built-in, with git"
        ),
        _ratio_target(
            rows, "new: generated", "scaffold new", "copier copy", 0.5, "large template", last=True
        ),
        _ratio_target(
            rows, "update:", "scaffold update", "copier update", 0.5, "large template", last=True
        ),
        _check_target(rows),
        _linear_target(rows),
    ]


def _find(rows: Sequence[Row], group_start: str, case: str, *, last: bool = False) -> Row | None:
    """The first (or last: the largest input) row of `case` in groups starting `group_start`."""
    found = [row for row in rows if row.group.startswith(group_start) and row.case == case]
    return (found[-1] if last else found[0]) if found else None


def _ratio_target(
    rows: Sequence[Row],
    group_start: str,
    ours: str,
    theirs: str,
    limit: float,
    label: str,
    *,
    last: bool = False,
) -> Target:
    ours_row = _find(rows, group_start, ours, last=last)
    theirs_row = _find(rows, group_start, theirs, last=last)
    where = ours_row.group.split(": ", 1)[-1] if ours_row else label
    name = f"`{ours}` <= {limit:.1f}x `{theirs}` ({where})"
    if not (ours_row and theirs_row and ours_row.median and theirs_row.median):
        return Target(name, "not measured", None)
    ratio = ours_row.median / theirs_row.median
    value = f"{ratio:.2f}x ({seconds(ours_row.median)} vs {seconds(theirs_row.median)})"
    return Target(name, value, ratio <= limit)


def _help_target(rows: Sequence[Row]) -> Target:
    row = _find(rows, "startup", "scaffold --help")
    name = f"`scaffold --help` under {HELP_LIMIT_S * 1000:.0f} ms"
    if row is None or row.median is None:
        return Target(name, "not measured", None)
    return Target(name, seconds(row.median), row.median < HELP_LIMIT_S)


def _check_rows(rows: Sequence[Row]) -> dict[int, float]:
    """Project count -> median seconds of the check rows."""
    medians = {}
    for row in rows:
        if row.group.startswith("check") and row.median is not None:
            medians[int(row.case.split(", ")[1].split()[0].replace(",", ""))] = row.median
    return medians


def _check_target(rows: Sequence[Row]) -> Target:
    name = f"`scaffold check` of {CHECK_TARGET_COUNT:,} projects under {CHECK_LIMIT_S:.0f} s"
    median = _check_rows(rows).get(CHECK_TARGET_COUNT)
    if median is None:
        return Target(name, "not measured", None)
    return Target(name, seconds(median), median < CHECK_LIMIT_S)


def _linear_target(rows: Sequence[Row]) -> Target:
    """The cost of each project beyond the first stays flat from 100 to 1,000 projects."""
    name = "`scaffold check` is linear: cost per extra project at 1,000 <= 1.25x at 100"
    medians = _check_rows(rows)
    if not {1, 100, CHECK_TARGET_COUNT} <= medians.keys():
        return Target(name, "not measured", None)
    at_100 = (medians[100] - medians[1]) / 99
    at_1000 = (medians[CHECK_TARGET_COUNT] - medians[1]) / (CHECK_TARGET_COUNT - 1)
    value = f"{at_1000 * 1000:.2f} ms vs {at_100 * 1000:.2f} ms per extra project"
    return Target(name, value, at_1000 <= LINEAR_TOLERANCE * at_100)


def seconds(value: float | None) -> str:
    """`value` seconds as people read it: ms under a second."""
    if value is None:
        return "-"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
