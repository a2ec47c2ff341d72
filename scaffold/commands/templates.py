"""`scaffold templates`: the built-in templates with their versions and descriptions."""

from __future__ import annotations

from scaffold.render.builtin_templates import BuiltinTemplate, list_builtin_templates


def available_templates() -> list[BuiltinTemplate]:
    """Every template that ships with scaffold."""
    return list_builtin_templates()
