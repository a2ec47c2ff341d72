"""Render a copier template into a folder, turning every copier failure into a ScaffoldError.

This is the only module that calls copier. It renders into the folder it is
given (always a fresh temporary one: callers move the result into place) and
reports the answers and template version used. It does not touch git or the
user's destination. Cookiecutter templates are handed to `cookiecutter_rendering`.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaffold.errors import (
    InvalidAnswerError,
    ScaffoldError,
    TemplateError,
    UntrustedTemplateError,
)
from scaffold.sources import TemplateSource


@dataclass(frozen=True)
class RenderedProject:
    """A template rendered into `path`, with the answers and version used."""

    path: Path
    answers: dict[str, Any]
    version: str | None
    questions: frozenset[str] = frozenset()
    settings: dict[str, Any] = field(default_factory=dict)  # template settings, `_` stripped


def render_template(
    source: TemplateSource,
    destination: Path,
    answers: dict[str, Any],
    *,
    vcs_ref: str | None = None,
    use_defaults: bool = True,
    trust: bool = False,
    strict_keys: bool = True,
) -> RenderedProject:
    """Render `source` with the engine it is written for (see `TemplateSource.engine`)."""
    if source.engine == "cookiecutter":
        from scaffold.cookiecutter_rendering import render_cookiecutter_template

        return render_cookiecutter_template(
            source,
            destination,
            answers,
            vcs_ref=vcs_ref,
            use_defaults=use_defaults,
            trust=trust,
            strict_keys=strict_keys,
        )
    return render_copier_template(
        source,
        destination,
        answers,
        vcs_ref=vcs_ref,
        use_defaults=use_defaults,
        trust=trust,
        strict_keys=strict_keys,
    )


def render_copier_template(
    source: TemplateSource,
    destination: Path,
    answers: dict[str, Any],
    *,
    vcs_ref: str | None = None,
    use_defaults: bool = True,
    trust: bool = False,
    strict_keys: bool = True,
) -> RenderedProject:
    """Render `source` into the empty folder `destination` with `answers`.

    With `strict_keys`, an answer for a question the template does not ask is
    an error; updates pass recorded answers with `strict_keys=False` because a
    newer template may have dropped a question.
    """
    import copier
    from copier import errors as copier_errors
    from jinja2 import TemplateError as JinjaTemplateError

    try:
        worker = copier.run_copy(
            source.location,
            destination,
            data=dict(answers),
            vcs_ref=None if source.is_builtin else vcs_ref,  # built-ins: the folder is the version
            defaults=use_defaults,
            unsafe=trust or source.is_builtin,
            quiet=True,
            cleanup_on_error=False,
        )
    except copier_errors.UnsafeTemplateError as error:
        raise UntrustedTemplateError(
            f"template '{source.recorded}' wants to run code: {_one_line(error)}",
            "read the template, then pass --trust to allow it",
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
    except (copier_errors.CopierError, JinjaTemplateError, OSError) as error:
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
    )


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text or type(error).__name__


def _process_error(error: subprocess.CalledProcessError) -> str:
    output = error.stderr or error.output or b""
    if isinstance(output, bytes):
        output = output.decode(errors="replace")
    lines = [line.strip() for line in str(output).splitlines() if line.strip()]
    return lines[-1] if lines else f"exit code {error.returncode}"
