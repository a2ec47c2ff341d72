"""What the fleet accepts from a repository, and what it keeps out of clones, logs and reports.

Every repository of a fleet is untrusted input: its answers file names the
template source and version that scaffold will fetch, so those values are
checked here before anything runs them; and every text the fleet prints or
writes passes `redact`, so no token from the environment or a URL leaks.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from scaffold.errors import ScaffoldError
from scaffold.git.arguments import check_repository_argument, check_revision_argument
from scaffold.project.orgconfig import OrgConfig
from scaffold.render.sources import source_match_key
from scaffold.render.trust import trusting_pattern

REMOTE_SCHEMES = ("https", "http", "ssh", "git", "file")
SCP_LIKE = re.compile(r"^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^:]")  # git@host:org/repo.git
SECRET_NAME = re.compile(r"(TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?|API_?KEY)$", re.IGNORECASE)
MIN_SECRET_LENGTH = 6
CREDENTIAL_IN_URL = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^/@\s]+@")
REDACTED = "***"


class UnsafeValueError(ScaffoldError):
    """A repository or fleet entry holds a value the fleet refuses to pass on."""


def require_plain_value(value: str, what: str) -> str:
    """`value` when git or a forge CLI cannot read it as an option or a second line."""
    if not value or value.startswith("-") or any(ord(char) < 32 for char in value):
        raise UnsafeValueError(
            f"{what} {value!r} is refused: empty, starts with '-' or has a control character",
            "fix the value in the repository; the fleet never passes such values to git",
        )
    return value


def require_remote_location(location: str, what: str = "fleet entry") -> str:
    """A git URL or local path the fleet may clone: plain transports only, no credentials."""
    require_plain_value(location, what)
    if "::" in location.split("/", 1)[0]:
        raise UnsafeValueError(
            f"{what} {location!r} uses a git remote helper ('::')",
            "use an https, ssh or file URL, or a local path",
        )
    if "://" in location:
        parts = urlsplit(location)
        if parts.scheme.lower() not in REMOTE_SCHEMES:
            raise UnsafeValueError(
                f"{what} {location!r} uses the transport '{parts.scheme}'",
                f"use one of {', '.join(REMOTE_SCHEMES)}",
            )
        if parts.password is not None or (parts.username and parts.scheme.startswith("http")):
            raise UnsafeValueError(
                f"{what} {redact(location)} carries a credential in its URL",
                "drop it from the URL; give git the token through a credential helper "
                "(e.g. `gh auth setup-git`) so it is never written into a clone",
            )
    return location


def require_template_source(source: str, version: str | None) -> None:
    """Refuse a recorded template source or version that could act as a git option or helper.

    The core's checks (`git.arguments`) first; then the fleet allows only plain transports.
    """
    what = "template source (_src_path)"
    check_repository_argument(source, what)
    if not (source.startswith(("builtin:", "/")) or SCP_LIKE.match(source)):
        require_remote_location(source, what)
    if version is not None:
        check_revision_argument(version, "template version (_commit)")


def require_local_source_allowed(source: str, org: OrgConfig) -> None:
    """Refuse a template on this machine (a folder, `file://`) that the org config does not name.

    Rendering a folder copies its files into the project, which the fleet then pushes: a
    repository naming `/home/runner/.ssh` or another project's clone in the cache would
    copy them into its own update branch. Only the org's `template.source` and its
    `trusted_sources` may be local.
    """
    if source.startswith("builtin:") or _is_network_source(source):
        return
    if org.template_source and _same_source(org.template_source, source):
        return
    if trusting_pattern(org, source) is not None:
        return
    raise UnsafeValueError(
        f"template source (_src_path) {source!r} is a folder on this machine the org config "
        "does not name",
        "a repository may name a local template only when it is the org config's "
        "template.source or matches its trusted_sources",
    )


def _is_network_source(source: str) -> bool:
    location = source.removeprefix("git+")
    if SCP_LIKE.match(location):
        return True
    scheme = location.split("://", 1)[0].lower() if "://" in location else ""
    return scheme in REMOTE_SCHEMES and scheme != "file"


def _same_source(first: str, second: str) -> bool:
    try:
        return source_match_key(first) == source_match_key(second)
    except ScaffoldError:
        return False


def require_relative_path(value: str, what: str) -> str:
    """A path inside a project: relative, no `..`, not an option."""
    require_plain_value(value, what)
    path = PurePosixPath(value)
    if path.is_absolute() or ".." in path.parts or "\\" in value:
        raise UnsafeValueError(
            f"{what} {value!r} is not a relative path inside the project",
            "name it relative to the repository root, without '..'",
        )
    return value


def secrets_in_environment(environ: Mapping[str, str] | None = None) -> list[str]:
    """Values of environment variables named like secrets (…TOKEN, …PASSWORD, …SECRET)."""
    environ = os.environ if environ is None else environ
    return sorted(
        {
            value
            for name, value in environ.items()
            if SECRET_NAME.search(name) and len(value) >= MIN_SECRET_LENGTH
        },
        key=len,
        reverse=True,
    )


def redact(text: str, environ: Mapping[str, str] | None = None) -> str:
    """`text` with URL credentials and every secret-named environment value replaced by ***."""
    text = CREDENTIAL_IN_URL.sub(lambda match: match["scheme"] + REDACTED + "@", text)
    for secret in secrets_in_environment(environ):
        text = text.replace(secret, REDACTED)
    return text
