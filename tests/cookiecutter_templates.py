"""Small cookiecutter templates built from dicts inside each test (never from the disk)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import build_file_tree, commit_all

PROJECT = "{{cookiecutter.project_slug}}"

COOKIECUTTER_CONTEXT = {
    "project_name": "Demo Project",
    "project_slug": "{{ cookiecutter.project_name.lower().replace(' ', '_') }}",
    "license": ["MIT", "BSD-3-Clause"],
    "with_docs": True,
    "_copy_without_render": ["*.raw"],
}

COOKIECUTTER_TEMPLATE: dict[str, str | bytes] = {
    "cookiecutter.json": json.dumps(COOKIECUTTER_CONTEXT, indent=2),
    f"{PROJECT}/README.md": (
        "# {{ cookiecutter.project_name }}\n\n"
        "Licence: {{ cookiecutter.license }}\n"
        "{% if cookiecutter.with_docs %}Docs live in docs/.\n{% endif %}"
    ),
    f"{PROJECT}/src/{PROJECT}/__init__.py": '"""{{ cookiecutter.project_name }}."""\n',
    f"{PROJECT}/src/{PROJECT}/settings.yml": (
        "name: {{ cookiecutter.project_slug }}\nlicense: {{ cookiecutter.license }}\n"
    ),
    f"{PROJECT}/data/sample.raw": "{{ kept as written }}\n",
    f"{PROJECT}/logo.bin": b"\x89PNG\x00\x01binary",
}


def build_cookiecutter_template(root: Path, changes: dict[str, str | bytes] | None = None) -> Path:
    """The cookiecutter template above (plus `changes`) under `root`."""
    return build_file_tree(root, {**COOKIECUTTER_TEMPLATE, **(changes or {})})


def build_git_cookiecutter_template(root: Path) -> Path:
    """A git cookiecutter template with tags v1.0.0 and v2.0.0 (v2 extends the README)."""
    repo = build_cookiecutter_template(root)
    commit_all(repo, "v1", tag="v1.0.0")
    build_file_tree(
        repo,
        {
            f"{PROJECT}/README.md": COOKIECUTTER_TEMPLATE[f"{PROJECT}/README.md"]
            + "\n## Install\n\npip install {{ cookiecutter.project_slug }}\n",
            f"{PROJECT}/CHANGELOG.md": "# Changes to {{ cookiecutter.project_name }}\n",
        },
    )
    commit_all(repo, "v2", tag="v2.0.0")
    return repo
