"""The template authors' pytest plugin (`scaffold_render`), exercised in pytester sessions."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SMALL_TEMPLATE
from tests.cookiecutter_templates import COOKIECUTTER_TEMPLATE
from tests.helpers import GIT_IDENTITY, build_file_tree


@pytest.fixture
def author_repo(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A template author's repository: a copier template in `template/`."""
    for name, value in GIT_IDENTITY.items():
        monkeypatch.setenv(name, value)
    build_file_tree(pytester.path / "template", SMALL_TEMPLATE)
    return pytester


def test_plugin_is_registered_through_its_entry_point(author_repo: pytest.Pytester) -> None:
    result = author_repo.runpytest("--fixtures")
    result.stdout.fnmatch_lines(["*scaffold_render*"])


def test_scaffold_render_gives_path_answers_files_read_and_run(
    author_repo: pytest.Pytester,
) -> None:
    author_repo.makepyfile(
        """
        import sys

        def test_render(scaffold_render, tmp_path):
            project = scaffold_render({"name": "widget", "flavour": "fancy"}, template="template")
            assert project.path.parent == tmp_path
            assert project.answers == {"name": "widget", "flavour": "fancy"}
            assert project.read("README.md") == "# widget\\nflavour: fancy\\n"
            assert project.exists("src/widget.py")
            assert "src/widget.py" in project.files()
            script = "import pathlib; print(pathlib.Path.cwd().name)"
            result = project.run(sys.executable, "-c", script)
            assert result.stdout.strip() == project.path.name
        """
    )
    author_repo.runpytest().assert_outcomes(passed=1)


def test_scaffold_render_uses_the_ini_template_and_renders_twice(
    author_repo: pytest.Pytester,
) -> None:
    build_file_tree(author_repo.path / "cc-template", COOKIECUTTER_TEMPLATE)
    author_repo.makeini("[pytest]\nscaffold_template = cc-template\n")
    author_repo.makepyfile(
        """
        def test_two_renders(scaffold_render):
            first = scaffold_render()
            second = scaffold_render({"project_name": "Other Thing"})
            assert first.path != second.path
            assert first.read("README.md").startswith("# Demo Project")
            assert second.exists("src/other_thing/__init__.py")
            assert second.answers["project_slug"] == "other_thing"
        """
    )
    author_repo.runpytest().assert_outcomes(passed=1)


def test_scaffold_render_with_git_makes_a_committed_repository(
    author_repo: pytest.Pytester,
) -> None:
    author_repo.makepyfile(
        """
        def test_git(scaffold_render):
            project = scaffold_render(template="template", git=True)
            assert project.run("git status --porcelain").stdout == ""
            assert project.run("git rev-parse refs/scaffold/pristine").returncode == 0
        """
    )
    author_repo.runpytest().assert_outcomes(passed=1)


def test_failing_command_fails_the_test_with_its_output(author_repo: pytest.Pytester) -> None:
    author_repo.makepyfile(
        """
        import sys

        def test_fails(scaffold_render):
            project = scaffold_render(template="template")
            project.run(sys.executable, "-c", "print('boom'); raise SystemExit(3)")
        """
    )
    result = author_repo.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*exited 3 in*", "*boom*"])


def test_missing_template_is_a_usage_error(author_repo: pytest.Pytester) -> None:
    author_repo.makepyfile(
        """
        def test_no_template(scaffold_render):
            scaffold_render()
        """
    )
    result = author_repo.runpytest()
    result.assert_outcomes(errors=0, failed=1)
    result.stdout.fnmatch_lines(["*scaffold_render needs a template*"])


def test_template_faults_surface_as_scaffold_errors(author_repo: pytest.Pytester) -> None:
    author_repo.makepyfile(
        """
        import pytest
        from scaffold.errors import InvalidAnswerError

        def test_bad_answer(scaffold_render):
            with pytest.raises(InvalidAnswerError):
                scaffold_render({"flavour": "sour"}, template="template")
        """
    )
    author_repo.runpytest().assert_outcomes(passed=1)


def test_author_template_path_is_relative_to_rootdir(
    author_repo: pytest.Pytester, tmp_path: Path
) -> None:
    author_repo.makeini("[pytest]\nscaffold_template = template\n")
    author_repo.mkdir("tests")
    author_repo.makepyfile(
        **{
            "tests/test_inner": """
            def test_from_subfolder(scaffold_render):
                assert scaffold_render().read("README.md") == "# demo\\nflavour: plain\\n"
            """
        }
    )
    author_repo.runpytest("tests").assert_outcomes(passed=1)
