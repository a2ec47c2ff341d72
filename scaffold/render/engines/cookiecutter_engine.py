"""Render a cookiecutter template exactly as copier templates are rendered, for scaffold.

cookiecutter writes `<output_dir>/<rendered top folder>`; scaffold's project is
the content of that one top folder, moved to the destination. cookiecutter's
stages run without its user config (no user defaults, no replay or clone cache
in the home folder) so a render depends only on template, version and answers. A template
that ships code (`trust.cookiecutter_template_code`) is refused unless trusted;
an untrusted one renders in a jinja sandbox, and answers are data: cookiecutter
would render an answer as a template, scaffold passes it through as given.
This module does not record answers or touch git.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from scaffold import bounded_reads
from scaffold.errors import InvalidAnswerError, ScaffoldError, TemplateError, is_environment_error
from scaffold.interrupts import deferred_interrupts
from scaffold.render.checkout import COOKIECUTTER_CONFIG_FILE, checked_out_template
from scaffold.render.containment import (
    ContainmentError,
    check_relative_path,
    check_template_symlinks,
)
from scaffold.render.result import RenderedProject
from scaffold.render.sources import TemplateSource
from scaffold.render.trust import (
    COOKIECUTTER_DEFAULT_EXTENSIONS,
    SAFE_JINJA_SETTINGS,
    cookiecutter_template_code,
    refuse_template_code,
    restrict_jinja_environment,
)
from scaffold.scratch import scratch_folder

EnvironmentFactory = Callable[[dict[str, Any]], Any]


class AnswerText(str):
    """An answer's text: cookiecutter's rendering of variables passes it through unrendered."""


def render_cookiecutter_template(
    source: TemplateSource,
    destination: Path,
    answers: dict[str, Any],
    *,
    vcs_ref: str | None = None,
    use_defaults: bool = True,
    trust: bool = False,
    strict_keys: bool = True,
) -> RenderedProject:
    """Render `source` at `vcs_ref` into the new folder `destination`; same contract as copier's.

    The version reported is the template's git commit (None for a folder outside git).
    """
    with checked_out_template(
        source.location, is_git_url=source.kind == "git", vcs_ref=vcs_ref
    ) as template:
        context = read_cookiecutter_context(template.folder)
        given = checked_answers(source.recorded, context, answers, strict_keys=strict_keys)
        check_template_symlinks(template.folder, source.recorded)
        refuse_template_code(
            source.recorded, cookiecutter_template_code(template.folder, context), trusted=trust
        )
        rendered_context = generate_cookiecutter_project(
            template.folder,
            destination,
            given,
            no_input=use_defaults,
            trusted=trust,
            label=source.recorded,
        )
    questions = frozenset(key for key in context if not key.startswith("_"))
    return RenderedProject(
        destination,
        {key: value for key, value in rendered_context.items() if key in questions},
        template.commit,
        questions,
        {key[1:]: value for key, value in context.items() if key.startswith("_")},
    )


def read_cookiecutter_context(folder: Path) -> dict[str, Any]:
    """The variables and defaults of `cookiecutter.json`, in file order."""
    config_path = folder / COOKIECUTTER_CONFIG_FILE
    try:
        context = json.loads(bounded_reads.read_text(config_path))
    except UnicodeDecodeError as error:
        raise TemplateError(
            f"{config_path} is not UTF-8 text", "fix the template's cookiecutter.json"
        ) from error
    except OSError as error:
        raise TemplateError(
            f"cannot read {config_path}: {error.strerror}", "is this a cookiecutter template?"
        ) from error
    except json.JSONDecodeError as error:
        raise TemplateError(
            f"{config_path} is not valid JSON: {error.msg} at line {error.lineno}",
            "fix the template's cookiecutter.json",
        ) from error
    except RecursionError as error:
        raise TemplateError(
            f"{config_path} nests too deeply", "fix the template's cookiecutter.json"
        ) from error
    if not isinstance(context, dict):
        raise TemplateError(
            f"{config_path} must hold a JSON object", "fix the template's cookiecutter.json"
        )
    return context


def checked_answers(
    template: str, context: Mapping[str, Any], answers: Mapping[str, Any], *, strict_keys: bool
) -> dict[str, Any]:
    """`answers` the template knows, after refusing unknown keys (if strict) and bad choices."""
    unknown = sorted(set(answers) - set(context))
    if unknown and strict_keys:
        known = ", ".join(key for key in context if not key.startswith("_")) or "none"
        raise InvalidAnswerError(
            f"unknown question(s) for template '{template}': {', '.join(unknown)}",
            f"known questions: {known}",
        )
    for key, value in answers.items():
        choices = context.get(key)
        if isinstance(choices, list) and not isinstance(value, list) and value not in choices:
            raise InvalidAnswerError(
                f"Invalid choice '{value}' for '{key}'",
                f"choose one of: {', '.join(str(choice) for choice in choices)}",
            )
    return {key: value for key, value in answers.items() if key in context}


def generate_cookiecutter_project(
    template_folder: Path,
    destination: Path,
    answers: Mapping[str, Any],
    *,
    no_input: bool = True,
    trusted: bool = False,
    run_hooks: bool | None = None,
    label: str = "",
) -> dict[str, Any]:
    """Run cookiecutter on `template_folder`, move its one output folder to `destination`.

    Untrusted, it renders in a jinja sandbox without `_extensions`; hooks run
    only when `run_hooks` (default: `trusted`). Answers are passed as data.
    Returns cookiecutter's final context (`cookiecutter.*` variables). cookiecutter joins
    rendered names to its output folder unchecked, so every name is rendered
    and checked (`check_rendered_names`) before cookiecutter writes anything.
    """
    from cookiecutter import exceptions as cookiecutter_errors

    label = label or template_folder.name
    run_hooks = trusted if run_hooks is None else run_hooks
    template_context = read_cookiecutter_context(template_folder)

    destination.parent.mkdir(parents=True, exist_ok=True)
    # Beside the destination, so the final move is a rename on the same file system.
    with scratch_folder(".scaffold-cookiecutter-", destination.parent) as scratch:
        try:
            with _cookiecutter_for_scaffold(trusted=trusted) as environment_factory:

                def check_names(repo_dir: str, context: dict[str, Any]) -> None:
                    check_rendered_names(Path(repo_dir), context, label, environment_factory)

                output, final_context = run_local_cookiecutter(
                    template_folder,
                    scratch / "output",
                    no_input=no_input,
                    extra_context=answers_as_data(template_context, answers),
                    accept_hooks=run_hooks,
                    before_writing=check_names,
                )
        except ScaffoldError:
            raise
        except cookiecutter_errors.FailedHookException as error:
            raise TemplateError(
                f"a hook of template {template_folder.name} failed: {_one_line(error)}",
                "fix the template's hook or pick another template",
            ) from error
        except cookiecutter_errors.UndefinedVariableInTemplate as error:
            raise TemplateError(
                f"template failed to render: {error.message}: {error.error.message}",
                "fix the template or pick another one",
            ) from error
        except ValueError as error:  # cookiecutter's way of refusing a choice or a boolean
            raise InvalidAnswerError(_one_line(error), "fix the answer and run again") from error
        except EOFError as error:
            raise ScaffoldError(
                "no terminal to ask the template's questions",
                "pass --defaults or --data KEY=VALUE",
            ) from error
        except Exception as error:  # a broken template can raise anything while rendering
            if is_environment_error(error):  # the disk or permissions: the CLI names the path
                raise
            raise TemplateError(
                f"template failed to render: {type(error).__name__}: {_one_line(error)}",
                "fix the template or pick another one",
            ) from error
        if Path(output).resolve().parent != (scratch / "output").resolve():
            raise ContainmentError(
                f"template '{label}' wrote its project outside its output folder: {output}",
                "a template's top folder name must be a plain folder name",
            )
        if destination.is_dir() and not any(destination.iterdir()):
            destination.rmdir()
        shutil.move(output, destination)
        return final_context


def run_local_cookiecutter(
    template_folder: Path,
    output_dir: Path,
    *,
    no_input: bool,
    extra_context: dict[str, Any],
    accept_hooks: bool,
    before_writing: Callable[[str, dict[str, Any]], None],
) -> tuple[str, dict[str, Any]]:
    """What `cookiecutter.main.cookiecutter` does for a local folder: (project folder, context).

    cookiecutter's own stages in its order: pre-prompt hook, context, nested
    template, prompts, then `before_writing(repo_dir, context)` and generation.
    Calling `main` would import its repository code, and with it `requests` for
    zipped templates: a fifth of a render. No user config and no replay file
    are read or written, so the user's cookiecutter defaults never apply.
    """
    from cookiecutter.generate import generate_context, generate_files
    from cookiecutter.hooks import run_pre_prompt_hook
    from cookiecutter.prompt import choose_nested_template, prompt_for_config
    from cookiecutter.utils import rmtree

    template = str(template_folder)
    repo_dir = str(run_pre_prompt_hook(template)) if accept_hooks else template
    try:
        with _on_import_path(repo_dir):  # a template's local jinja extensions import from here
            context = generate_context(
                context_file=os.path.join(repo_dir, COOKIECUTTER_CONFIG_FILE),
                default_context={},
                extra_context=extra_context,
            )
            variables = context["cookiecutter"]
            context["_cookiecutter"] = {
                key: value for key, value in variables.items() if not key.startswith("_")
            }
            if {"template", "templates"} & set(variables):
                nested = choose_nested_template(context, repo_dir, no_input)
                return run_local_cookiecutter(
                    Path(nested),
                    output_dir,
                    no_input=no_input,
                    extra_context=extra_context,
                    accept_hooks=accept_hooks,
                    before_writing=before_writing,
                )
            if variables:
                variables.update(prompt_for_config(context, no_input))
        variables.update(
            _template=template,
            _output_dir=os.path.abspath(output_dir),
            _repo_dir=repo_dir,
            _checkout=None,
        )
        before_writing(repo_dir, context)
        with _on_import_path(repo_dir):
            output = generate_files(
                repo_dir=repo_dir,
                context=context,
                output_dir=str(output_dir),
                accept_hooks=accept_hooks,
            )
        return output, dict(variables)
    finally:
        if repo_dir != template:  # the pre-prompt hook ran in a copy
            with deferred_interrupts():  # removed whole, as every scratch folder
                rmtree(repo_dir)


@contextmanager
def _on_import_path(folder: str) -> Iterator[None]:
    """`folder` on `sys.path` while it lasts, as cookiecutter's main puts the template."""
    saved = list(sys.path)
    sys.path.append(folder)
    try:
        yield
    finally:
        sys.path[:] = saved


def answers_as_data(context: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    """`answers` with every string marked `AnswerText`, so cookiecutter does not render it.

    An answer equal to one of a choice question's options is the template's own
    text, so it stays unmarked and renders as cookiecutter renders that option.
    """
    marked = {}
    for key, value in answers.items():
        options = context.get(key)
        is_option = isinstance(options, list) and not isinstance(value, list) and value in options
        marked[key] = value if is_option else _marked(value)
    return marked


def sandboxed_environment(context: dict[str, Any]) -> Any:
    """cookiecutter's jinja environment for an untrusted template: sandboxed, strict, no
    template extensions, only syntax settings from `_jinja2_env_vars`, no filters that read
    this machine (`trust.restrict_jinja_environment`)."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    settings = context.get("cookiecutter", {}).get("_jinja2_env_vars") or {}
    options = {
        key: value
        for key, value in (settings.items() if isinstance(settings, dict) else ())
        if key in SAFE_JINJA_SETTINGS
    }
    environment = SandboxedEnvironment(
        undefined=StrictUndefined,
        extensions=list(COOKIECUTTER_DEFAULT_EXTENSIONS),
        **{"keep_trailing_newline": True, **options},
    )
    restrict_jinja_environment(environment)
    return environment


@contextmanager
def _cookiecutter_for_scaffold(*, trusted: bool) -> Iterator[EnvironmentFactory]:
    """cookiecutter with scaffold's rules while it lasts: answers as data and, untrusted, the
    sandboxed environment for every render (prompts, names, files). Yields the factory of
    the environment files render in, for checking names before anything is written."""
    import cookiecutter.generate
    import cookiecutter.prompt

    render_variable = cookiecutter.prompt.render_variable
    environment_factory: EnvironmentFactory = (
        cookiecutter.generate.create_env_with_context if trusted else sandboxed_environment
    )

    def render_unless_answer(environment: Any, raw: Any, cookiecutter_dict: Any) -> Any:
        if isinstance(raw, AnswerText):
            return str(raw)
        return render_variable(environment, raw, cookiecutter_dict)

    with ExitStack() as patches:
        patches.enter_context(
            _replaced(cookiecutter.prompt, "render_variable", render_unless_answer)
        )
        if not trusted:
            for module in (cookiecutter.prompt, cookiecutter.generate):
                patches.enter_context(
                    _replaced(module, "create_env_with_context", sandboxed_environment)
                )
        yield environment_factory


@contextmanager
def _replaced(module: ModuleType, name: str, value: Any) -> Iterator[None]:
    """`module.name` is `value` while it lasts (what `mock.patch.object` does, without
    importing unittest and asyncio, a tenth of a second, on every render)."""
    original = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, original)


def _marked(value: Any) -> Any:
    if isinstance(value, str):
        return AnswerText(value)
    if isinstance(value, list):
        return [_marked(item) for item in value]
    if isinstance(value, dict):
        return {_marked(key): _marked(item) for key, item in value.items()}
    return value


def check_rendered_names(
    repo_dir: Path,
    context: Mapping[str, Any],
    label: str,
    environment_factory: EnvironmentFactory | None = None,
) -> None:
    """Render every file and folder name of the template; refuse any that would escape.

    The project's top folder must render to one plain name; every path inside
    it must stay inside it and out of `.git`. Names render in the environment
    the files will render in (`environment_factory`, default: the sandbox).
    """
    from cookiecutter.find import find_template
    from jinja2 import TemplateError as JinjaTemplateError

    environment = (environment_factory or sandboxed_environment)(dict(context))

    variables = dict(context)
    template_dir = Path(find_template(repo_dir, environment))
    try:
        top = environment.from_string(template_dir.name).render(**variables)
    except JinjaTemplateError:
        return  # cookiecutter reports the broken name itself
    if top.strip() in ("", ".", "..") or "/" in top or "\\" in top:
        raise ContainmentError(
            f"template '{label}' would write its project outside the destination: "
            f"top folder renders to '{top}'",
            "check answers used in the folder name (no '/', '..' or absolute paths)",
        )
    for folder, subfolders, names in os.walk(template_dir):
        for name in [*subfolders, *names]:
            relative = Path(folder, name).relative_to(template_dir).as_posix()
            try:
                rendered = environment.from_string(relative).render(**variables)
            except JinjaTemplateError:
                continue  # cookiecutter reports the broken name itself
            check_relative_path(rendered, label)


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text or type(error).__name__
