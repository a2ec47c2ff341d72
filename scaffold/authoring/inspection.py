"""Read a template's source without rendering it: its questions and every variable it uses.

Works for copier templates (`copier.yml`, `.jinja` files, templated paths)
and cookiecutter templates (`cookiecutter.json`, `cookiecutter.*` variables
in the `{{cookiecutter.…}}` folder and in hooks). Variables are found with
jinja's parser, so nothing is executed. Judging what is a fault is
`template_lint`'s job, not this module's.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, TemplateSyntaxError, meta, nodes

from scaffold import bounded_reads
from scaffold.errors import TemplateError
from scaffold.render.checkout import (
    COOKIECUTTER_CONFIG_FILE,
    COPIER_CONFIG_FILES,
    engine_of_folder,
)
from scaffold.update.copier_settings import COPIER_DEFAULT_EXCLUDE

COPIER_CONTEXT_NAMES = frozenset(
    {
        "_copier_answers",
        "_copier_conf",
        "_copier_python",
        "_copier_phase",
        "_copier_operation",
        "_folder_name",
        "_external_data",
        # set by copier (and scaffold) while running tasks and migrations
        "_stage",
        "_version_from",
        "_version_to",
        "_version_current",
        "_version_pep440_from",
        "_version_pep440_to",
        "_version_pep440_current",
    }
)
COPIER_DELIMITER_OPTIONS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
)
COPIER_EXTENSIONS = (
    "jinja2_ansible_filters.AnsibleCoreFiltersExtension",
    "copier._jinja_ext.YieldExtension",
)
COOKIECUTTER_RUNTIME_KEYS = frozenset({"_template", "_output_dir", "_repo_dir", "_checkout"})
COOKIECUTTER_EXTENSIONS = (
    "cookiecutter.extensions.JsonifyExtension",
    "cookiecutter.extensions.RandomStringExtension",
    "cookiecutter.extensions.SlugifyExtension",
    "cookiecutter.extensions.TimeExtension",
    "cookiecutter.extensions.UUIDExtension",
)


@dataclass(frozen=True)
class VariableUse:
    """One variable one place of the template refers to.

    `name` is as written (`package_name`, `cookiecutter.project_slug`);
    `question` is the question it reads, if any; `owner` is the question
    whose own settings (default, validator, …) hold the reference.
    """

    path: str
    name: str
    question: str | None
    owner: str | None = None


@dataclass(frozen=True)
class TemplateInspection:
    """What a template declares and uses, with paths relative to its folder."""

    root: Path
    engine: str
    config_file: str
    questions: tuple[str, ...]
    defined_names: frozenset[str]
    uses: tuple[VariableUse, ...]
    syntax_errors: tuple[tuple[str, str], ...]  # (path, message)
    output_paths: tuple[str, ...]  # template files as they are named in the output (unrendered)
    jinja_extensions: tuple[str, ...]


def inspect_template(root: Path, *, load_extensions: bool = False) -> TemplateInspection:
    """Inspect the copier or cookiecutter template in `root`.

    Template-declared jinja extensions are imported only with `load_extensions`.
    """
    if not root.is_dir():
        raise TemplateError(f"{root} is not a folder", "pass the template's folder")
    if engine_of_folder(root) == "cookiecutter":
        return _inspect_cookiecutter(root, load_extensions=load_extensions)
    if not any((root / name).is_file() for name in COPIER_CONFIG_FILES):
        raise TemplateError(
            f"{root} is not a template (no copier.yml or cookiecutter.json)",
            "pass the folder that holds the template's copier.yml or cookiecutter.json",
        )
    return _inspect_copier(root, load_extensions=load_extensions)


def _inspect_copier(root: Path, *, load_extensions: bool) -> TemplateInspection:
    import pathspec

    config_name = next(name for name in COPIER_CONFIG_FILES if (root / name).is_file())
    config = _read_copier_config(root / config_name)
    settings = {key: value for key, value in config.items() if str(key).startswith("_")}
    questions = tuple(str(key) for key in config if not str(key).startswith("_"))
    extensions = tuple(str(name) for name in settings.get("_jinja_extensions", []) or [])
    envops = settings.get("_envops", {}) or {}
    environment = _environment(
        {key: envops[key] for key in COPIER_DELIMITER_OPTIONS if key in envops},
        [*COPIER_EXTENSIONS, *(extensions if load_extensions else ())],
    )
    collector = _UseCollector(environment, qualifier=None, questions=set(questions))

    for question in questions:
        for text in _strings_in(config[question]):
            collector.add_text(config_name, text, owner=question)
    for text in _strings_in(settings):
        collector.add_text(config_name, text)

    subdirectory = str(settings.get("_subdirectory", "") or "")
    content_root = root / subdirectory
    suffix = str(settings.get("_templates_suffix", ".jinja"))
    literal_excludes = [
        str(pattern)
        for pattern in settings.get("_exclude", []) or []
        if not collector.is_templated(str(pattern))
    ]
    excluded = pathspec.PathSpec.from_lines(
        _gitignore_pattern_name(pathspec),
        [*([] if subdirectory else COPIER_DEFAULT_EXCLUDE), *literal_excludes],
    )
    output_paths = []
    for path in _files_under(content_root, excluded.match_file):
        relative = path.relative_to(content_root).as_posix()
        shown = path.relative_to(root).as_posix()
        for part in relative.split("/"):
            collector.add_text(shown, part)
        is_template = suffix == "" or path.name.endswith(suffix)
        if is_template:
            collector.add_text(shown, _read_text(path))
        output_paths.append(relative.removesuffix(suffix) if suffix else relative)

    defined = frozenset({*questions, *COPIER_CONTEXT_NAMES, *environment.globals})
    return TemplateInspection(
        root,
        "copier",
        config_name,
        questions,
        defined,
        tuple(collector.uses),
        tuple(collector.syntax_errors),
        tuple(output_paths),
        extensions,
    )


def _inspect_cookiecutter(root: Path, *, load_extensions: bool) -> TemplateInspection:
    config_path = root / COOKIECUTTER_CONFIG_FILE
    try:
        context = json.loads(bounded_reads.read_text(config_path))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as error:
        raise TemplateError(
            f"cannot read {config_path}: {error}", "fix the template's cookiecutter.json"
        ) from error
    if not isinstance(context, dict):
        raise TemplateError(f"{config_path} must hold a JSON object", "fix cookiecutter.json")
    questions = tuple(key for key in context if not key.startswith("_"))
    extensions = tuple(str(name) for name in context.get("_extensions", []) or [])
    environment = _environment(
        {}, [*COOKIECUTTER_EXTENSIONS, *(extensions if load_extensions else ())]
    )
    collector = _UseCollector(environment, qualifier="cookiecutter", questions=set(questions))
    for key, value in context.items():
        for text in _strings_in(value):
            collector.add_text(COOKIECUTTER_CONFIG_FILE, text, owner=key)

    project_folder = _cookiecutter_project_folder(root)
    copy_only = [str(pattern) for pattern in context.get("_copy_without_render", []) or []]
    output_paths = []
    for path in _files_under(project_folder, lambda _relative: False):
        relative = path.relative_to(project_folder).as_posix()
        shown = path.relative_to(root).as_posix()
        for part in shown.split("/"):
            collector.add_text(shown, part)
        if not any(Path(relative).match(pattern) for pattern in copy_only):
            collector.add_text(shown, _read_text(path))
        output_paths.append(relative)
    hooks_folder = root / "hooks"
    if hooks_folder.is_dir():
        for hook in _files_under(hooks_folder, lambda _relative: False):
            collector.add_text(hook.relative_to(root).as_posix(), _read_text(hook))

    defined = frozenset(
        {
            "cookiecutter",
            "_cookiecutter",
            *environment.globals,
            *(f"cookiecutter.{key}" for key in (*context, *COOKIECUTTER_RUNTIME_KEYS)),
        }
    )
    return TemplateInspection(
        root,
        "cookiecutter",
        COOKIECUTTER_CONFIG_FILE,
        questions,
        defined,
        tuple(collector.uses),
        tuple(collector.syntax_errors),
        tuple(output_paths),
        extensions,
    )


class _UseCollector:
    """Parse jinja text and remember the variables it uses (and syntax errors)."""

    def __init__(
        self, environment: Environment, *, qualifier: str | None, questions: set[str]
    ) -> None:
        self.environment = environment
        self.qualifier = qualifier  # cookiecutter: questions are read as `cookiecutter.<name>`
        self.questions = questions
        self.uses: list[VariableUse] = []
        self.syntax_errors: list[tuple[str, str]] = []

    def is_templated(self, text: str) -> bool:
        markers = (
            self.environment.variable_start_string,
            self.environment.block_start_string,
        )
        return any(marker in text for marker in markers)

    def add_text(self, path: str, text: str, owner: str | None = None) -> None:
        if not self.is_templated(text):
            return
        try:
            tree = self.environment.parse(text)
            undeclared = meta.find_undeclared_variables(tree)  # also checks filters and tests
        except TemplateSyntaxError as error:  # includes TemplateAssertionError (unknown filter)
            self.syntax_errors.append((path, f"line {error.lineno}: {error.message}"))
            return
        for name in sorted(undeclared):
            if name == self.qualifier:
                continue
            question = name if self.qualifier is None and name in self.questions else None
            self.uses.append(VariableUse(path, name, question, owner))
        if self.qualifier is not None:
            for attribute in sorted(_qualified_attributes(tree, self.qualifier)):
                question = attribute if attribute in self.questions else None
                self.uses.append(
                    VariableUse(path, f"{self.qualifier}.{attribute}", question, owner)
                )


def _qualified_attributes(tree: nodes.Template, qualifier: str) -> set[str]:
    """Names read as `qualifier.name` or `qualifier['name']` (dict methods excluded)."""
    found = set()
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        if not (isinstance(node.node, nodes.Name) and node.node.name == qualifier):
            continue
        if isinstance(node, nodes.Getattr) and node.attr not in dir(dict):
            found.add(node.attr)
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            found.add(str(node.arg.value))
    return found


def _environment(options: Mapping[str, Any], extensions: list[str]) -> Environment:
    try:
        return Environment(extensions=extensions, **options)
    except ImportError as error:
        raise TemplateError(
            f"cannot load a jinja extension of the template: {error}",
            "install the extension the template names",
        ) from error


class _TolerantLoader(yaml.SafeLoader):
    """A YAML loader that reads copier's `!include` and other tags as plain values."""


_TolerantLoader.add_multi_constructor(
    "!",
    lambda loader, suffix, node: None,  # tags such as copier's `!include` are not followed
)


def _read_copier_config(path: Path) -> dict[str, Any]:
    try:
        documents = list(yaml.load_all(bounded_reads.read_text(path), Loader=_TolerantLoader))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise TemplateError(f"cannot read {path}: {error}", "fix the template's copier.yml") from (
            error
        )
    config: dict[str, Any] = {}
    for document in documents:
        if isinstance(document, dict):
            config.update({str(key): value for key, value in document.items()})
        elif document is not None:
            raise TemplateError(f"{path} must hold a mapping", "fix the template's copier.yml")
    return config


def _gitignore_pattern_name(pathspec: Any) -> str:
    """pathspec 1.x calls gitignore patterns "gitignore"; earlier versions "gitwildmatch"."""
    try:
        pathspec.util.lookup_pattern("gitignore")
    except KeyError:
        return "gitwildmatch"
    return "gitignore"


def _cookiecutter_project_folder(root: Path) -> Path:
    for candidate in sorted(root.iterdir()):
        name = candidate.name
        if candidate.is_dir() and "cookiecutter" in name and "{{" in name and "}}" in name:
            return candidate
    raise TemplateError(
        f"{root} has no project folder named like '{{{{cookiecutter.project_slug}}}}'",
        "put the template's files in one folder whose name uses a cookiecutter variable",
    )


def _files_under(folder: Path, is_excluded: Any) -> Iterator[Path]:
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        parts = relative.split("/")
        prefixes = ["/".join(parts[: index + 1]) for index in range(len(parts))]
        if ".git" in parts or any(is_excluded(prefix) for prefix in prefixes):
            continue
        if path.is_file():
            yield path


def _read_text(path: Path) -> str:
    try:
        return bounded_reads.read_text(path, limit=bounded_reads.PROJECT_FILE_LIMIT)
    except (UnicodeDecodeError, OSError):
        return ""  # binary files are copied, not rendered


def _strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings_in(key)
            yield from _strings_in(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings_in(item)
