"""The templates that ship inside the scaffold package.

Each built-in template is a folder holding a copier template (`copier.yml`)
and a `template.yml` with its name, version and one-line description. This
module finds and describes them; it does not render anything.
"""

from __future__ import annotations

import atexit
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_TEMPLATE = "mlops"
RELEASES_FOLDER = "releases"
BUILTIN_PREFIX = "builtin:"


@dataclass(frozen=True)
class BuiltinTemplate:
    """A template shipped with scaffold."""

    name: str
    version: str
    description: str
    path: Path

    @property
    def source(self) -> str:
        """How a project records this template as its source."""
        return f"{BUILTIN_PREFIX}{self.name}"

    @property
    def released_versions(self) -> list[str]:
        """Earlier versions kept inside the package, plus the current one."""
        archived = [archive.name.removesuffix(".tar.gz") for archive in self._archives()]
        return sorted({*archived, self.version}, key=_version_key)

    def _archives(self) -> list[Path]:
        return sorted((self.path / RELEASES_FOLDER).glob("*.tar.gz"))

    def folder_for_version(self, version: str | None) -> Path | None:
        """A folder holding this template at `version` (None: the current version).

        Earlier releases ship as `releases/<version>.tar.gz` archives of the
        template folder and are unpacked into a temporary folder on demand.
        """
        if version is None or version == self.version:
            return self.path
        archive = self.path / RELEASES_FOLDER / f"{version}.tar.gz"
        if not archive.is_file():
            return None
        unpacked = Path(tempfile.mkdtemp(prefix=f"scaffold-{self.name}-{version}-"))
        atexit.register(shutil.rmtree, unpacked, ignore_errors=True)
        with tarfile.open(archive) as tar:
            tar.extractall(unpacked, filter="data")
        return unpacked


def templates_root() -> Path:
    """The folder holding the built-in templates (in the wheel or in a checkout)."""
    package_dir = Path(__file__).resolve().parents[1]  # scaffold/
    for candidate in (package_dir / "_templates", package_dir.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("scaffold's built-in templates folder is missing")


def list_builtin_templates() -> list[BuiltinTemplate]:
    """Every built-in template, sorted by name."""
    found = []
    for metadata_path in sorted(templates_root().glob("*/template.yml")):
        metadata = yaml.safe_load(metadata_path.read_text(encoding="utf-8"))
        found.append(
            BuiltinTemplate(
                name=str(metadata["name"]),
                version=str(metadata["version"]),
                description=str(metadata["description"]),
                path=metadata_path.parent,
            )
        )
    return found


def find_builtin_template(name: str) -> BuiltinTemplate | None:
    """The built-in template called `name` (with or without the `builtin:` prefix)."""
    bare_name = name.removeprefix(BUILTIN_PREFIX)
    for template in list_builtin_templates():
        if template.name == bare_name:
            return template
    return None


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))
