"""The one error tree of scaffold.

Every failure a user can cause is a `ScaffoldError` carrying a one-line
message, a hint that names the fix, and the exit code the CLI returns.
This module does not print anything; the CLI renders errors.
"""

from __future__ import annotations

import errno

USAGE_EXIT_CODE = 2
FINDINGS_EXIT_CODE = 1
# The machine refused, not the template or the input: full disk or quota, permissions, read-only.
ENVIRONMENT_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS, errno.EMFILE}
)


def is_environment_error(error: BaseException) -> bool:
    """Whether `error` is the file system refusing (full disk, permissions), whoever caused it."""
    return isinstance(error, OSError) and error.errno in ENVIRONMENT_ERRNOS


class ScaffoldError(Exception):
    """A failure explained to the user in one line, with the fix."""

    exit_code = USAGE_EXIT_CODE

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        """The message and the hint joined into the single line the CLI prints.

        Every line break (including the ones `str.splitlines` knows beyond
        `\n`, which a user's value may carry) becomes a space.
        """
        text = " ".join(self.message.strip().splitlines())
        hint = " ".join(self.hint.splitlines())
        return f"{text} ({hint})" if hint else text


class InvalidAnswerError(ScaffoldError):
    """An answer fails the template's validation or names an unknown choice or key."""


class TemplateError(ScaffoldError):
    """A template cannot be found, read or rendered."""


class DestinationError(ScaffoldError):
    """The destination cannot receive the project."""


class UntrustedTemplateError(ScaffoldError):
    """A template wants to run code and was not trusted."""


class GitError(ScaffoldError):
    """git is missing or a git command failed."""


class OrgConfigError(ScaffoldError):
    """The org config cannot be found, read or validated."""
