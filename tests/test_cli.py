"""The installed `scaffold` command as a user runs it: output, exit codes, one-line errors."""

from __future__ import annotations

from pathlib import Path

from scaffold import __version__
from tests.helpers import run_scaffold


def test_version_prints_package_version(tmp_path: Path) -> None:
    result = run_scaffold("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_help_lists_commands(tmp_path: Path) -> None:
    result = run_scaffold("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("new", "templates"):
        assert command in result.stdout


def test_templates_lists_builtin_mlops_with_version(tmp_path: Path) -> None:
    result = run_scaffold("templates", cwd=tmp_path)
    assert result.returncode == 0
    name, version, *description = result.stdout.splitlines()[0].split()
    assert name == "mlops"
    assert version.count(".") == 2
    assert description


def test_new_defaults_creates_project_and_says_next_step(tmp_path: Path) -> None:
    result = run_scaffold("new", "proj", "--defaults", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Created proj from builtin:mlops" in result.stdout
    assert (tmp_path / "proj" / ".copier-answers.yml").is_file()


def test_new_without_terminal_uses_defaults_for_unanswered(tmp_path: Path) -> None:
    result = run_scaffold("new", "proj", "--data", "project_name=Churn", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "package_name: churn" in (tmp_path / "proj" / ".copier-answers.yml").read_text()


def test_new_invalid_answer_is_one_line_exit_2_without_traceback(tmp_path: Path) -> None:
    result = run_scaffold("new", "proj", "--data", "package_name=9lives", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "proj").exists()


def test_new_into_non_empty_folder_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / "keep.txt").write_text("keep")
    result = run_scaffold("new", "proj", "--defaults", cwd=tmp_path)
    assert result.returncode == 2
    assert "not empty" in result.stderr
    assert (tmp_path / "proj" / "keep.txt").read_text() == "keep"


def test_click_usage_errors_are_one_line_with_exit_2(tmp_path: Path) -> None:
    for arguments, expected in (
        (("new", "p", "--bogus"), "error: No such option '--bogus'. (see `scaffold new --help`)"),
        (("nosuch",), "error: No such command 'nosuch'. (see `scaffold --help`)"),
        (("update", "--conflict", "x"), "Invalid value for '--conflict'"),
    ):
        result = run_scaffold(*arguments, cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1
        assert expected in result.stderr


def test_bare_scaffold_prints_help(tmp_path: Path) -> None:
    result = run_scaffold(cwd=tmp_path)
    assert result.returncode == 0
    assert "Commands:" in result.stdout
