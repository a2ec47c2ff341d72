"""The `scaffold` command line: parse options, call one library function, print its result.

No logic lives here. Heavy libraries (copier, jinja2, pydantic) are imported
inside the commands so that `--help` and `--version` stay fast. Every
`ScaffoldError` becomes one line on stderr and its exit code.
"""

from __future__ import annotations

import errno
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from scaffold import __version__
from scaffold.errors import USAGE_EXIT_CODE, ScaffoldError
from scaffold.interrupts import (
    INTERRUPTED_EXIT_CODE,
    report_interrupt,
    silence_stdout,
    stop_on_signals,
)

F = TypeVar("F", bound=Callable[..., Any])


class ScaffoldGroup(click.Group):
    """A click group that turns ScaffoldError and interrupts into one line and an exit code."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        """Run the CLI; click's own usage errors also become one `error:` line (exit 2)."""
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except click.ClickException as error:
            context = getattr(error, "ctx", None)
            if type(error).__name__ == "NoArgsIsHelpError" and context is not None:
                click.echo(context.get_help())  # bare `scaffold`: help, as a user expects
                sys.exit(0)
            hint = f" (see `{context.command_path} --help`)" if context is not None else ""
            message = " ".join(error.format_message().split())
            click.secho(f"error: {message}{hint}", fg="red", err=True)
            sys.exit(error.exit_code)
        except click.Abort:
            report_interrupt()
            sys.exit(INTERRUPTED_EXIT_CODE)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        stop_on_signals()
        # Libraries log their internals (cookiecutter logs a failed hook's traceback); scaffold
        # reports every failure itself in one line, so their records never reach the terminal.
        logging.getLogger().addHandler(logging.NullHandler())
        try:
            return super().invoke(ctx)
        except ScaffoldError as error:
            click.secho(f"error: {error.one_line()}", fg="red", err=True)
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            report_interrupt()
            ctx.exit(INTERRUPTED_EXIT_CODE)
        except BrokenPipeError:  # the reader stopped reading (`| head`): the work is done
            silence_stdout()
            ctx.exit(0)
        except OSError as error:  # the file system refused: one line, not a traceback
            where = f": {error.filename}" if error.filename else ""
            fix = "check the path, its permissions and free space"
            if error.errno in (errno.ENOSPC, errno.EDQUOT):
                fix = f"free space on the disk holding {error.filename or 'the destination'}"
            line = " ".join(f"{error.strerror or error}{where} ({fix})".splitlines())
            click.secho(f"error: {line}", fg="red", err=True)
            ctx.exit(USAGE_EXIT_CODE)


ORG_CONFIG_OPTION = click.option(
    "--org-config",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Org config (default: $SCAFFOLD_ORG_CONFIG, then the user config folder's org.yaml).",
)
PROJECT_ARGUMENT = click.argument(
    "project", required=False, default=".", type=click.Path(path_type=Path, file_okay=False)
)


ANSWERS_FILE_OPTION = click.option(
    "--answers-file",
    "-a",
    metavar="PATH",
    help="The template's answers record, relative to the project (default: "
    ".copier-answers.yml, or the only .copier-answers*.yml); picks one of layered templates.",
)


def answer_options(
    template_help: str, vcs_ref_help: str, data_file_flags: tuple[str, ...] = ("--data-file",)
) -> Callable[[F], F]:
    """The options `new` and `link` share: which template, and how questions get answered."""
    options = [
        click.option("--template", "-t", help=template_help),
        click.option("--vcs-ref", help=vcs_ref_help),
        click.option("--data", "-d", multiple=True, metavar="KEY=VALUE", help="Answer a question."),
        click.option(
            *data_file_flags,
            "data_file",
            type=click.Path(path_type=Path, dir_okay=False),
            help="YAML file of answers (e.g. another project's .copier-answers.yml).",
        ),
        click.option(
            "--defaults", is_flag=True, help="Use the default for every unanswered question."
        ),
        click.option("--trust", is_flag=True, help="Allow the template to run its own code."),
        ORG_CONFIG_OPTION,
    ]

    def decorate(command: F) -> F:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def _asks_questions(defaults: bool) -> bool:
    """Questions are asked only in a terminal and without --defaults."""
    return not defaults and sys.stdin.isatty()


@click.group(cls=ScaffoldGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scaffold")
def main() -> None:
    """Uniform, MLOps-ready projects that stay uniform."""


@main.command()
@click.argument("destination", type=click.Path(path_type=Path, file_okay=False))
@answer_options(
    "Built-in template name, template folder, git URL or git bundle file.",
    "Git tag, branch or commit of the template to use.",
    ("--data-file", "--answers-file"),
)
@click.option(
    "--no-git", is_flag=True, help="Do not commit (inside a repository: do not commit there)."
)
def new(
    destination: Path,
    template: str | None,
    vcs_ref: str | None,
    data: tuple[str, ...],
    data_file: Path | None,
    defaults: bool,
    trust: bool,
    org_config: Path | None,
    no_git: bool,
) -> None:
    """Generate a new project in DESTINATION (the built-in `mlops` template by default).

    Inside an existing git repository (a monorepo), DESTINATION is committed there
    alone; elsewhere it becomes a new repository.
    """
    from scaffold.commands.new import new_project
    from scaffold.project.orgconfig import load_found_org_config

    created = new_project(
        destination,
        template=template,
        vcs_ref=vcs_ref,
        data=data,
        answers_file=data_file,
        use_defaults=not _asks_questions(defaults),
        trust=trust,
        use_git=not no_git,
        org=load_found_org_config(org_config),
    )
    version = f" {created.template_version}" if created.template_version else ""
    click.echo(f"Created {created.path} from {created.template_source}{version}")
    if created.next_steps:
        click.echo(f"Next: {created.next_steps}")


@main.command()
@PROJECT_ARGUMENT
@click.option("--vcs-ref", help="Template version to update to (default: the latest).")
@click.option("--data", "-d", multiple=True, metavar="KEY=VALUE", help="Change or add an answer.")
@click.option("--defaults", is_flag=True, help="Answer new questions with their defaults.")
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
@click.option(
    "--conflict",
    type=click.Choice(["inline", "rej"]),
    default="inline",
    show_default=True,
    help="Mark conflicts inline in the file, or keep your file and write FILE.rej.",
)
@click.option("--trust", is_flag=True, help="Allow the template's migrations and code to run.")
@ANSWERS_FILE_OPTION
@ORG_CONFIG_OPTION
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="Summary as text, JSON (for tools) or Markdown (a pull request body).",
)
def update(
    project: Path,
    vcs_ref: str | None,
    data: tuple[str, ...],
    defaults: bool,
    dry_run: bool,
    conflict: str,
    trust: bool,
    answers_file: str | None,
    org_config: Path | None,
    output_format: str,
) -> None:
    """Update PROJECT (default: .) to a newer template version, keeping your edits.

    Exit code 1 when conflicts are left to resolve (or would be, with --dry-run).
    """
    from scaffold.commands.update import update_project
    from scaffold.commands.update_report import (
        render_update,
        render_update_json,
        render_update_markdown,
    )
    from scaffold.project.orgconfig import load_found_org_config

    result = update_project(
        project,
        vcs_ref=vcs_ref,
        data=data,
        use_defaults=not _asks_questions(defaults),
        dry_run=dry_run,
        conflict=conflict,
        trust=trust,
        org=load_found_org_config(org_config),
        answers_file=answers_file,
    )
    if output_format == "json":
        click.echo(render_update_json(result), nl=False)
    elif output_format == "markdown":
        click.echo(render_update_markdown(result), nl=False)
    else:
        if dry_run and result.diff:
            click.echo(result.diff, nl=False)
        click.echo(render_update(result), nl=False)
    if result.conflicts:
        sys.exit(1)


@main.command()
@PROJECT_ARGUMENT
@click.option(
    "--trust", is_flag=True, help="Allow template code when the base must be re-rendered."
)
@ANSWERS_FILE_OPTION
def diff(project: Path, trust: bool, answers_file: str | None) -> None:
    """Show what you changed relative to the template's render of the recorded version."""
    from scaffold.commands.diff import project_diff

    result = project_diff(project, trust=trust, answers_file=answers_file)
    click.echo(result.diff, nl=False)
    if not result.changed_paths:
        click.echo(f"No changes to the generated files of {result.project.name}.", err=True)


@main.command()
@click.argument("projects", nargs=-1, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a table for people; json: a list of objects for tools.",
)
@ANSWERS_FILE_OPTION
def status(projects: tuple[Path, ...], output_format: str, answers_file: str | None) -> None:
    """Recorded template and version, latest version and local edits of each project.

    A project holding several templates (layered answers files) gets one line per template.
    Exit code 1 when any project is outdated, 2 when a folder is not a generated project.
    """
    from scaffold.commands.status import project_statuses
    from scaffold.commands.update_report import render_status_json, render_status_text

    statuses = project_statuses(list(projects) or [Path(".")], answers_file)
    render = render_status_json if output_format == "json" else render_status_text
    click.echo(render(statuses))
    if any(entry.error and entry.template_source == "-" for entry in statuses):
        sys.exit(USAGE_EXIT_CODE)
    if any(entry.outdated for entry in statuses):
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@ORG_CONFIG_OPTION
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "sarif"]),
    default="text",
    show_default=True,
    help="text for people, json for tools, sarif for code-scanning UIs (GitHub, GitLab).",
)
@click.option(
    "--select", multiple=True, metavar="RULE", help="Only these rules (id, prefix, family)."
)
@click.option(
    "--ignore", multiple=True, metavar="RULE", help="Skip these rules (id, prefix, family)."
)
@click.option(
    "--recursive",
    "-r",
    type=click.Path(path_type=Path, file_okay=False),
    help="Also check every project found under this folder.",
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes (default: CPUs).")
@click.option(
    "--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Write to a file."
)
@click.option(
    "--list-rules",
    is_flag=True,
    help="Print the rules (Markdown; JSON or SARIF with --format) and exit.",
)
@ANSWERS_FILE_OPTION
def check(
    paths: tuple[Path, ...],
    org_config: Path | None,
    output_format: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    recursive: Path | None,
    jobs: int | None,
    output: Path | None,
    list_rules: bool,
    answers_file: str | None,
) -> None:
    """Check projects (default: the current folder) against the org's conventions.

    Exit code 0 when every project passes, 1 when a rule fails, 2 on a usage
    or org config error.
    """
    from scaffold.check.reports import render
    from scaffold.check.reports.rules_doc import rules_listing
    from scaffold.commands.check import check as check_projects
    from scaffold.commands.check import rules_for
    from scaffold.project.orgconfig import load_found_org_config

    org = load_found_org_config(org_config)
    if list_rules:
        click.echo(rules_listing(rules_for(org, select, ignore), output_format), nl=False)
        return
    report = check_projects(
        list(paths),
        recursive=recursive,
        org=org,
        select=select,
        ignore=ignore,
        jobs=jobs,
        answers_file=answers_file,
    )
    if output is not None:
        output.write_text(render(report, output_format), encoding="utf-8")
    else:
        click.echo(render(report, output_format, color=output_format == "text"), nl=False)
    sys.exit(report.exit_code)


@main.command()
def templates() -> None:
    """List the built-in templates with every version they ship (newest first)."""
    from scaffold.commands.templates import available_templates

    for template in available_templates():
        for version in reversed(template.released_versions):
            earlier = "" if version == template.version else f" (`--vcs-ref {version}`)"
            click.echo(f"{template.name:<12} {version:<10} {template.description}{earlier}")


@main.command()
@PROJECT_ARGUMENT
@answer_options(
    "Template the project was made from (default: recorded).",
    "Template version the project was made from (default: recorded).",
)
@click.option(
    "--answers-file",
    "-a",
    "record",
    metavar="PATH",
    default=".copier-answers.yml",
    show_default=True,
    help="Where the project keeps this template's answers (a layered template's own record).",
)
def link(
    project: Path,
    template: str | None,
    vcs_ref: str | None,
    data: tuple[str, ...],
    data_file: Path | None,
    defaults: bool,
    trust: bool,
    org_config: Path | None,
    record: str,
) -> None:
    """Adopt an existing git project (hand-made, cookiecutter, cruft, copier) for updates.

    Answers come from the answers record (.copier-answers.yml, or --answers-file) or
    cruft's .cruft.json when present, otherwise from --data, --data-file or questions.
    PROJECT may be a subfolder of a git repository.
    """
    from scaffold.commands.link import link_project
    from scaffold.project.orgconfig import load_found_org_config

    linked = link_project(
        project,
        template=template,
        vcs_ref=vcs_ref,
        data=data,
        data_file=data_file,
        use_defaults=not _asks_questions(defaults),
        trust=trust,
        org=load_found_org_config(org_config),
        answers_file=record,
    )
    version = f" {linked.template_version}" if linked.template_version else ""
    origin = f" (answers from {linked.record_origin})" if linked.record_origin else ""
    click.echo(f"Linked {linked.path} to {linked.template_source}{version}{origin}")
    click.echo(
        f"{len(linked.differing_paths)} file(s) differ from the template; "
        "`scaffold diff` shows them, `scaffold update` brings template changes."
    )


@main.group()
def template() -> None:
    """Tools for template authors."""


@template.command("lint")
@click.argument("path", type=click.Path(path_type=Path, file_okay=False))
@click.option("--trust", is_flag=True, help="Allow the template's jinja extensions to load.")
def template_lint(path: Path, trust: bool) -> None:
    """Check the template at PATH for common faults; one `path: CODE message` line each.

    Exit code 1 when there are findings, 0 when clean.
    """
    from scaffold.commands.template_lint import lint_template_command

    findings = lint_template_command(path, trust=trust)
    for finding in findings:
        click.echo(finding.one_line())
    if findings:
        sys.exit(1)


def fleet_options(command: F) -> F:
    """The options every `scaffold fleet` verb shares: which fleet, where to cache, how to print."""
    options = [
        click.option(
            "--fleet",
            "fleet_file",
            type=click.Path(path_type=Path, dir_okay=False),
            help="File listing the fleet: one git URL or path per line (default: the org config).",
        ),
        click.option(
            "--recursive",
            "-r",
            type=click.Path(path_type=Path, file_okay=False),
            help="Every git repository under this folder is part of the fleet.",
        ),
        ORG_CONFIG_OPTION,
        click.option(
            "--cache",
            type=click.Path(path_type=Path, file_okay=False),
            help="Clone cache (default: $SCAFFOLD_FLEET_CACHE, else ~/.cache/scaffold/fleet).",
        ),
        click.option("--jobs", "-j", type=click.IntRange(min=1), help="Projects at once."),
        click.option(
            "--format",
            "output_format",
            type=click.Choice(["text", "json", "markdown"]),
            default="text",
            show_default=True,
            help="Result on stdout as text, JSON (for tools) or Markdown (job summaries).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@main.group()
def fleet() -> None:
    """Status, checks, update branches and a report for every project of a fleet.

    A fleet is the org config's `fleet:` list, a --fleet FILE or every
    repository under --recursive DIR. See docs/fleet.md.
    """


def _run_fleet_command(command: str, output_format: str, **options: Any) -> None:
    from scaffold.commands.fleet import run_fleet
    from scaffold.fleet.reports import render
    from scaffold.project.orgconfig import load_found_org_config

    org = load_found_org_config(options.pop("org_config"))
    html_output = options.pop("html_output", None)
    result = run_fleet(command, org=org, progress_stream=sys.stderr, **options)
    if html_output is not None:
        _write_atomically(html_output, render(result, "html"))
        click.echo(f"Wrote {html_output}", err=True)
    click.echo(render(result, output_format), nl=False)
    sys.exit(result.exit_code)


def _write_atomically(path: Path, text: str) -> None:
    """Write `path` completely or not at all."""
    import os
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's 0600
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@fleet.command("status")
@fleet_options
def fleet_status(output_format: str, **options: Any) -> None:
    """Template and version of every project, and the newest version the org allows.

    Exit code 1 when a project is outdated or cannot be reached.
    """
    _run_fleet_command("status", output_format, **options)


@fleet.command("check")
@fleet_options
@click.option("--select", multiple=True, metavar="RULE", help="Only these rules.")
@click.option("--ignore", multiple=True, metavar="RULE", help="Skip these rules.")
def fleet_check(output_format: str, **options: Any) -> None:
    """Check every project against the org's conventions.

    Exit code 1 when a rule fails on a project or a project cannot be reached.
    """
    _run_fleet_command("check", output_format, **options)


@fleet.command("update")
@fleet_options
@click.option("--dry-run", is_flag=True, help="Show what would be updated; push nothing.")
@click.option("--open-pr", is_flag=True, help="Open or refresh a request with gh or glab.")
@click.option(
    "--forge",
    type=click.Choice(["github", "gitlab"]),
    help="Forge of every remote (default: told by the host name).",
)
def fleet_update(output_format: str, **options: Any) -> None:
    """Push a `scaffold/update-<version>` branch to every outdated project.

    Never touches a default branch. Exit code 1 when a project has conflicts
    (committed with markers on its branch) or failed.
    """
    _run_fleet_command("update", output_format, **options)


@fleet.command("report")
@fleet_options
@click.option(
    "--output",
    "-o",
    "html_output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("fleet-report.html"),
    show_default=True,
    help="The self-contained HTML report to write.",
)
@click.option("--select", multiple=True, metavar="RULE", help="Only these rules.")
@click.option("--ignore", multiple=True, metavar="RULE", help="Skip these rules.")
def fleet_report(output_format: str, **options: Any) -> None:
    """Write one HTML page showing the fleet; print a summary (--format markdown for CI)."""
    _run_fleet_command("report", output_format, **options)
