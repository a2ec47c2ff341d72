"""Turn the `--template` argument into a template source, in one normalised spelling.

A source is a built-in template, a local folder, a git URL or a git bundle
file (which, as for copier, is cloned like a repository). This module
only decides which, which engine renders it (copier or cookiecutter), and how
the project records it: paths resolved, URLs normalised (`normalised_source`),
so trust is matched on what is fetched. It does not render (that is `renderer`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse, urlsplit, urlunsplit
from urllib.request import url2pathname

from scaffold.errors import TemplateError
from scaffold.git.arguments import check_repository_argument, check_revision_argument
from scaffold.render.builtin_templates import (
    BUILTIN_PREFIX,
    DEFAULT_TEMPLATE,
    find_builtin_template,
    list_builtin_templates,
)
from scaffold.render.checkout import URL_ABBREVIATIONS as ABBREVIATIONS
from scaffold.render.checkout import engine_of_folder, engine_of_git_url, is_git_bundle

GIT_URL_PATTERN = re.compile(r"^(https?://|git\+|git@|ssh://|file://|gh:|gl:)|\.git/?$")
FILE_URL_PREFIX = "file://"
SCP_LIKE_PATTERN = re.compile(r"^(?P<user>[^@/:]+@)?(?P<host>[^@/:]{2,}):(?P<path>.*)$")
DEFAULT_PORTS = {"http": "80", "https": "443", "ssh": "22", "git": "9418"}
NETWORK_SCHEMES = frozenset({"http", "https", "ssh", "git"})
UNRESERVED_ESCAPE = re.compile(r"%(2[dDeE]|5[fF]|7[eE]|[46][1-9a-fA-F]|[57][0-9aA]|3[0-9])")


@dataclass(frozen=True)
class TemplateSource:
    """Where a template comes from and how the project records it."""

    kind: str  # "builtin", "path" or "git"
    location: str  # what the renderer reads: a folder path or a git URL
    recorded: str  # what the answers file stores as `_src_path`
    builtin_version: str | None = None
    engine: str = "copier"  # which library renders it: "copier" or "cookiecutter"

    @property
    def is_builtin(self) -> bool:
        """Built-in templates ship with scaffold and are trusted."""
        return self.kind == "builtin"


def resolve_template_source(
    template: str | None, vcs_ref: str | None = None, *, engine: str | None = None
) -> TemplateSource:
    """The source named by `template` (None means the default built-in) at `vcs_ref`.

    `vcs_ref` matters here only for built-in templates, whose earlier releases
    ship inside the package; for git templates the renderer checks it out.
    `engine` ("copier"/"cookiecutter", e.g. from a project's record) skips
    detection, which for a git URL costs a shallow clone.
    """
    spec = (template or DEFAULT_TEMPLATE).strip()
    if not spec:
        raise TemplateError("empty --template", "name a built-in template, a folder or a git URL")
    check_repository_argument(spec, "template source")
    if vcs_ref is not None:
        check_revision_argument(vcs_ref, "template version")
    if spec.startswith(FILE_URL_PREFIX):  # a local folder: renderers read it by its path
        path = _path_of_file_url(spec)
        if (Path(path) / ".git").exists():  # a repository: versions are its tags
            recorded = normalised_source(spec)
            return TemplateSource("git", path, recorded, engine=engine or engine_of_git_url(path))
        spec = path
    builtin = find_builtin_template(spec)
    if builtin is not None and (spec.startswith(BUILTIN_PREFIX) or not Path(spec).exists()):
        folder = builtin.folder_for_version(vcs_ref)
        if folder is None:
            raise TemplateError(
                f"built-in template '{builtin.name}' has no version '{vcs_ref}'",
                f"available versions: {', '.join(builtin.released_versions)}",
            )
        return TemplateSource("builtin", str(folder), builtin.source, vcs_ref or builtin.version)
    if spec.startswith(BUILTIN_PREFIX):
        raise _not_found(spec)
    if GIT_URL_PATTERN.search(spec):
        normalised = normalised_source(spec)
        return TemplateSource(
            "git", normalised, normalised, engine=engine or engine_of_git_url(normalised)
        )
    local_path = Path(spec).expanduser()
    if local_path.is_dir():
        resolved = str(local_path.resolve())
        return TemplateSource(
            "path", resolved, resolved, engine=engine or engine_of_folder(local_path)
        )
    if local_path.is_file():
        if not is_git_bundle(local_path):
            raise TemplateError(
                f"template '{spec}' is a file but not a git bundle",
                "pass a template folder, a git URL or a file made by `git bundle create`",
            )
        resolved = str(local_path.resolve())
        return TemplateSource(
            "git", resolved, resolved, engine=engine or engine_of_git_url(resolved)
        )
    raise _not_found(spec)


def _path_of_file_url(url: str) -> str:
    """The local path a `file://` URL names (`file:///x`, `file://localhost/x`)."""
    parsed = urlparse(url)
    if parsed.netloc not in ("", "localhost"):
        raise TemplateError(
            f"template '{url}' names a file on another machine ({parsed.netloc})",
            "use file:///absolute/path, a folder path or a git URL",
        )
    path = url2pathname(parsed.path)
    if not Path(path).exists():
        raise TemplateError(f"template '{url}' not found: no folder {path}", "check the path")
    return path


def is_orgs_template(org_template: str | None, recorded_source: str) -> bool:
    """Whether a project recording `recorded_source` uses the org's template (fetching
    nothing). An org config that names no template speaks for every template."""
    if org_template is None:
        return True
    try:
        return resolve_template_source(org_template, engine="copier").recorded == recorded_source
    except TemplateError:
        return False


def _not_found(spec: str) -> TemplateError:
    names = ", ".join(template.name for template in list_builtin_templates())
    return TemplateError(
        f"template '{spec}' not found",
        f"use a built-in template ({names}), an existing folder, a git URL or a git bundle",
    )


def source_from_record(
    recorded_source: str, vcs_ref: str | None = None, engine: str | None = None
) -> TemplateSource:
    """The source a project recorded in its answers file, at `vcs_ref`.

    Pass the recorded `engine` (`RecordedAnswers.engine`) to skip detecting it again.
    """
    if recorded_source.startswith(BUILTIN_PREFIX):
        if find_builtin_template(recorded_source) is None:
            raise TemplateError(
                f"built-in template '{recorded_source}' no longer ships with this scaffold",
                "install the scaffold version that has it, or `scaffold link` another template",
            )
        return resolve_template_source(recorded_source, vcs_ref)
    return resolve_template_source(recorded_source, vcs_ref, engine=engine)


def normalised_source(spec: str) -> str:
    """`spec` spelled one way: a path resolved, a URL's scheme and host lower-cased, its path
    without `.`, `..`, empty segments or a trailing slash, escaped unreserved characters decoded.

    `gh:`/`gl:` abbreviations and a `git+` prefix are kept (copier reads them); a trailing
    `.git` is kept (it names a different folder on disk). Raises `TemplateError` for a URL
    path holding an escaped `/` or `\\`, which a server may decode into a different path.
    """
    if spec.startswith(BUILTIN_PREFIX):
        return spec
    for abbreviation in ABBREVIATIONS:
        if spec.startswith(abbreviation):
            return abbreviation + _normalised_url_path(spec, spec[len(abbreviation) :]).lstrip("/")
    if spec.startswith("git+"):
        return "git+" + normalised_source(spec[len("git+") :])
    if "://" in spec:
        return _normalised_url(spec)
    scp_like = SCP_LIKE_PATTERN.match(spec)
    if scp_like and not Path(spec).exists():
        user, host, path = scp_like.group("user") or "", scp_like.group("host"), scp_like["path"]
        return f"{user}{host.lower()}:{_normalised_url_path(spec, path).lstrip('/')}"
    return str(Path(spec).expanduser().resolve())


def source_match_key(source: str) -> str:
    """The form of `source` (or of a `trusted_sources` glob) that trust is matched on.

    Normalised, abbreviations expanded, `git+` dropped, and for network URLs (https, ssh,
    `git@host:`) a trailing `.git` dropped, because hosts serve `org/x` and `org/x.git` alike.
    """
    key = normalised_source(source)
    key = key.removeprefix("git+")
    for abbreviation, prefix in ABBREVIATIONS.items():
        if key.startswith(abbreviation):
            key = prefix + key[len(abbreviation) :]
    scheme = key.split("://", 1)[0].lower() if "://" in key else ""
    if scheme in NETWORK_SCHEMES or (not scheme and SCP_LIKE_PATTERN.match(key)):
        key = key.removesuffix(".git")
    return key


def _normalised_url(spec: str) -> str:
    parts = urlsplit(spec)
    scheme = parts.scheme.lower()
    if scheme == "file":
        return "file://" + str(Path(unquote(parts.path) or "/").resolve())
    user, _, host_port = parts.netloc.rpartition("@")
    host, _, port = (
        host_port.partition(":") if not host_port.startswith("[") else (host_port, "", "")
    )
    netloc = (f"{user}@" if user else "") + host.lower()
    if port and port != DEFAULT_PORTS.get(scheme):
        netloc += f":{port}"
    path = _normalised_url_path(spec, parts.path)
    return urlunsplit((scheme, netloc, path, parts.query, parts.fragment))


def _normalised_url_path(spec: str, path: str) -> str:
    """`path` with escaped unreserved characters decoded and dot and empty segments removed."""
    if re.search(r"%(2[fF]|5[cC])", path) or "\\" in path:
        raise TemplateError(
            f"template source '{spec}' holds an escaped or back slash in its path",
            "write the URL's path with plain '/' separators",
        )
    decoded = UNRESERVED_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), path)
    segments: list[str] = []
    for segment in decoded.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if segments:
                segments.pop()
            continue
        segments.append(segment)
    return ("/" if path.startswith("/") else "") + "/".join(segments)
