"""Every option of the built-in `mlops` template (a pairwise cover) renders a clean project.

For each combination: no file renders empty, YAML parses, Python compiles
and passes the project's own ruff config, workflows pass actionlint and the
CI schemas, the Dockerfiles pass hadolint, shell scripts parse, the Kubernetes
overlays render and pass the Kubernetes schemas (offline), torch comes from the
index of the chosen accelerator, and the KubeRay RayJob matches its schema.
"""

from __future__ import annotations

import json
import py_compile
import runpy
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import jsonschema
import pytest
import yaml
from allpairspy import AllPairs

from scaffold.commands.new import new_project
from tests.templates.conftest import venv_tool

DIMENSIONS = {
    "python_version": ["3.10", "3.11", "3.12", "3.13"],
    "ml_framework": ["sklearn", "pytorch:cpu", "pytorch:cuda"],
    "compute": ["local", "ray"],
    "data_versioning": ["dvc:local", "dvc:s3", "dvc:gcs", "dvc:azure", "none"],
    "experiment_tracking": ["mlflow", "none"],
    "ci_provider": ["github", "gitlab"],
    "serving": ["fastapi", "none"],
    "monitoring": ["prometheus", "none"],
    "license": ["MIT", "Apache-2.0", "BSD-3-Clause", "Proprietary"],
}


def combination_answers(values: list[str]) -> dict[str, str]:
    answers = dict(zip(DIMENSIONS, values, strict=True))
    versioning, _, remote = answers.pop("data_versioning").partition(":")
    answers["data_versioning"] = versioning
    if remote:
        answers["dvc_remote_kind"] = remote
    framework, _, accelerator = answers.pop("ml_framework").partition(":")
    answers["ml_framework"] = framework
    if accelerator:
        answers["accelerator"] = accelerator
    return answers


COMBINATIONS = [combination_answers(list(values)) for values in AllPairs(list(DIMENSIONS.values()))]


def combination_id(answers: dict[str, str]) -> str:
    return "-".join(answers[key] for key in sorted(answers))


@pytest.fixture(params=COMBINATIONS, ids=combination_id)
def rendered(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    project = tmp_path / "proj"
    data = [f"{key}={value}" for key, value in request.param.items()]
    new_project(project, data=["project_name=Matrix Check", *data], use_git=False)
    return project


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def project_files(project: Path) -> list[Path]:
    return [path for path in project.rglob("*") if path.is_file()]


def test_pairwise_cover_holds_every_pair_of_values() -> None:
    rows = [list(values) for values in AllPairs(list(DIMENSIONS.values()))]
    names = list(DIMENSIONS)
    for first in range(len(names)):
        for second in range(first + 1, len(names)):
            seen = {(row[first], row[second]) for row in rows}
            expected = {(a, b) for a in DIMENSIONS[names[first]] for b in DIMENSIONS[names[second]]}
            assert seen == expected, (names[first], names[second])


def test_combination_renders_clean_project(rendered: Path) -> None:
    files = project_files(rendered)
    empty = [str(path.relative_to(rendered)) for path in files if path.stat().st_size == 0]
    assert empty == [], f"files rendered empty: {empty}"

    for path in files:
        if path.suffix in (".yml", ".yaml"):
            list(yaml.safe_load_all(path.read_text()))
        if path.suffix == ".py":
            py_compile.compile(str(path), doraise=True)
    pyproject = tomllib.loads((rendered / "pyproject.toml").read_text())
    assert pyproject["project"]["name"] == "matrix-check"

    ruff = venv_tool("ruff")
    for command in ([ruff, "check", "."], [ruff, "format", "--check", "."]):
        completed = run(command, rendered)
        assert completed.returncode == 0, completed.stdout + completed.stderr


def test_combination_ci_files_pass_linters(rendered: Path) -> None:
    answers = yaml.safe_load((rendered / ".copier-answers.yml").read_text())
    schema_check = venv_tool("check-jsonschema")
    if answers["ci_provider"] == "github":
        workflows = sorted((rendered / ".github" / "workflows").glob("*.yml"))
        assert workflows
        assert not (rendered / ".gitlab-ci.yml").exists()
        # actionlint finds .github/actionlint.yaml from the git root; these renders have no git.
        config = rendered / ".github" / "actionlint.yaml"
        config_option = ["-config-file", str(config)] if config.exists() else []
        completed = run([venv_tool("actionlint"), *config_option, *map(str, workflows)], rendered)
        assert completed.returncode == 0, completed.stdout + completed.stderr
        schema = "vendor.github-workflows"
        command = [schema_check, "--builtin-schema", schema, *map(str, workflows)]
    else:
        assert not (rendered / ".github").exists()
        command = [schema_check, "--builtin-schema", "vendor.gitlab-ci", ".gitlab-ci.yml"]
    completed = run(command, rendered)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_combination_dockerfile_passes_hadolint(rendered: Path) -> None:
    answers = yaml.safe_load((rendered / ".copier-answers.yml").read_text())
    dockerfile = rendered / "Dockerfile"
    if answers["serving"] == "none":
        assert not dockerfile.exists()
        return
    completed = run(
        [venv_tool("hadolint"), "--failure-threshold", "warning", "Dockerfile"], rendered
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert f"python:{answers['python_version']}." in dockerfile.read_text()


TORCH_INDEX_URLS = {
    "cpu": "https://download.pytorch.org/whl/cpu",
    "cuda": "https://download.pytorch.org/whl/cu130",
}


def test_combination_takes_torch_from_the_accelerators_index_only(rendered: Path) -> None:
    answers = yaml.safe_load((rendered / ".copier-answers.yml").read_text())
    pyproject = tomllib.loads((rendered / "pyproject.toml").read_text())
    makefile = (rendered / "Makefile").read_text()
    if answers["ml_framework"] == "sklearn":
        assert "accelerator" not in answers
        assert "torch" not in pyproject.get("tool", {}).get("uv", {}).get("sources", {})
        assert "torch" not in (rendered / "pyproject.toml").read_text()
        return
    index_url = TORCH_INDEX_URLS[answers["accelerator"]]
    uv_settings = pyproject["tool"]["uv"]
    assert uv_settings["sources"]["torch"] == [{"index": "pytorch"}]
    assert uv_settings["index"] == [{"name": "pytorch", "url": index_url, "explicit": True}]
    assert "pip install -q torch" not in makefile
    assert "export UV_INDEX := pytorch=$(TORCH_INDEX)" in makefile
    if (rendered / "Dockerfile").exists():
        # The serving image installs torch as uv.lock pins it, i.e. from that index.
        assert "uv sync --locked" in (rendered / "Dockerfile").read_text()
    ray_dockerfile = rendered / "deploy/ray/Dockerfile"
    if ray_dockerfile.exists():
        assert f"ARG TORCH_INDEX={index_url}\n" in ray_dockerfile.read_text()
    ci_files = [rendered / ".gitlab-ci.yml", *sorted(rendered.glob(".github/workflows/*.yml"))]
    ci_text = "".join(path.read_text() for path in ci_files if path.exists())
    assert "PIP_EXTRA_INDEX_URL" not in ci_text
    assert "TORCH_INDEX:" in ci_text


def test_combination_rayjob_matches_its_schema(rendered: Path) -> None:
    answers = yaml.safe_load((rendered / ".copier-answers.yml").read_text())
    ray_deploy = rendered / "deploy" / "ray"
    if answers["compute"] == "local":
        assert not ray_deploy.exists()
        assert '"ray[' not in (rendered / "pyproject.toml").read_text()
        return
    schema = json.loads((ray_deploy / "rayjob.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    manifest = yaml.safe_load((ray_deploy / "rayjob.yaml").read_text())
    errors = [
        error.message for error in jsonschema.Draft202012Validator(schema).iter_errors(manifest)
    ]
    assert errors == []
    worker_groups = [
        group["groupName"] for group in manifest["spec"]["rayClusterSpec"]["workerGroupSpecs"]
    ]
    assert ("gpu" in worker_groups) == (answers.get("accelerator") == "cuda")
    completed = run(
        [venv_tool("hadolint"), "--failure-threshold", "warning", "deploy/ray/Dockerfile"], rendered
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_combination_kubernetes_manifests_pass_the_schemas(rendered: Path) -> None:
    answers = yaml.safe_load((rendered / ".copier-answers.yml").read_text())
    if answers["serving"] == "none":
        # Only the Ray cluster's job (compute: ray) can be deployed without a service.
        deployed = sorted(path.name for path in (rendered / "deploy").glob("*"))
        assert deployed == (["ray"] if answers["compute"] == "ray" else [])
        return
    completed = run([sys.executable, "deploy/check_manifests.py"], rendered)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "prod: " in completed.stdout and "staging: " in completed.stdout
    assert run(["bash", "-n", "deploy/rollout.sh"], rendered).returncode == 0


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed here")
def test_built_in_overlay_renderer_matches_kubectl_kustomize(tmp_path: Path) -> None:
    """CI machines without kubectl use the project's own renderer: it must agree with kubectl."""
    project = tmp_path / "proj"
    new_project(project, data=["project_name=Matrix Check"], use_git=False)
    checker = runpy.run_path(str(project / "deploy/check_manifests.py"))
    for overlay in ("staging", "prod"):
        folder = project / "deploy/overlays" / overlay
        ours = {resource["kind"]: resource for resource in checker["render"](folder)}
        theirs = {resource["kind"]: resource for resource in checker["render_with_kubectl"](folder)}
        assert ours.keys() == theirs.keys()
        # kubectl appends a content hash to generated ConfigMap names; the rest is identical.
        ours["ConfigMap"]["metadata"]["name"] = theirs["ConfigMap"]["metadata"]["name"]
        assert ours == theirs, overlay
