"""Check values that reach a git command line from a file or the user before git sees them.

A recorded `_src_path: --upload-pack=CMD` or `--vcs-ref=-f` must be a repository or a
revision, never an option, and a source must not pick git's command-running transports
(`ext::`, `fd::`). Every caller also ends options with `--` where git allows it; this module
is the check for the places that cannot (a revision) and for copier, which runs its own git.
"""

from __future__ import annotations

import re

from scaffold.errors import ScaffoldError

# git's `<transport>::<address>` syntax runs a remote helper; `ext::` runs any command.
TRANSPORT_PREFIX = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*::")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class GitArgumentError(ScaffoldError):
    """A value from a file or the command line would be read by git as an option or a command."""


def check_repository_argument(value: str, origin: str) -> str:
    """`value` unchanged when git can only read it as a repository path or URL."""
    if value.startswith("-"):
        raise GitArgumentError(
            f"{origin} '{value}' starts with '-', which git would read as an option",
            "name a template folder, a git URL or a built-in template",
        )
    if TRANSPORT_PREFIX.match(value):
        raise GitArgumentError(
            f"{origin} '{value}' uses git's '<transport>::' syntax, which can run commands",
            "use an https://, ssh://, git@host: or file:// URL, or a folder",
        )
    if CONTROL_CHARACTERS.search(value):
        raise GitArgumentError(
            f"{origin} {value!r} holds a control character", "fix the template source"
        )
    return value


def check_revision_argument(value: str, origin: str) -> str:
    """`value` unchanged when git can only read it as a revision (tag, branch or commit)."""
    if value.startswith("-"):
        raise GitArgumentError(
            f"{origin} '{value}' starts with '-', which git would read as an option",
            "pass a tag, branch or commit",
        )
    if CONTROL_CHARACTERS.search(value) or not value.strip():
        raise GitArgumentError(
            f"{origin} {value!r} is not a tag, branch or commit", "pass a tag, branch or commit"
        )
    return value
