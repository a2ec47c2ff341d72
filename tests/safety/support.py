"""Safety-suite helpers: hostile templates from dicts, the CLI in-process, exact outcomes."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner, Result

from scaffold.cli import main
from tests.helpers import GIT_IDENTITY, build_file_tree, commit_all

ANSWERS_JINJA = {"{{ _copier_conf.answers_file }}.jinja": "{{ _copier_answers|to_nice_yaml -}}\n"}
NAME_QUESTION = "name:\n  type: str\n  default: demo\n_answers_file: .copier-answers.yml\n"


def copier_template(root: Path, config: str = "", files: dict[str, str] | None = None) -> Path:
    """A copier template with a `name` question, `config` appended to copier.yml, and `files`."""
    return build_file_tree(
        root, {"copier.yml": NAME_QUESTION + config, **ANSWERS_JINJA, **(files or {})}
    )


def invoke(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Result:
    """Run `scaffold ARGS` in-process (no terminal) and return click's result."""
    previous = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(
            main, list(args), env={**GIT_IDENTITY, **(env or {})}, catch_exceptions=True
        )
    finally:
        os.chdir(previous)


def assert_one_line_error(result: Result, *fragments: str) -> str:
    """The run failed with exit 2 and one `error: ` line holding every fragment; return it."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every entry under `root` (including .git): files as bytes, symlinks and folders by kind."""
    entries: dict[str, bytes | str] = {}
    for folder, subfolders, names in os.walk(root):
        for name in subfolders + names:
            path = Path(folder, name)
            relative = path.relative_to(root).as_posix()
            if path.is_symlink():
                entries[relative] = f"link -> {os.readlink(path)}"
            elif path.is_dir():
                entries[relative] = "folder"
            elif relative != ".git/index":  # stat data only; compared via `git ls-files -s`
                entries[relative] = path.read_bytes()
    return entries


def generated_project(tmp_path: Path, template: Path | str, *extra: str) -> Path:
    """A committed project generated from `template` with `scaffold new`."""
    result = invoke("new", str(tmp_path / "project"), "--template", str(template), *extra)
    assert result.exit_code == 0, result.stderr
    return tmp_path / "project"


def tagged_template(root: Path, versions: list[tuple[str, dict[str, str]]]) -> Path:
    """A git copier template, one commit per (config, files) version, tagged 1.0.0, 2.0.0, ..."""
    for number, (config, files) in enumerate(versions, start=1):
        copier_template(root, config, files)
        commit_all(root, f"v{number}", tag=f"{number}.0.0")
    return root
