"""Freeze a built-in template's current version into `releases/<version>.tar.gz`.

Maintainers run `python -m scaffold.render.releases NAME` before changing a built-in
template, so every released version stays renderable from the package (see
docs/updating.md). The archive is reproducible: sorted entries, zero times
and owners. This module only writes archives; reading them is
`builtin_templates.BuiltinTemplate.folder_for_version`.
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
import tarfile
from pathlib import Path

from scaffold.render.builtin_templates import (
    RELEASES_FOLDER,
    BuiltinTemplate,
    find_builtin_template,
)


def freeze_release(template: BuiltinTemplate) -> Path:
    """Write the archive of `template` at its current version and return its path."""
    archive_path = template.path / RELEASES_FOLDER / f"{template.version}.tar.gz"
    archive_path.parent.mkdir(exist_ok=True)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(template.path.rglob("*")):
            relative = path.relative_to(template.path)
            if relative.parts[0] == RELEASES_FOLDER or "__pycache__" in relative.parts:
                continue
            info = tar.gettarinfo(str(path), arcname=relative.as_posix())
            info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
            info.mode = 0o755 if path.is_dir() else 0o644
            if path.is_file():
                tar.addfile(info, io.BytesIO(path.read_bytes()))
            else:
                tar.addfile(info)
    with (
        archive_path.open("wb") as output,
        gzip.GzipFile(fileobj=output, mode="wb", mtime=0, filename="") as compressed,
    ):
        compressed.write(buffer.getvalue())
    return archive_path


def main(arguments: list[str]) -> int:
    """`python -m scaffold.render.releases NAME`: freeze the current version of built-in NAME."""
    parser = argparse.ArgumentParser(
        prog="python -m scaffold.render.releases",
        description="Freeze a built-in template's current version into "
        "releases/<version>.tar.gz (run it before changing the template).",
    )
    parser.add_argument("name", metavar="TEMPLATE-NAME", help="built-in template, e.g. mlops")
    name = parser.parse_args(arguments).name
    template = find_builtin_template(name)
    if template is None:
        print(
            f"error: no built-in template '{name}' (`scaffold templates` lists them)",
            file=sys.stderr,
        )
        return 2
    print(f"wrote {freeze_release(template)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
