"""Guarantee 1: template code runs only for built-in templates, trusted sources or `--trust`.

Every refusal names what would have run and leaves nothing behind.
"""

from __future__ import annotations

import json
from pathlib import Path

from scaffold.commands.update import update_project
from scaffold.project.orgconfig import load_org_config
from tests.helpers import build_file_tree, git
from tests.safety.support import (
    assert_one_line_error,
    copier_template,
    generated_project,
    invoke,
    snapshot,
    tagged_template,
)

TASK = "_tasks:\n  - touch task-ran\n"


def test_copier_task_is_refused_and_named_without_trust(tmp_path: Path) -> None:
    template = copier_template(tmp_path / "tpl", TASK)
    result = invoke("new", str(tmp_path / "out" / "dest"), "--template", str(template))
    assert_one_line_error(result, "wants to run code: task `touch task-ran`", "--trust")
    assert not (tmp_path / "out" / "dest").exists()


def test_copier_task_refusal_leaves_no_destination_or_staging(tmp_path: Path) -> None:
    template = copier_template(tmp_path / "tpl", TASK)
    (tmp_path / "parent").mkdir()
    invoke("new", str(tmp_path / "parent" / "dest"), "--template", str(template))
    assert list((tmp_path / "parent").iterdir()) == []


def test_copier_jinja_extension_is_refused_and_named(tmp_path: Path) -> None:
    template = copier_template(tmp_path / "tpl", "_jinja_extensions:\n  - evil_extension.Evil\n")
    result = invoke("new", str(tmp_path / "dest"), "--template", str(template))
    assert_one_line_error(result, "jinja extension evil_extension.Evil")
    assert not (tmp_path / "dest").exists()


def test_trust_flag_lets_the_task_run(tmp_path: Path) -> None:
    template = copier_template(tmp_path / "tpl", TASK)
    result = invoke("new", str(tmp_path / "dest"), "--template", str(template), "--trust")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "dest" / "task-ran").is_file()


def test_org_trusted_sources_glob_lets_the_task_run(tmp_path: Path) -> None:
    template = copier_template(tmp_path / "templates" / "tpl", TASK)
    org = build_file_tree(
        tmp_path, {"org.yaml": f"trusted_sources:\n  - {tmp_path / 'templates'}/*\n"}
    )
    result = invoke(
        "new",
        str(tmp_path / "dest"),
        "--template",
        str(template),
        "--org-config",
        str(org / "org.yaml"),
    )
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "dest" / "task-ran").is_file()


def test_org_trusted_sources_that_do_not_match_still_refuse(tmp_path: Path) -> None:
    template = copier_template(tmp_path / "tpl", TASK)
    org = build_file_tree(
        tmp_path, {"org.yaml": "trusted_sources:\n  - https://git.example.com/platform/*\n"}
    )
    result = invoke(
        "new",
        str(tmp_path / "dest"),
        "--template",
        str(template),
        "--org-config",
        str(org / "org.yaml"),
    )
    assert_one_line_error(result, "wants to run code")
    assert not (tmp_path / "dest").exists()


def test_org_trusted_sources_must_be_a_list_of_strings(tmp_path: Path) -> None:
    org = build_file_tree(tmp_path, {"org.yaml": "trusted_sources: yes\n"})
    result = invoke("new", str(tmp_path / "dest"), "--org-config", str(org / "org.yaml"))
    assert_one_line_error(result, "org.yaml:1: trusted_sources: True is not of type 'array'")


def test_update_migration_is_refused_and_named_and_project_unchanged(tmp_path: Path) -> None:
    migration = "_migrations:\n  - version: 2.0.0\n    command: touch migrated\n"
    template = tagged_template(
        tmp_path / "tpl", [("", {"a.txt": "v1\n"}), (migration, {"a.txt": "v2\n"})]
    )
    project = generated_project(tmp_path, template, "--vcs-ref", "1.0.0")
    before = snapshot(project)
    result = invoke("update", str(project))
    assert_one_line_error(result, "wants to run migrations: touch migrated", "--trust")
    assert snapshot(project) == before


def test_update_migration_runs_for_an_org_trusted_source(tmp_path: Path) -> None:
    migration = "_migrations:\n  - version: 2.0.0\n    command: touch migrated\n"
    template = tagged_template(
        tmp_path / "tpl", [("", {"a.txt": "v1\n"}), (migration, {"a.txt": "v2\n"})]
    )
    project = generated_project(tmp_path, template, "--vcs-ref", "1.0.0")
    org_file = build_file_tree(tmp_path, {"org.yaml": f"trusted_sources: ['{template}']\n"})
    result = update_project(project, org=load_org_config(org_file / "org.yaml"))
    assert result.migrations_run == ["touch migrated"]
    assert (project / "migrated").is_file()
    changed = git(project, "status", "--porcelain").split()
    assert changed == ["M", ".copier-answers.yml", "M", "a.txt", "A", "migrated"]


def test_cookiecutter_hook_is_refused_and_named(tmp_path: Path) -> None:
    template = build_file_tree(
        tmp_path / "cc",
        {
            "cookiecutter.json": json.dumps({"name": "demo"}),
            "{{cookiecutter.name}}/README.md": "hi\n",
            "hooks/post_gen_project.py": "open('/tmp/pwned', 'w')\n",
        },
    )
    result = invoke("new", str(tmp_path / "dest"), "--template", str(template))
    assert_one_line_error(result, "wants to run code: hooks/post_gen_project.py")
    assert not (tmp_path / "dest").exists()


def test_cookiecutter_local_extension_is_refused_and_named(tmp_path: Path) -> None:
    template = build_file_tree(
        tmp_path / "cc",
        {
            "cookiecutter.json": json.dumps({"name": "demo", "_extensions": ["local_ext.Ext"]}),
            "{{cookiecutter.name}}/README.md": "hi\n",
            "local_ext.py": "raise SystemExit('imported')\n",
        },
    )
    result = invoke("new", str(tmp_path / "dest"), "--template", str(template))
    assert_one_line_error(result, "wants to run code: jinja extension local_ext.Ext")
    assert not (tmp_path / "dest").exists()
