"""Turn the `--template` argument into a template source.

A source is a built-in template, a local folder, or a git URL. This module
only decides which, which engine renders it (copier or cookiecutter), and how
the project records it; it does not render (that is `rendering`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from scaffold.errors import TemplateError
from scaffold.render.builtin_templates import (
    BUILTIN_PREFIX,
    DEFAULT_TEMPLATE,
    find_builtin_template,
    list_builtin_templates,
)
from scaffold.render.checkout import engine_of_folder, engine_of_git_url

GIT_URL_PATTERN = re.compile(r"^(https?://|git\+|git@|ssh://|file://|gh:|gl:)|\.git/?$")
REMOTE_PATTERN = re.compile(r"^(https?://|git\+|git@|ssh://|gh:|gl:)")
FILE_URL_PREFIX = "file://"


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
    if spec.startswith(FILE_URL_PREFIX):  # a local folder: renderers read it by its path
        path = _path_of_file_url(spec)
        if (Path(path) / ".git").exists():  # a repository: versions are its tags
            return TemplateSource("git", path, spec, engine=engine or engine_of_git_url(path))
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
        if not REMOTE_PATTERN.match(spec) and Path(spec).expanduser().exists():
            spec = str(Path(spec).expanduser().resolve())  # recorded so any folder can find it
        return TemplateSource("git", spec, spec, engine=engine or engine_of_git_url(spec))
    local_path = Path(spec).expanduser()
    if local_path.is_dir():
        resolved = str(local_path.resolve())
        return TemplateSource(
            "path", resolved, resolved, engine=engine or engine_of_folder(local_path)
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
        f"use a built-in template ({names}), an existing folder or a git URL",
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
