"""Render a copier template into a folder, turning every copier failure into a ScaffoldError.

This is the only module that calls copier to render. It renders into the folder
it is given (always a fresh temporary one: callers move the result into place)
and reports the answers and template version used. Whether the template may run
code is `trust`'s decision: copier gets it as `unsafe`, never from the user's
copier settings, and an untrusted template renders without the filters that read
this machine. It does not touch git or the user's destination.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any

from scaffold.errors import (
    InvalidAnswerError,
    ScaffoldError,
    TemplateError,
    UntrustedTemplateError,
    is_environment_error,
)
from scaffold.render.containment import ContainmentError, check_template_symlinks
from scaffold.render.result import RenderedProject
from scaffold.render.sources import TemplateSource
from scaffold.render.trust import TRUST_HINT, copier_template_code, restrict_jinja_environment

SUPPORTED_COPIER = ">=9.7,<10"  # as pyproject.toml declares it


def render_copier_template(
    source: TemplateSource,
    destination: Path,
    answers: dict[str, Any],
    *,
    vcs_ref: str | None = None,
    use_defaults: bool = True,
    trust: bool = False,
    strict_keys: bool = True,
    answers_file: str | None = None,
) -> RenderedProject:
    """Render `source` into the empty folder `destination` with `answers`.

    `answers_file` (relative to `destination`) overrides the template's `_answers_file`.

    With `strict_keys`, an answer for a question the template does not ask is
    an error; updates pass recorded answers with `strict_keys=False` because a
    newer template may have dropped a question.
    """
    import copier
    from copier import errors as copier_errors
    from jinja2 import TemplateError as JinjaTemplateError
    from plumbum.commands.processes import ProcessExecutionError

    require_supported_copier()
    if source.kind == "path":
        check_template_symlinks(Path(source.location), source.recorded)
    trusted = trust or source.is_builtin
    try:
        with (
            _without_git_index_sync(),
            _plain_folder_known(source),
            copier_rules(trusted=trusted),
            _templates_compiled_once(),
            _stderr_shown_only_on_success(),
        ):
            worker = copier.run_copy(
                source.location,
                destination,
                data=dict(answers),
                vcs_ref=None if source.is_builtin else vcs_ref,  # built-ins: folder is version
                settings=_settings_without_user_trust(),
                defaults=use_defaults,
                unsafe=trusted,
                quiet=True,
                cleanup_on_error=False,
                answers_file=None if answers_file is None else Path(answers_file),
            )
    except KeyboardInterrupt:  # copier's CopierAnswersInterrupt carries its whole answers map
        raise KeyboardInterrupt from None
    except copier_errors.UnsafeTemplateError as error:
        raise UntrustedTemplateError(
            f"template '{source.recorded}' wants to run code: {_unsafe_features(source, vcs_ref)}",
            TRUST_HINT,
        ) from error
    except UntrustedTemplateError as error:  # a machine-reading filter, used while rendering
        raise UntrustedTemplateError(
            f"template '{source.recorded}': {error.message}", error.hint
        ) from error
    except ScaffoldError:
        raise
    except copier_errors.PathError as error:  # copier's own refusal of `..` and absolute paths
        raise ContainmentError(
            f"template '{source.recorded}' would write outside the project: {_one_line(error)}",
            "check answers used in file names (no '..' or absolute paths), or fix the template",
        ) from error
    except copier_errors.ConfigFileError as error:
        cause = error.__cause__ or error.__context__ or error
        raise TemplateError(
            f"template '{source.recorded}' has an invalid copier.yml: {_one_line(cause)}",
            "fix the template's copier.yml or pick another template",
        ) from error
    except ProcessExecutionError as error:  # git, run by copier, failed: fetch or checkout
        raise TemplateError(
            f"cannot fetch template '{source.recorded}': {_last_line(error.stderr)}",
            "check the URL, the --vcs-ref and your network",
        ) from error
    except copier_errors.InteractiveSessionError as error:
        raise ScaffoldError(
            "no terminal to ask the template's questions", "pass --defaults or --data KEY=VALUE"
        ) from error
    except ValueError as error:
        if "revision" in str(error).lower():  # copier reports a missing --vcs-ref as ValueError
            raise TemplateError(
                f"template '{source.recorded}': {_one_line(error)}",
                "pass an existing tag, branch or commit to --vcs-ref",
            ) from error
        raise InvalidAnswerError(_one_line(error), "fix the answer and run again") from error
    except subprocess.CalledProcessError as error:
        raise TemplateError(
            f"cannot fetch template '{source.recorded}': {_process_error(error)}",
            "check the URL, the --vcs-ref and your network",
        ) from error
    except OSError as error:
        if is_environment_error(error):  # the disk or permissions: the CLI names the path
            raise
        raise TemplateError(
            f"template '{source.recorded}' failed to render: {_one_line(error)}",
            "fix the template or pick another one",
        ) from error
    except (copier_errors.CopierError, JinjaTemplateError) as error:
        raise TemplateError(
            f"template '{source.recorded}' failed to render: {_one_line(error)}",
            "fix the template or pick another one",
        ) from error
    except Exception as error:  # a broken template can raise anything while rendering
        raise TemplateError(
            f"template '{source.recorded}' failed to render: {type(error).__name__}: "
            f"{_one_line(error)}",
            "fix the template or pick another one",
        ) from error

    known_questions = set(worker.template.questions_data)
    unknown = sorted(set(answers) - known_questions)
    if unknown and strict_keys:
        raise InvalidAnswerError(
            f"unknown question(s) for template '{source.recorded}': {', '.join(unknown)}",
            f"known questions: {', '.join(sorted(known_questions)) or 'none'}",
        )
    # Remember what copier itself would remember: no hidden (`when: false`) or secret answers.
    forgotten = set(worker.answers.hidden) | set(worker.template.secret_questions)
    rendered_answers = {
        key: value
        for key, value in worker.answers.combined.items()
        if key in known_questions and not key.startswith("_") and key not in forgotten
    }
    version = source.builtin_version or worker.template.commit
    return RenderedProject(
        destination,
        rendered_answers,
        version,
        frozenset(known_questions),
        dict(worker.template.config_data),
        _checked_answers_file(worker.answers_relpath, source),
    )


def _checked_answers_file(answers_relpath: Path, source: TemplateSource) -> str:
    """The record's path relative to the project; a template's `_answers_file` may not leave it."""
    relative = PurePosixPath(answers_relpath.as_posix())
    if relative.is_absolute() or ".." in relative.parts:
        raise ContainmentError(
            f"template '{source.recorded}' would record its answers outside the project: "
            f"{answers_relpath}",
            "fix the template's _answers_file (a path inside the project)",
        )
    return relative.as_posix()


def require_supported_copier() -> None:
    """Refuse, in one line, a copier older than the one pyproject.toml requires.

    scaffold uses copier's `_main` and `_template` modules (copier >= 9.7); an
    older copier installed by hand would otherwise fail with a traceback.
    """
    try:
        import copier._main  # noqa: F401
        import copier._template  # noqa: F401
    except ImportError as error:
        from importlib.metadata import PackageNotFoundError, version

        try:
            installed = version("copier")
        except PackageNotFoundError:
            installed = "unknown"
        raise ScaffoldError(
            f"copier {installed} is too old for scaffold (it needs copier {SUPPORTED_COPIER})",
            f"upgrade it: pip install 'copier{SUPPORTED_COPIER}'",
        ) from error


def _unsafe_features(source: TemplateSource, vcs_ref: str | None) -> str:
    """What an untrusted copier template would have run: its tasks and jinja extensions."""
    from copier._template import Template

    template = Template(url=source.location, ref=None if source.is_builtin else vcs_ref)
    try:
        named = copier_template_code(template)
    except Exception:  # describing is best effort; the refusal stands either way
        named = []
    finally:
        template._cleanup()  # a git template was cloned into a temporary folder
    return "; ".join(named) or "tasks, migrations or jinja extensions"


@contextmanager
def copier_rules(*, trusted: bool) -> Iterator[None]:
    """While it lasts, an untrusted copier render has no filter that reads this machine
    (`trust.restrict_jinja_environment`); a trusted one keeps copier's environment."""
    from copier._main import Worker

    if trusted:
        yield
        return
    original = Worker.__dict__["jinja_env"]

    def restricted_environment(worker: Any) -> Any:
        environment = original.func(worker)
        restrict_jinja_environment(environment)
        return environment

    restricted = cached_property(restricted_environment)
    restricted.__set_name__(Worker, "jinja_env")
    Worker.jinja_env = restricted
    try:
        yield
    finally:
        Worker.jinja_env = original


@contextmanager
def _plain_folder_known(source: TemplateSource) -> Iterator[None]:
    """Tell copier a template folder that is not the top of a repository is not one.

    copier asks git whether a local template is a repository's top (`rev-parse
    --show-toplevel`) and then whether it is a bundle (`init` of a scratch
    repository, `bundle verify`). A folder is never a bundle, and it is a
    repository's top only with a `.git` entry of its own (or `GIT_DIR` /
    `GIT_WORK_TREE` set): without those, the answer is known without git.
    """
    import copier._template

    folder = Path(source.location)
    if (
        source.kind not in ("builtin", "path")
        or not folder.is_dir()
        or os.path.lexists(folder / ".git")
        or {"GIT_DIR", "GIT_WORK_TREE"} & set(os.environ)
    ):
        yield
        return
    get_repo = copier._template.get_repo

    def repository_of(url: str) -> str | None:
        return None if url == source.location else get_repo(url)

    copier._template.get_repo = repository_of
    try:
        yield
    finally:
        copier._template.get_repo = get_repo


@contextmanager
def _templates_compiled_once() -> Iterator[None]:
    """While it lasts, copier compiles each distinct template string once per render.

    copier compiles every string it renders anew (`from_string`), and renders the same
    ones many times: each path part, each question's default, and the answers file's
    name once per file to recognise it. A compiled jinja template is reusable, so the
    environment keeps one per source text; what renders, and how, does not change.
    """
    from copier._main import Worker

    current = Worker.__dict__["jinja_env"]

    def memoizing_environment(worker: Any) -> Any:
        environment = current.func(worker)
        compile_string = environment.from_string
        compiled: dict[str, Any] = {}

        def from_string(source: Any, globals: Any = None, template_class: Any = None) -> Any:
            if globals is not None or template_class is not None or type(source) is not str:
                return compile_string(source, globals, template_class)  # as copier expects
            if source not in compiled:
                compiled[source] = compile_string(source)
            return compiled[source]

        environment.from_string = from_string
        return environment

    memoizing = cached_property(memoizing_environment)
    memoizing.__set_name__(Worker, "jinja_env")
    Worker.jinja_env = memoizing
    try:
        yield
    finally:
        Worker.jinja_env = current


def _settings_without_user_trust() -> Any:
    """copier settings without the user's file: its `trust` list must not bypass scaffold's."""
    from copier import Settings

    return Settings()


@contextmanager
def _without_git_index_sync() -> Iterator[None]:
    """Skip copier's per-file git index sync while it renders into a fresh folder.

    copier (9.x) syncs each rendered file's executable bit into the git index of
    the destination, one `git` process per file: a third of the time to render a
    300-file template. scaffold always renders into a new folder whose files no
    index tracks yet, where that sync changes nothing.
    """
    from copier._main import Worker

    sync = Worker.__dict__.get("_sync_git_index_executable_bit")
    if sync is None:  # a copier without the sync: nothing to skip
        yield
        return
    Worker._sync_git_index_executable_bit = _skip_sync
    try:
        yield
    finally:
        Worker._sync_git_index_executable_bit = sync


def _skip_sync(worker: object, *args: object, **kwargs: object) -> None:
    return None


@contextmanager
def _stderr_shown_only_on_success() -> Iterator[None]:
    """Hold back what copier prints to stderr; a failure is reported in one line instead."""
    held = io.StringIO()
    with redirect_stderr(held):
        yield
    sys.stderr.write(held.getvalue())


def _last_line(text: object) -> str:
    lines = [line.strip() for line in str(text or "").splitlines() if line.strip()]
    return lines[-1] if lines else "git failed"


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text or type(error).__name__


def _process_error(error: subprocess.CalledProcessError) -> str:
    output = error.stderr or error.output or b""
    if isinstance(output, bytes):
        output = output.decode(errors="replace")
    lines = [line.strip() for line in str(output).splitlines() if line.strip()]
    return lines[-1] if lines else f"exit code {error.returncode}"
