"""The `scaffold` command line: parse options, call one library function, print its result.

No logic lives here. Heavy libraries (copier, jinja2, pydantic) are imported
inside the commands so that `--help` and `--version` stay fast. Every
`ScaffoldError` becomes one line on stderr and its exit code.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import Any

import click

from scaffold import __version__
from scaffold.errors import ScaffoldError

INTERRUPTED_EXIT_CODE = 130


class ScaffoldGroup(click.Group):
    """A click group that turns ScaffoldError and interrupts into one line and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        signal.signal(signal.SIGTERM, _raise_interrupt)
        try:
            return super().invoke(ctx)
        except ScaffoldError as error:
            click.secho(f"error: {error.one_line()}", fg="red", err=True)
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            click.secho("interrupted: nothing was changed", fg="red", err=True)
            ctx.exit(INTERRUPTED_EXIT_CODE)


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@click.group(cls=ScaffoldGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scaffold")
def main() -> None:
    """Uniform, MLOps-ready projects that stay uniform."""


@main.command()
@click.argument("destination", type=click.Path(path_type=Path, file_okay=False))
@click.option("--template", "-t", help="Built-in template name, template folder or git URL.")
@click.option("--vcs-ref", help="Git tag, branch or commit of the template to use.")
@click.option("--data", "-d", multiple=True, metavar="KEY=VALUE", help="Answer a question.")
@click.option(
    "--answers-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="YAML file of answers (e.g. another project's .copier-answers.yml).",
)
@click.option("--defaults", is_flag=True, help="Use the default for every unanswered question.")
@click.option("--trust", is_flag=True, help="Allow the template to run its own code.")
@click.option("--no-git", is_flag=True, help="Do not create a git repository.")
def new(
    destination: Path,
    template: str | None,
    vcs_ref: str | None,
    data: tuple[str, ...],
    answers_file: Path | None,
    defaults: bool,
    trust: bool,
    no_git: bool,
) -> None:
    """Generate a new project in DESTINATION (the built-in `mlops` template by default)."""
    from scaffold.commands.new import new_project

    created = new_project(
        destination,
        template=template,
        vcs_ref=vcs_ref,
        data=data,
        answers_file=answers_file,
        use_defaults=defaults or not sys.stdin.isatty(),
        trust=trust,
        use_git=not no_git,
    )
    version = f" {created.template_version}" if created.template_version else ""
    click.echo(f"Created {created.path} from {created.template_source}{version}")
    click.echo(f"Next: cd {created.path} && make setup && make pipeline && make test")


@main.command()
def templates() -> None:
    """List the built-in templates with their versions."""
    from scaffold.commands.templates import available_templates

    for template in available_templates():
        click.echo(f"{template.name:<12} {template.version:<10} {template.description}")
