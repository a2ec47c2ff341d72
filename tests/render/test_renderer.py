"""Rendering a copier template: once per `scaffold new`, with no git process per file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import copier
import pytest
from copier._main import Worker

from scaffold.commands.new import new_project
from scaffold.render.renderer import render_template
from scaffold.render.sources import resolve_template_source


@pytest.fixture
def sync_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every call of copier's per-file git index sync, which runs a git process each time."""
    calls: list[str] = []
    original = Worker._sync_git_index_executable_bit

    def counting_sync(worker: Worker, relative_path: Path, mode: int) -> None:
        calls.append(str(relative_path))
        original(worker, relative_path, mode)

    monkeypatch.setattr(Worker, "_sync_git_index_executable_bit", counting_sync)
    return calls


def test_render_runs_no_git_process_per_file_and_keeps_executable_bit(
    small_template: Path, tmp_path: Path, sync_calls: list[str]
) -> None:
    script = small_template / "run.sh.jinja"
    script.write_text("#!/bin/sh\necho {{ name }}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)

    render_template(resolve_template_source(str(small_template)), tmp_path / "out", {})

    assert sync_calls == []
    assert os.access(tmp_path / "out" / "run.sh", os.X_OK)
    assert Worker._sync_git_index_executable_bit.__name__ == "counting_sync"  # restored after


def test_new_project_renders_the_template_once(
    small_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renders: list[str] = []
    original = copier.run_copy

    def counting_run_copy(source: str, *args: object, **kwargs: object) -> Worker:
        renders.append(source)
        return original(source, *args, **kwargs)

    monkeypatch.setattr(copier, "run_copy", counting_run_copy)
    new_project(tmp_path / "proj", template=str(small_template))
    assert len(renders) == 1


def test_render_of_a_plain_folder_asks_git_nothing_about_the_template(
    small_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import copier._vcs

    def no_git(path: object) -> bool:
        raise AssertionError(f"copier asked git about {path}")

    monkeypatch.setattr(copier._vcs, "is_git_repo_root", no_git)
    monkeypatch.setattr(copier._vcs, "is_git_bundle", no_git)
    rendered = render_template(resolve_template_source(str(small_template)), tmp_path / "out", {})
    assert rendered.version is None
    assert (tmp_path / "out" / "README.md").is_file()


def test_render_compiles_each_template_string_once(
    small_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jinja2 import Environment

    compiled: list[str] = []
    original = Environment.from_string

    def counting_from_string(environment: Environment, source: object, *args: object) -> object:
        if isinstance(source, str):  # copier also passes plain values, which jinja refuses
            compiled.append(source)
        return original(environment, source, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Environment, "from_string", counting_from_string)
    render_template(resolve_template_source(str(small_template)), tmp_path / "out", {})
    assert compiled  # copier renders paths and defaults from strings
    assert len(compiled) == len(set(compiled))
    text = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert text.startswith("# ")
