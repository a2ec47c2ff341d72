"""The serving bundle: the champion's model file plus `champion.json` naming its version.

`export.py` writes a bundle from the registry; the API and the Docker image read it. Only the
standard library is used here, so the serving image needs no registry client.
"""

import json
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

METADATA_NAME = "champion.json"


@dataclass(frozen=True)
class BundleInfo:
    """What the service reports about the model it serves."""

    model_name: str
    version: str
    model_file: str
    data_version: str = ""
    git_commit: str = ""
    metrics: dict[str, float] = field(default_factory=dict)


def write_bundle(model_path: Path, info: BundleInfo, folder: Path) -> Path:
    """Replace `folder` with the model file and its metadata; written aside, then renamed."""
    folder = Path(folder)
    staging = folder.with_name(f".{folder.name}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    shutil.copyfile(model_path, staging / info.model_file)
    (staging / METADATA_NAME).write_text(json.dumps(asdict(info), indent=2) + "\n", "utf-8")
    previous = folder.with_name(f".{folder.name}.old")
    shutil.rmtree(previous, ignore_errors=True)
    if folder.exists():
        folder.rename(previous)
    staging.rename(folder)
    shutil.rmtree(previous, ignore_errors=True)
    return folder


def read_bundle(folder: Path) -> tuple[BundleInfo, Path]:
    """The bundle's metadata and model file; FileNotFoundError names what is missing."""
    metadata_path = Path(folder) / METADATA_NAME
    if not metadata_path.is_file():
        raise FileNotFoundError(
            f"{metadata_path} not found: run `make promote` (or `make export`) first"
        )
    raw: dict[str, Any] = json.loads(metadata_path.read_text(encoding="utf-8"))
    info = BundleInfo(**raw)
    model_path = Path(folder) / info.model_file
    if not model_path.is_file():
        raise FileNotFoundError(f"{model_path} not found: export the champion again")
    return info, model_path
