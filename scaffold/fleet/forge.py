"""Open or refresh the update request through the forge's own CLI: `gh` (GitHub), `glab` (GitLab).

One request per update branch: an open one is edited (only when its title or
body changed), never duplicated. Every value goes in `--option=value` form,
so nothing read from a repository can become an option. The CLIs bring
their own authentication (GH_TOKEN, GITLAB_TOKEN); no token passes here.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from scaffold.errors import ScaffoldError
from scaffold.fleet.safety import redact, require_plain_value

FORGE_CLIS = {
    "github": ("gh", "https://cli.github.com"),
    "gitlab": ("glab", "https://gitlab.com/gitlab-org/cli"),
}
FORGE_TIMEOUT_S = 120
SCP_LIKE = re.compile(r"^[^@/]+@(?P<host>[^:/]+):(?P<path>.+)$")


class ForgeError(ScaffoldError):
    """The forge CLI is missing, or it could not list, open or edit a request."""


@dataclass(frozen=True)
class Forge:
    """Where a repository's requests live: the forge kind, its host and the repository path."""

    kind: str  # "github" or "gitlab"
    host: str
    repository: str  # "owner/name" (GitLab: "group/subgroup/name")

    @property
    def cli(self) -> str:
        """The forge's CLI program."""
        return FORGE_CLIS[self.kind][0]

    @property
    def repository_option(self) -> str:
        """`--repo=...` naming the repository on its host."""
        if self.kind == "github" and self.host != "github.com":
            return f"--repo={self.host}/{self.repository}"
        if self.kind == "gitlab" and self.host != "gitlab.com":
            return f"--repo=https://{self.host}/{self.repository}"
        return f"--repo={self.repository}"


@dataclass(frozen=True)
class Request:
    """The pull/merge request of an update branch after `open_or_refresh`."""

    url: str
    action: str  # "opened", "refreshed" or "unchanged"


def forge_for(location: str, kind: str | None = None) -> Forge | None:
    """The forge of a repository URL (`kind` forces github/gitlab; None for local folders)."""
    if "://" in location:
        parts = urlsplit(location)
        host, path = parts.hostname or "", parts.path
    elif match := SCP_LIKE.match(location):
        host, path = match["host"], match["path"]
    else:
        return None
    repository = path.strip("/").removesuffix(".git")
    if not host or repository.count("/") < 1:
        return None
    detected = kind or next((name for name in FORGE_CLIS if name in host.lower()), None)
    if detected is None:
        return None
    require_plain_value(repository, "repository path")
    return Forge(detected, host, repository)


def require_cli(kind: str) -> str:
    """The path of the forge's CLI, or a ForgeError naming the program to install."""
    program, home = FORGE_CLIS[kind]
    found = shutil.which(program)
    if found is None:
        raise ForgeError(
            f"`{program}` is not installed; --open-pr needs it to open {kind} requests",
            f"install it ({home}) and log in, or drop --open-pr",
        )
    return found


def open_or_refresh(forge: Forge, branch: str, base: str, title: str, body: str) -> Request:
    """Open the request for `branch` into `base`, or refresh the open one; never a second one."""
    existing = _find_open(forge, branch)
    if existing is not None:
        url, number, old_title, old_body = existing
        if old_title == title and old_body.strip() == body.strip():
            return Request(url, "unchanged")
        if forge.kind == "github":
            with _body_file(body) as body_path:
                _cli(forge, "pr", "edit", number, f"--title={title}", f"--body-file={body_path}")
        else:
            _cli(forge, "mr", "update", number, f"--title={title}", f"--description={body}")
        return Request(url, "refreshed")
    if forge.kind == "github":
        with _body_file(body) as body_path:
            output = _cli(
                forge, "pr", "create", f"--head={branch}", f"--base={base}",
                f"--title={title}", f"--body-file={body_path}",
            )  # fmt: skip
    else:
        output = _cli(
            forge, "mr", "create", f"--source-branch={branch}", f"--target-branch={base}",
            f"--title={title}", f"--description={body}", "--yes",
        )  # fmt: skip
    urls = re.findall(r"https?://\S+", output)
    return Request(urls[-1] if urls else output.strip(), "opened")


def _find_open(forge: Forge, branch: str) -> tuple[str, str, str, str] | None:
    if forge.kind == "github":
        listed = _cli(
            forge, "pr", "list", f"--head={branch}", "--state=open",
            "--json=number,url,title,body", "--limit=1",
        )  # fmt: skip
        keys = ("url", "number", "title", "body")
    else:
        listed = _cli(forge, "mr", "list", f"--source-branch={branch}", "--output=json")
        keys = ("web_url", "iid", "title", "description")
    try:
        requests = json.loads(listed or "[]")
    except json.JSONDecodeError as error:
        raise ForgeError(
            f"`{forge.cli}` listed requests in an unexpected form", "update it"
        ) from error
    if not requests:
        return None
    first = requests[0]
    url, number, title, body = (str(first.get(key) or "") for key in keys)
    return url, number, title, body


@contextlib.contextmanager
def _body_file(body: str) -> Iterator[str]:
    """A temporary file holding the request body (gh reads long bodies best from a file)."""
    handle, path = tempfile.mkstemp(prefix="scaffold-request-", suffix=".md")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(body)
        yield path
    finally:
        Path(path).unlink(missing_ok=True)


def _cli(forge: Forge, *args: str) -> str:
    program = require_cli(forge.kind)
    try:
        completed = subprocess.run(
            [program, *args, forge.repository_option],
            capture_output=True,
            text=True,
            check=False,
            timeout=FORGE_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "GH_PROMPT_DISABLED": "1", "NO_COLOR": "1", "GLAB_NO_PROMPT": "1"},
        )
    except subprocess.TimeoutExpired as error:
        raise ForgeError(f"`{forge.cli} {args[0]} {args[1]}` timed out", "try again") from error
    if completed.returncode != 0:
        detail = (completed.stderr or completed.stdout).strip().splitlines()
        last = redact(detail[-1]) if detail else str(completed.returncode)
        raise ForgeError(
            f"`{forge.cli} {args[0]} {args[1]}` failed: {last}",
            f"check `{forge.cli} auth status` and the token's permissions (docs/fleet.md)",
        )
    return completed.stdout
