"""Render any template with the engine it is written for, then check what it wrote.

`render_template` dispatches on `TemplateSource.engine` to one module of
`engines/` and refuses a render that escapes its destination. It does not touch
git or the user's destination: callers render into a fresh folder and move it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from scaffold.render.containment import check_rendered_tree
from scaffold.render.engines.copier_engine import render_copier_template
from scaffold.render.result import RenderedProject
from scaffold.render.sources import TemplateSource


def render_template(
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
    """Render `source` with the engine it is written for (see `TemplateSource.engine`).

    `answers_file` overrides where the template records its answers (copier's
    `_answers_file`), as an update of a layered template must keep its record.

    The render is refused (`ContainmentError`) when it holds a `.git` entry or
    a symlink pointing outside `destination`; callers have not used it yet.
    """
    if source.engine == "cookiecutter":
        from scaffold.render.engines.cookiecutter_engine import render_cookiecutter_template

        rendered = render_cookiecutter_template(
            source,
            destination,
            answers,
            vcs_ref=vcs_ref,
            use_defaults=use_defaults,
            trust=trust,
            strict_keys=strict_keys,
        )
        if answers_file is not None:
            rendered = replace(rendered, answers_file=answers_file)
    else:
        rendered = render_copier_template(
            source,
            destination,
            answers,
            vcs_ref=vcs_ref,
            use_defaults=use_defaults,
            trust=trust,
            strict_keys=strict_keys,
            answers_file=answers_file,
        )
    check_rendered_tree(rendered.path, source.recorded)
    return rendered
