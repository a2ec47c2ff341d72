"""Guarantee: reading a hostile file ends quickly in one line, never a hang, a traceback or GBs.

Project files, answers files and the org config are read only when they are regular files,
up to a size limit, and YAML is refused when its aliases expand past a node limit.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scaffold import bounded_reads
from tests.helpers import GIT_IDENTITY, build_file_tree, commit_all, git
from tests.safety.support import (
    assert_one_line_error,
    copier_template,
    generated_project,
    invoke,
)

ALIAS_BOMB = (
    "\n".join(
        ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
        + [
            f"{chr(98 + level)}: &{chr(98 + level)} [{', '.join([f'*{chr(97 + level)}'] * 10)}]"
            for level in range(8)
        ]
    )
    + "\n"
)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The CLI in a subprocess with a deadline, so a regression fails instead of hanging."""
    return subprocess.run(
        [sys.executable, "-m", "scaffold", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **GIT_IDENTITY},
        timeout=120,
        check=False,
    )


def plain_project(tmp_path: Path) -> Path:
    return build_file_tree(tmp_path / "project", {"README.md": "# p\n", "src/p/__init__.py": ""})


@pytest.mark.parametrize("kind", ["dev-zero-link", "fifo"])
def test_check_of_a_project_whose_pyproject_is_not_a_file_finishes(
    tmp_path: Path, kind: str
) -> None:
    project = plain_project(tmp_path)
    if kind == "fifo":
        os.mkfifo(project / "pyproject.toml")
    else:
        (project / "pyproject.toml").symlink_to("/dev/zero")
    completed = run_cli("check", str(project), cwd=tmp_path)
    assert completed.returncode in (0, 1), completed.stderr
    assert "Traceback" not in completed.stderr


def test_check_of_a_project_with_an_alias_bomb_finishes(tmp_path: Path) -> None:
    project = build_file_tree(
        plain_project(tmp_path),
        {".copier-answers.yml": "_src_path: x\n" + ALIAS_BOMB, "params.yaml": ALIAS_BOMB},
    )
    completed = run_cli("check", str(project), cwd=tmp_path)
    assert completed.returncode in (0, 1), completed.stderr
    assert "Traceback" not in completed.stderr


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda path: path.symlink_to("/dev/zero"), "is a device, not a regular file"),
        (os.mkfifo, "is a FIFO, not a regular file"),
        (lambda path: path.mkdir(), "is a directory"),
        (lambda path: path.write_text("a: " + "x" * (2 * 1024 * 1024)), "larger than 1 MiB"),
        (lambda path: path.write_text(ALIAS_BOMB), "expands to more than 100000 nodes"),
        (lambda path: path.write_text("a: &a [*a]\n"), "refers to itself"),
        (lambda path: path.write_text("[" * 100_000), "not valid YAML"),
    ],
    ids=["dev-zero", "fifo", "folder", "over-limit", "alias-bomb", "recursive-alias", "deep"],
)
def test_hostile_answers_file_is_one_line_error(tmp_path: Path, make, reason: str) -> None:
    answers_file = tmp_path / "answers.yml"
    make(answers_file)
    template = copier_template(tmp_path / "template")
    result = invoke(
        "new",
        str(tmp_path / "dest"),
        "--template",
        str(template),
        "--answers-file",
        str(answers_file),
    )
    assert_one_line_error(result, reason)
    assert not (tmp_path / "dest").exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (ALIAS_BOMB, "expands to more than 100000 nodes"),
        (None, "larger than 1 MiB"),
    ],
    ids=["alias-bomb", "35-mb"],
)
def test_hostile_org_config_is_one_line_error(
    tmp_path: Path, content: str | None, reason: str
) -> None:
    org = tmp_path / "org.yaml"
    if content is None:
        with org.open("wb") as handle:  # 35 MB without writing them: a sparse file
            handle.truncate(35 * 1024 * 1024)
    else:
        org.write_text(content, encoding="utf-8")
    result = invoke("check", str(plain_project(tmp_path)), "--org-config", str(org))
    assert_one_line_error(result, reason)


def test_org_config_that_is_a_fifo_is_one_line_error(tmp_path: Path) -> None:
    org = tmp_path / "org.yaml"
    os.mkfifo(org)
    result = invoke("check", str(plain_project(tmp_path)), "--org-config", str(org))
    assert_one_line_error(result, "is a FIFO, not a regular file")


def test_recorded_answers_alias_bomb_is_one_line_error_on_diff_and_update(tmp_path: Path) -> None:
    template = copier_template(tmp_path / "template")
    commit_all(template, "v1", tag="1.0.0")
    project = generated_project(tmp_path, template)
    answers_path = project / ".copier-answers.yml"
    answers_path.write_text(f"_src_path: {template}\n_commit: 1.0.0\n" + ALIAS_BOMB)
    git(project, "commit", "-qam", "bomb")
    for command in ("diff", "update"):
        assert_one_line_error(invoke(command, str(project)), "expands to more than")


def test_cruft_record_that_is_a_fifo_is_one_line_error_on_link(tmp_path: Path) -> None:
    project = plain_project(tmp_path)
    commit_all(project, "initial")
    os.mkfifo(project / ".cruft.json")
    result = invoke("link", str(project))
    assert_one_line_error(result, "is a FIFO, not a regular file")


def test_read_bytes_refuses_a_fifo_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(bounded_reads.UnsafeFileError, match="FIFO"):
        bounded_reads.read_bytes(fifo)


def test_read_bytes_reads_a_file_of_exactly_the_limit_and_follows_links(tmp_path: Path) -> None:
    target = tmp_path / "target"
    target.write_bytes(b"x" * 100)
    (tmp_path / "link").symlink_to(target)
    assert bounded_reads.read_bytes(tmp_path / "link", limit=100) == b"x" * 100
    with pytest.raises(bounded_reads.UnsafeFileError, match="larger than 99 bytes"):
        bounded_reads.read_bytes(target, limit=99)


def test_yaml_with_shared_aliases_under_the_limit_still_loads() -> None:
    loaded = bounded_reads.load_yaml("base: &base {a: 1}\nfirst: *base\nsecond: *base\n")
    assert loaded == {"base": {"a": 1}, "first": {"a": 1}, "second": {"a": 1}}


def test_yaml_node_count_counts_each_alias_use() -> None:
    node = yaml.compose("a: &a [1, 2]\nb: [*a, *a]\n")
    assert node is not None
    # mapping, 2 keys, list a (3 nodes), list b (1 + 2 * 3 nodes)
    assert bounded_reads.count_nodes(node) == 1 + 2 + 3 + 7
