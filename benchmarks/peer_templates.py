"""Equivalent copier and cookiecutter templates for the benchmark, built from dicts at run time.

One file list is written twice: as a copier template (`copier.yml`, `.jinja`
files) and as a cookiecutter template (`cookiecutter.json`, one project
folder), with the same questions, defaults, files and rendered text. Nothing
here is timed or read from the developer's machine.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

ANSWERS = {
    "project_name": "Bench Project",
    "package_name": "bench_project",
    "author": "Bench Team",
    "with_api": True,
}
COPIER_PROJECT_SETTINGS = "_subdirectory: template\n_templates_suffix: .jinja\n"
# copier needs its answers file in the template to update a project later.
COPIER_ANSWERS_FILE = {
    "template/{{ _copier_conf.answers_file }}.jinja": "{{ _copier_answers|to_nice_yaml -}}\n"
}
V1, V2 = "v1.0.0", "v2.0.0"
# The user's edit (top of the README) and the template's change (end of the README) never overlap,
# so every tool should merge them without a conflict.
USER_EDIT = "Edited by the team: this line must survive the update.\n"
TEMPLATE_CHANGE = "\n## Changelog\n\nSee CHANGELOG.md for {{ <<project_name>> }}.\n"

MODULE = '''"""Module {number} of {{{{ <<project_name>> }}}}, by {{{{ <<author>> }}}}."""

from __future__ import annotations

PACKAGE = "{{{{ <<package_name>> }}}}"


def step_{number}(values: list[float]) -> list[float]:
    """Scale and shift the values (step {number})."""
    return [value * {number} + 1.0 for value in values]
{{% if <<with_api>> %}}

def describe_{number}() -> dict[str, str]:
    return {{"package": PACKAGE, "step": "{number}"}}
{{% endif %}}'''
TEST = """from {{{{ <<package_name>> }}}}.module_{number} import step_{number}


def test_step_{number}_scales_values() -> None:
    assert step_{number}([0.0]) == [1.0]
"""
DOC = "# Step {number} of {{{{ <<project_name>> }}}}\n\nMaintained by {{{{ <<author>> }}}}.\n"
README = "# {{ <<project_name>> }}\n\nA project by {{ <<author>> }}.\n"
PYPROJECT = '[project]\nname = "{{ <<package_name>> }}"\nversion = "0.1.0"\n'


def project_files(file_count: int) -> dict[str, str]:
    """About `file_count` project files (relative path -> text with `<<question>>` markers)."""
    files = {"README.md": README, "pyproject.toml": PYPROJECT}
    package = "src/{{ <<package_name>> }}"
    files[f"{package}/__init__.py"] = '"""{{ <<project_name>> }}."""\n'
    for number in range(1, max(1, (file_count - 3) // 3) + 1):
        files[f"{package}/module_{number:03}.py"] = MODULE.format(number=number)
        files[f"tests/test_module_{number:03}.py"] = TEST.format(number=number)
        files[f"docs/step_{number:03}.md"] = DOC.format(number=number)
    return files


def write_copier_template(root: Path, files: dict[str, str]) -> Path:
    """`files` as a copier template at `root` asking the questions of `ANSWERS`."""
    questions = "".join(
        f"{name}:\n  type: {'bool' if isinstance(default, bool) else 'str'}\n"
        f"  default: {json.dumps(default)}\n"
        for name, default in ANSWERS.items()
    )
    tree = {"copier.yml": COPIER_PROJECT_SETTINGS + questions, **COPIER_ANSWERS_FILE}
    for path, text in files.items():
        tree[f"template/{_markers(path, '')}.jinja"] = _markers(text, "")
    return _write_tree(root, tree)


def write_cookiecutter_template(root: Path, files: dict[str, str]) -> Path:
    """`files` as a cookiecutter template at `root` with the same questions and defaults."""
    context = {**ANSWERS, "project_slug": "{{ cookiecutter.package_name }}"}
    tree = {"cookiecutter.json": json.dumps(context, indent=2)}
    for path, text in files.items():
        project_path = "{{cookiecutter.project_slug}}/" + _markers(path, "cookiecutter.")
        tree[project_path] = _markers(text, "cookiecutter.")
    return _write_tree(root, tree)


def write_two_version_repos(root: Path, file_count: int, env: dict[str, str]) -> tuple[Path, Path]:
    """A copier and a cookiecutter template repo, each tagged v1.0.0 and v2.0.0 on `main`.

    v2 appends a changelog section to the README and adds CHANGELOG.md.
    """
    v1 = project_files(file_count)
    v2 = {
        **v1,
        "README.md": v1["README.md"] + TEMPLATE_CHANGE,
        "CHANGELOG.md": "# Changes to {{ <<project_name>> }}\n\n- 2.0.0: changelog.\n",
    }
    repos = []
    for name, write in (
        ("copier", write_copier_template),
        ("cookiecutter", write_cookiecutter_template),
    ):
        repo = root / f"{name}-template-repo"
        write(repo, v1)
        git(repo, env, "init", "--quiet", "--initial-branch=main")
        commit_all(repo, env, V1, tag=V1)
        write(repo, v2)
        commit_all(repo, env, V2, tag=V2)
        repos.append(repo)
    return repos[0], repos[1]


def apply_user_edit(project: Path, env: dict[str, str]) -> None:
    """The same user edit in every tool's project, committed."""
    readme = project / "README.md"
    title, _, rest = readme.read_text(encoding="utf-8").partition("\n")
    readme.write_text(f"{title}\n\n{USER_EDIT}{rest}", encoding="utf-8")
    commit_all(project, env, "user edit")


def update_was_merged(project: Path) -> bool:
    """Whether the project holds both the user's edit and the template's v2 change."""
    readme = (project / "README.md").read_text(encoding="utf-8")
    return USER_EDIT in readme and "## Changelog" in readme and "<<<<<<<" not in readme


def commit_all(repo: Path, env: dict[str, str], message: str, tag: str | None = None) -> None:
    """Stage and commit everything in `repo` (a repository is created when missing)."""
    if not (repo / ".git").exists():
        git(repo, env, "init", "--quiet", "--initial-branch=main")
    git(repo, env, "add", "--all")
    git(repo, env, "commit", "--quiet", "--no-verify", "--message", message)
    if tag:
        git(repo, env, "tag", tag)


def git(repo: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def _markers(text: str, prefix: str) -> str:
    for name in ANSWERS:
        text = text.replace(f"<<{name}>>", prefix + name)
    return text


def _write_tree(root: Path, tree: dict[str, str]) -> Path:
    for relative_path, text in tree.items():
        target = root / relative_path
        os.makedirs(target.parent, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


# A cookiecutter template shaped like the popular public ones (cookiecutter-pypackage,
# cookiecutter-data-science): a nested package, docs, CI with GitHub expressions kept raw,
# conditional files removed by a post-generation hook and answers checked by a pre-generation one.
REALISTIC_CONTEXT = {
    "author": "Bench Team",
    "email": "bench@example.com",
    "project_name": "Bench Project",
    "project_slug": "{{ cookiecutter.project_name.lower().replace(' ', '_') }}",
    "package_name": "{{ cookiecutter.project_slug }}",
    "project_short_description": "A project made by the benchmark.",
    "version": "0.1.0",
    "open_source_license": ["MIT", "BSD-3-Clause", "Not open source"],
    "use_api": ["y", "n"],
    "python_version": ["3.11", "3.12"],
}
PRE_GEN_HOOK = '''"""Refuse a package name Python cannot import."""

import re
import sys

PACKAGE = "{{ cookiecutter.package_name }}"

if not re.fullmatch(r"[a-z_][a-z0-9_]*", PACKAGE):
    print(f"error: {PACKAGE!r} is not a valid Python package name", file=sys.stderr)
    sys.exit(1)
'''
POST_GEN_HOOK = '''"""Remove the files the answers turned off."""

import os
import shutil

PACKAGE = "{{ cookiecutter.package_name }}"

if "{{ cookiecutter.use_api }}" != "y":
    os.remove(os.path.join("src", PACKAGE, "api", "app.py"))
    shutil.rmtree(os.path.join("tests", "api"))
if "{{ cookiecutter.open_source_license }}" == "Not open source":
    os.remove("LICENSE")
'''
CI_WORKFLOW = """name: ci
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python: ["{{ cookiecutter.python_version }}"]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: {% raw %}${{ matrix.python }}{% endraw %}
      - run: pip install -e ".[test]"
      - run: make lint test
"""


def realistic_cookiecutter_files() -> dict[str, str]:
    """About 45 files of a cookiecutter template, under its `{{cookiecutter.project_slug}}`."""
    name, slug, package = "<<project_name>>", "cookiecutter.project_slug", "<<package_name>>"
    summary, version = "cookiecutter.project_short_description", "cookiecutter.version"
    files = {
        "README.md": f"# {{{{ {name} }}}}\n\n{{{{ {summary} }}}}\n",
        "LICENSE": "{{ cookiecutter.open_source_license }} License\n\nCopyright <<author>>\n",
        "pyproject.toml": (
            f'[project]\nname = "{{{{ {slug} }}}}"\nversion = "{{{{ {version} }}}}"\n'
            f'description = "{{{{ {summary} }}}}"\nauthors = [{{name = "{{{{ <<author>> }}}}"}}]\n'
            'requires-python = ">={{ cookiecutter.python_version }}"\n'
        ),
        "Makefile": "lint:\n\truff check .\n\ntest:\n\tpytest\n",
        ".gitignore": "__pycache__/\n*.egg-info/\n.venv/\n",
        ".editorconfig": "root = true\n\n[*]\nindent_style = space\n",
        "CHANGELOG.md": f"# Changelog\n\n## {{{{ {version} }}}}\n\n- First release.\n",
        "CONTRIBUTING.md": f"# Contributing to {{{{ {name} }}}}\n\nAsk <<author>>.\n",
        ".github/workflows/ci.yml": CI_WORKFLOW,
        ".github/ISSUE_TEMPLATE.md": f"* {{{{ {name} }}}} version:\n* Python version:\n",
        "docs/index.md": f"# {{{{ {name} }}}}\n\n{{{{ {summary} }}}}\n",
        "docs/usage.md": f"# Usage\n\n```python\nimport {{{{ {package} }}}}\n```\n",
        "docs/installation.md": f"# Installation\n\n`pip install {{{{ {slug} }}}}`\n",
        "docs/api/reference.md": f"# API of {{{{ {package} }}}}\n",
        "tests/__init__.py": "",
        "tests/conftest.py": "import pytest\n",
        "tests/api/test_app.py": f"from {{{{ {package} }}}}.api import app\n",
    }
    source = "src/{{ <<package_name>> }}"
    files[f"{source}/__init__.py"] = (
        f'"""{{{{ {name} }}}}."""\n\n__version__ = "{{{{ {version} }}}}"\n'
    )
    files[f"{source}/cli.py"] = f'"""Command line of {{{{ {name} }}}}."""\n'
    files[f"{source}/api/__init__.py"] = ""
    files[f"{source}/api/app.py"] = f'"""HTTP API of {{{{ {name} }}}}."""\n'
    for number in range(1, 9):
        module = MODULE.format(number=number)
        files[f"{source}/core/step_{number}.py"] = module.replace(
            "{% if <<with_api>> %}", "{% if cookiecutter.use_api == 'y' %}"
        )
        files[f"tests/core/test_step_{number}.py"] = TEST.format(number=number)
        files[f"docs/steps/step_{number}.md"] = DOC.format(number=number)
    return {
        _markers(path, "cookiecutter."): _markers(text, "cookiecutter.")
        for path, text in files.items()
    }


def write_realistic_cookiecutter_template(root: Path) -> Path:
    """A cookiecutter template of about 45 files in nested folders, with both hooks."""
    tree = {
        "cookiecutter.json": json.dumps(REALISTIC_CONTEXT, indent=2),
        "hooks/pre_gen_project.py": PRE_GEN_HOOK,
        "hooks/post_gen_project.py": POST_GEN_HOOK,
    }
    for path, text in realistic_cookiecutter_files().items():
        tree["{{cookiecutter.project_slug}}/" + path] = text
    return _write_tree(root, tree)
