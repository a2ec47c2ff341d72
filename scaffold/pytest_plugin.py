"""A pytest plugin for template authors: render a template in a test, then use the result.

Registered through the `pytest11` entry point, so installing scaffold is
enough. The `scaffold_render` fixture renders a copier or cookiecutter
template exactly as `scaffold new` does (same answers record, optional git
repository) into the test's `tmp_path`. The template defaults to the
`scaffold_template` ini option. This module holds no rendering logic itself.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

TEMPLATE_INI_OPTION = "scaffold_template"


@dataclass(frozen=True)
class RenderedTemplate:
    """A template rendered for a test: where it is, the answers and version used."""

    path: Path
    answers: dict[str, Any] = field(default_factory=dict)
    template_version: str | None = None

    def read(self, relative_path: str) -> str:
        """The text of a file of the project."""
        return (self.path / relative_path).read_text(encoding="utf-8")

    def exists(self, relative_path: str) -> bool:
        """Whether the project has this file or folder."""
        return (self.path / relative_path).exists()

    def files(self) -> list[str]:
        """Every file of the project (outside `.git`), as sorted relative POSIX paths."""
        return sorted(
            path.relative_to(self.path).as_posix()
            for path in self.path.rglob("*")
            if path.is_file() and ".git" not in path.relative_to(self.path).parts
        )

    def run(
        self,
        *command: str,
        check: bool = True,
        env: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """Run `command` inside the project (one string is split like a shell would).

        With `check`, a non-zero exit fails the test with the command's output.
        """
        arguments = shlex.split(command[0]) if len(command) == 1 else list(command)
        completed = subprocess.run(
            arguments,
            cwd=self.path,
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
        )
        if check and completed.returncode != 0:
            pytest.fail(
                f"`{shlex.join(arguments)}` exited {completed.returncode} in {self.path}\n"
                f"--- stdout ---\n{completed.stdout}\n--- stderr ---\n{completed.stderr}",
                pytrace=False,
            )
        return completed


RenderFunction = Callable[..., RenderedTemplate]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        TEMPLATE_INI_OPTION,
        "Template that `scaffold_render` renders when no template is passed "
        "(a folder, relative to the rootdir, or a git URL).",
        default="",
    )


@pytest.fixture
def scaffold_render(tmp_path: Path, pytestconfig: pytest.Config) -> RenderFunction:
    """Render a template into `tmp_path` and return a `RenderedTemplate`.

    Call it as `scaffold_render(answers={...}, template=..., vcs_ref=...,
    trust=False, git=False, name="project")`; every question not answered
    takes its default.
    """
    from scaffold.commands.new import new_project

    counter = iter(range(1_000_000))

    def render(
        answers: Mapping[str, Any] | None = None,
        *,
        template: str | os.PathLike[str] | None = None,
        vcs_ref: str | None = None,
        trust: bool = False,
        git: bool = False,
        name: str = "project",
    ) -> RenderedTemplate:
        template_spec = _template_spec(template, pytestconfig)
        index = next(counter)
        answers_file = tmp_path / f".scaffold-answers-{index}.yml"
        answers_file.write_text(yaml.safe_dump(dict(answers or {})), encoding="utf-8")
        destination = tmp_path / (name if index == 0 else f"{name}-{index}")
        created = new_project(
            destination,
            template=template_spec,
            vcs_ref=vcs_ref,
            answers_file=answers_file,
            use_defaults=True,
            trust=trust,
            use_git=git,
        )
        return RenderedTemplate(created.path, created.answers, created.template_version)

    return render


def _template_spec(template: str | os.PathLike[str] | None, config: pytest.Config) -> str:
    if template is not None:
        return os.fspath(template)
    configured = str(config.getini(TEMPLATE_INI_OPTION) or "")
    if not configured:
        raise pytest.UsageError(
            "scaffold_render needs a template: pass template=... or set "
            f"`{TEMPLATE_INI_OPTION}` in the pytest configuration"
        )
    if "://" in configured or configured.startswith(("git@", "gh:", "gl:", "builtin:")):
        return configured
    return str((config.rootpath / configured).resolve())
