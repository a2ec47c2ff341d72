"""Serving rules (SCF-V) fail on an unpinned, root, or unprobed Dockerfile."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scaffold.check.report import FAIL
from scaffold.check.rules.serving import is_pinned
from tests.check_fixtures import edit, run_rule


def unpin_base_image(project: Path) -> None:
    text = (project / "Dockerfile").read_text()
    (project / "Dockerfile").write_text(
        re.sub(r"FROM python:\S+ AS runtime", "FROM python AS runtime", text)
    )


def test_v001_fails_on_unpinned_base_image(fresh_project: Path) -> None:
    unpin_base_image(fresh_project)
    result = run_rule(fresh_project, "SCF-V001")
    assert result.status == FAIL
    finding = result.findings[0]
    assert finding.path == "Dockerfile"
    assert (
        (fresh_project / "Dockerfile")
        .read_text()
        .splitlines()[finding.line - 1]
        .startswith("FROM python AS")
    )


@pytest.mark.parametrize(
    ("image", "pinned"),
    [
        ("python", False),
        ("python:latest", False),
        ("registry:5000/python", False),
        ("python:3.11-slim", True),
        ("registry:5000/team/python:3.11", True),
        ("python@sha256:" + "a" * 64, True),
    ],
)
def test_is_pinned(image: str, pinned: bool) -> None:
    assert is_pinned(image) is pinned


def set_user_line(project: Path, replacement: str) -> None:
    text = (project / "Dockerfile").read_text()
    assert re.search(r"^USER .*$", text, re.MULTILINE)
    (project / "Dockerfile").write_text(re.sub(r"^USER .*$", replacement, text, flags=re.MULTILINE))


def test_v002_fails_without_user(fresh_project: Path) -> None:
    set_user_line(fresh_project, "")
    result = run_rule(fresh_project, "SCF-V002")
    assert result.status == FAIL
    assert "runs as root" in result.findings[0].message


def test_v002_fails_when_user_is_root(fresh_project: Path) -> None:
    set_user_line(fresh_project, "USER root")
    assert run_rule(fresh_project, "SCF-V002").status == FAIL


def test_v003_fails_without_healthcheck(fresh_project: Path) -> None:
    edit(fresh_project, "Dockerfile", "HEALTHCHECK ", "# HEALTHCHECK ")
    result = run_rule(fresh_project, "SCF-V003")
    assert result.status == FAIL
    assert result.findings[0].path == "Dockerfile"


def test_a_dockerfile_that_is_not_utf8_is_reported_as_such_not_as_missing(
    fresh_project: Path,
) -> None:
    (fresh_project / "Dockerfile").write_bytes(b"FROM python:3.11\nLABEL team=\xe9quipe\n")
    result = run_rule(fresh_project, "SCF-V001")
    assert result.status == "fail"
    assert [finding.message for finding in result.findings] == [
        "Dockerfile is not UTF-8 text (invalid continuation byte at byte 28)"
    ]
