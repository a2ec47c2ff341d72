"""Renderers of a `FleetResult`: text, JSON, Markdown and a self-contained HTML page.

Each is a pure function of the result; `render` picks one by format name.
"""

from __future__ import annotations

from scaffold.fleet.results import FleetResult

FORMATS = ("text", "json", "markdown", "html")


def render(result: FleetResult, output_format: str) -> str:
    """`result` in `output_format` (one of FORMATS)."""
    if output_format == "json":
        from scaffold.fleet.reports.json import render_json

        return render_json(result)
    if output_format == "markdown":
        from scaffold.fleet.reports.markdown import render_markdown

        return render_markdown(result)
    if output_format == "html":
        from scaffold.fleet.reports.html import render_html

        return render_html(result)
    from scaffold.fleet.reports.text import render_text

    return render_text(result)
