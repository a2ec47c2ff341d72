"""Make serving follow the registry: export the champion as the serving bundle, reload the service.

`make export` writes models/serving/ (model file + champion.json) from the version holding the
`champion` alias; `make promote` and `make rollback` call it after moving the alias. When env
SERVING_URL is set, the running service is asked to reload (POST /reload, bearer RELOAD_TOKEN).
"""

import json
import os
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from . import registry
from .bundle import BundleInfo, write_bundle
from .config import MODEL_FILE_NAME, serving_model_dir


def export_champion(folder: Path | None = None) -> BundleInfo:
    """Write the champion's bundle to `folder` (default: the serving model folder)."""
    current = registry.champion()
    if current is None:
        raise LookupError("no model holds the champion alias yet: run `make promote` first")
    info = BundleInfo(
        model_name=registry.MODEL_NAME,
        version=str(current.version),
        model_file=MODEL_FILE_NAME,
        data_version=current.tags.get("data_version", ""),
        git_commit=current.tags.get("git_commit", ""),
        metrics=current.metrics,
    )
    with tempfile.TemporaryDirectory() as scratch:
        model_path = registry.download_model(current.version, Path(scratch) / MODEL_FILE_NAME)
        write_bundle(model_path, info, folder or serving_model_dir())
    return info


def reload_service(base_url: str, token: str = "") -> str:
    """POST /reload on the running service; return the model version it now serves."""
    request = urllib.request.Request(f"{base_url.rstrip('/')}/reload", data=b"", method="POST")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as response:
        return str(json.loads(response.read())["model_version"])


def publish() -> int:
    """Export the champion and, with SERVING_URL set, reload the service; an exit code."""
    try:
        info = export_champion()
    except LookupError as error:
        print(f"export: {error}", file=sys.stderr)
        return 1
    print(f"export: champion version {info.version} -> {serving_model_dir()}")
    url = os.environ.get("SERVING_URL", "").strip()
    if not url:
        return 0
    try:
        served = reload_service(url, os.environ.get("RELOAD_TOKEN", ""))
    except (urllib.error.URLError, OSError, KeyError, ValueError) as error:
        print(f"export: the service at {url} did not reload: {error}", file=sys.stderr)
        return 1
    print(f"export: {url} now serves version {served}")
    return 0


if __name__ == "__main__":
    sys.exit(publish())
