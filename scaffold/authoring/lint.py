"""`scaffold template lint`: find common faults in a copier or cookiecutter template.

Each check is a small function whose docstring says what it finds and why it
matters; it receives the template's inspection (`template_inspection`) and its
render with the default answers, and returns findings. The render runs no
template code (copier tasks, cookiecutter hooks). This module neither prints
nor decides exit codes.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from scaffold.authoring.inspection import TemplateInspection, inspect_template
from scaffold.errors import ScaffoldError, TemplateError, UntrustedTemplateError
from scaffold.render.trust import COOKIECUTTER_DEFAULT_EXTENSIONS
from scaffold.scratch import scratch_folder

# Files whose emptiness is their meaning (package and type markers, kept folders).
MEANINGFUL_EMPTY_FILES = frozenset({"__init__.py", "py.typed", ".gitkeep", ".keep", ".nojekyll"})
YAML_SUFFIXES = (".yml", ".yaml")


@dataclass(frozen=True, order=True)
class Finding:
    """One fault at one path of the template, or of its default render (`in_render`)."""

    path: str
    code: str
    message: str
    in_render: bool = False  # `path` names a rendered file, not a file of the template

    def one_line(self) -> str:
        """The `path: CODE message` line the CLI prints; rendered paths say so."""
        where = f"{self.path} (in the default render)" if self.in_render else self.path
        return f"{where}: {self.code} {self.message}"


@dataclass(frozen=True)
class DefaultRender:
    """The template rendered with its default answers (`folder` None when that failed)."""

    folder: Path | None
    error: str = ""


def lint_template(root: Path, *, trust: bool = False) -> list[Finding]:
    """Every finding for the template in `root`, sorted by path then code."""
    inspection = inspect_template(root, load_extensions=trust)
    # cookiecutter's own extensions load anyway; any other is template code (`render.trust`).
    extensions = [
        name for name in inspection.jinja_extensions if name not in COOKIECUTTER_DEFAULT_EXTENSIONS
    ]
    if extensions and not trust:
        raise UntrustedTemplateError(
            f"template {root} loads jinja extensions: {', '.join(extensions)}",
            "read them, then pass --trust to allow them to load",
        )
    findings: set[Finding] = set()
    with default_render(inspection, trust=trust) as render:
        for check in CHECKS:
            findings.update(check(inspection, render))
    return sorted(findings)


def check_syntax(inspection: TemplateInspection, render: DefaultRender) -> list[Finding]:
    """A file or path that jinja cannot parse: the template cannot render at all."""
    return [Finding(path, "syntax-error", message) for path, message in inspection.syntax_errors]


def check_undefined_variables(
    inspection: TemplateInspection, render: DefaultRender
) -> list[Finding]:
    """A variable no question defines: a typo, or a question that was renamed or removed."""
    return [
        Finding(use.path, "undefined-variable", f"'{use.name}' is not defined by any question")
        for use in inspection.uses
        if use.name not in inspection.defined_names
    ]


def check_unused_questions(inspection: TemplateInspection, render: DefaultRender) -> list[Finding]:
    """A question no file, path or other question uses: users answer it for nothing."""
    used = {
        use.question
        for use in inspection.uses
        if use.question is not None and use.question != use.owner
    }
    return [
        Finding(inspection.config_file, "unused-question", f"'{question}' is never used")
        for question in inspection.questions
        if question not in used
    ]


def check_render(inspection: TemplateInspection, render: DefaultRender) -> list[Finding]:
    """The template fails to render with its own default answers."""
    if render.folder is not None:
        return []
    return [Finding(inspection.config_file, "render-failed", render.error)]


def check_empty_files(inspection: TemplateInspection, render: DefaultRender) -> list[Finding]:
    """A file that renders empty (only whitespace): make its name conditional instead."""
    return [
        Finding(relative, "empty-file", "renders empty with the default answers", in_render=True)
        for relative, path in _rendered_files(render)
        if path.name not in MEANINGFUL_EMPTY_FILES and not path.read_bytes().strip()
    ]


def check_yaml(inspection: TemplateInspection, render: DefaultRender) -> list[Finding]:
    """A `.yml`/`.yaml` file that is not valid YAML once rendered (e.g. a bad indent in a loop)."""
    findings = []
    for relative, path in _rendered_files(render):
        if path.suffix not in YAML_SUFFIXES:
            continue
        try:
            list(yaml.load_all(path.read_text(encoding="utf-8"), Loader=_AnyTagLoader))
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            findings.append(Finding(relative, "invalid-yaml", _yaml_problem(error), in_render=True))
    return findings


def check_case_collisions(inspection: TemplateInspection, render: DefaultRender) -> list[Finding]:
    """Two names that differ only in case: one overwrites the other on macOS and Windows."""
    rendered = [relative for relative, _path in _rendered_files(render)]
    return [
        Finding(
            later,
            "case-collision",
            f"collides with '{earlier}' on case-insensitive disks",
            in_render=paths is rendered,
        )
        for paths in (inspection.output_paths, rendered)
        for earlier, later in _case_collisions(paths)
    ]


CHECKS: tuple[Callable[[TemplateInspection, DefaultRender], list[Finding]], ...] = (
    check_syntax,
    check_undefined_variables,
    check_unused_questions,
    check_render,
    check_empty_files,
    check_yaml,
    check_case_collisions,
)


@contextmanager
def default_render(inspection: TemplateInspection, *, trust: bool) -> Iterator[DefaultRender]:
    """The template rendered with its defaults in a temporary folder, without running its code."""
    with scratch_folder("scaffold-lint-") as scratch:
        output = scratch / "rendered"
        render = DefaultRender(output)
        try:
            if inspection.engine == "cookiecutter":
                _render_cookiecutter_defaults(inspection.root, output, trust=trust)
            else:
                _render_copier_defaults(inspection.root, scratch / "template", output, trust=trust)
        except UntrustedTemplateError:
            raise
        except ScaffoldError as error:  # failing to render is a finding, not a lint failure
            render = DefaultRender(None, error.message)
        yield render


def _render_cookiecutter_defaults(root: Path, output: Path, *, trust: bool) -> None:
    from scaffold.render.engines.cookiecutter_engine import generate_cookiecutter_project

    generate_cookiecutter_project(root, output, {}, no_input=True, trusted=trust, run_hooks=False)


def _render_copier_defaults(root: Path, template_copy: Path, output: Path, *, trust: bool) -> None:
    import copier
    from copier import Settings
    from copier import errors as copier_errors

    from scaffold.render.engines.copier_engine import copier_rules

    # A copy without `.git` renders the files as they are, not the latest tag.
    shutil.copytree(root, template_copy, ignore=shutil.ignore_patterns(".git"))
    try:
        with copier_rules(trusted=trust):
            copier.run_copy(
                str(template_copy),
                output,
                settings=Settings(),  # the user's copier `trust` list does not apply here
                defaults=True,
                skip_tasks=True,
                unsafe=trust,
                quiet=True,
                cleanup_on_error=False,
            )
    except copier_errors.UnsafeTemplateError as error:
        raise UntrustedTemplateError(
            f"template {root} wants to run code: {error}", "pass --trust to lint it"
        ) from error
    except UntrustedTemplateError:
        raise
    except Exception as error:  # a faulty template can fail in any way; that is the finding
        raise TemplateError(f"{type(error).__name__}: {' '.join(str(error).split())}") from error


def _rendered_files(render: DefaultRender) -> list[tuple[str, Path]]:
    if render.folder is None or not render.folder.is_dir():
        return []
    return [
        (path.relative_to(render.folder).as_posix(), path)
        for path in sorted(render.folder.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(render.folder).parts
    ]


def _case_collisions(paths: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
    """Pairs (first seen, later) of files or folders whose names differ only in case."""
    first_seen: dict[str, str] = {}
    collisions = []
    for path in sorted(paths):
        parts = path.split("/")
        for index in range(len(parts)):
            prefix = "/".join(parts[: index + 1])
            earlier = first_seen.setdefault(prefix.lower(), prefix)
            if earlier != prefix and (earlier, prefix) not in collisions:
                collisions.append((earlier, prefix))
    return collisions


class _AnyTagLoader(yaml.SafeLoader):
    """Safe YAML loading that accepts custom tags (`!reference`, `!Ref`, …) as plain values."""


_AnyTagLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def _yaml_problem(error: Exception) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or " ".join(str(error).split())
    where = f" at line {mark.line + 1}" if mark is not None else ""
    return f"invalid YAML after rendering: {problem}{where}"
