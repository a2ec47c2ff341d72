"""Render the kustomize overlays and validate every resource against the Kubernetes schemas.

`make deploy-check` (and `make lint`): each overlay in deploy/overlays/ is rendered with
`kubectl kustomize` when kubectl is on PATH, else by the small renderer below, which knows the
features this folder uses (resources, namespace, labels, configMapGenerator, JSON patches with
`replace`) and refuses any other. Every resource is then checked offline with kubernetes-validate
(strict: unknown fields are errors). Exit 1 when a resource is invalid, 2 on a broken overlay.
"""

import copy
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import kubernetes_validate
import yaml

DEPLOY_DIR = Path(__file__).resolve().parent
KUBERNETES_VERSION = "1.31.0"
SUPPORTED_KEYS = {
    "apiVersion",
    "kind",
    "resources",
    "namespace",
    "labels",
    "configMapGenerator",
    "patches",
}


class OverlayError(Exception):
    """The kustomization uses something this renderer does not know, or is broken."""


def _set_labels(resource: dict[str, Any], pairs: dict[str, str], selectors: bool) -> None:
    resource.setdefault("metadata", {}).setdefault("labels", {}).update(pairs)
    if not selectors:
        return
    spec = resource.get("spec", {})
    if resource["kind"] == "Service":
        spec.setdefault("selector", {}).update(pairs)
    if "selector" in spec and "matchLabels" in spec["selector"]:
        spec["selector"]["matchLabels"].update(pairs)
        spec["template"]["metadata"].setdefault("labels", {}).update(pairs)


def _replace(document: Any, path: str, value: Any) -> None:
    *parents, last = [part for part in path.split("/") if part]
    for part in parents:
        document = document[int(part)] if isinstance(document, list) else document[part]
    if isinstance(document, list):
        document[int(last)] = value
    elif last in document:
        document[last] = value
    else:
        raise OverlayError(f"patch path {path} does not exist")


def render(folder: Path) -> list[dict[str, Any]]:
    """Render the kustomization in `folder` (this folder's feature subset only)."""
    kustomization = yaml.safe_load((folder / "kustomization.yaml").read_text(encoding="utf-8"))
    unknown = set(kustomization) - SUPPORTED_KEYS
    if unknown:
        raise OverlayError(f"{folder}: {sorted(unknown)} needs kubectl to render")
    resources: list[dict[str, Any]] = []
    for entry in kustomization.get("resources", []):
        path = (folder / entry).resolve()
        if path.is_dir():
            resources.extend(render(path))
        else:
            resources.extend(yaml.safe_load_all(path.read_text(encoding="utf-8")))
    for generator in kustomization.get("configMapGenerator", []):
        files = {
            Path(name).name: (folder / name).read_text(encoding="utf-8")
            for name in generator["files"]
        }
        config_map = {"apiVersion": "v1", "kind": "ConfigMap", "data": files}
        resources.append({**config_map, "metadata": {"name": generator["name"]}})
    resources = [copy.deepcopy(resource) for resource in resources if resource]
    for label_set in kustomization.get("labels", []):
        for resource in resources:
            _set_labels(resource, label_set["pairs"], label_set.get("includeSelectors", False))
    for patch in kustomization.get("patches", []):
        target = patch["target"]
        matches = [
            resource
            for resource in resources
            if resource["kind"] == target["kind"] and resource["metadata"]["name"] == target["name"]
        ]
        if not matches:
            raise OverlayError(f"{folder}: patch target {target} matches no resource")
        for operation in yaml.safe_load(patch["patch"]):
            if operation["op"] != "replace":
                raise OverlayError(f"{folder}: patch op {operation['op']!r} needs kubectl")
            for resource in matches:
                _replace(resource, operation["path"], operation["value"])
    if "namespace" in kustomization:
        for resource in resources:
            resource["metadata"]["namespace"] = kustomization["namespace"]
    return resources


def render_with_kubectl(folder: Path) -> list[dict[str, Any]]:
    completed = subprocess.run(
        ["kubectl", "kustomize", str(folder)], capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise OverlayError(f"kubectl kustomize {folder}: {completed.stderr.strip()}")
    return [resource for resource in yaml.safe_load_all(completed.stdout) if resource]


def problems(resources: list[dict[str, Any]]) -> list[str]:
    """One line per resource that does not match its Kubernetes schema."""
    found = []
    for resource in resources:
        name = f"{resource.get('kind')}/{resource.get('metadata', {}).get('name')}"
        try:
            kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            found.append(f"{name}: {error.message} at {'/'.join(map(str, error.path))}")
        except kubernetes_validate.SchemaNotFoundError:
            found.append(f"{name}: no schema for {resource.get('apiVersion')}")
    return found


def main() -> int:
    use_kubectl = shutil.which("kubectl") is not None
    renderer = render_with_kubectl if use_kubectl else render
    if not use_kubectl:
        print("deploy-check: kubectl not found, rendering with the built-in subset renderer")
    failed = False
    for overlay in sorted((DEPLOY_DIR / "overlays").iterdir()):
        try:
            resources = renderer(overlay)
        except (OverlayError, OSError, KeyError, yaml.YAMLError) as error:
            print(f"deploy-check: error: {error}", file=sys.stderr)
            return 2
        found = problems(resources)
        kinds = ", ".join(sorted({resource["kind"] for resource in resources}))
        state = "invalid" if found else "valid"
        print(f"deploy-check: {overlay.name}: {len(resources)} resources {state} ({kinds})")
        for line in found:
            print(f"  {line}", file=sys.stderr)
        failed = failed or bool(found)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
