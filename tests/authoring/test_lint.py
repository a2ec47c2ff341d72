"""`scaffold template lint`: one test per fault, for copier and cookiecutter templates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scaffold.authoring.lint import Finding, lint_template
from scaffold.errors import TemplateError, UntrustedTemplateError
from scaffold.render.builtin_templates import find_builtin_template
from tests.conftest import SMALL_TEMPLATE
from tests.cookiecutter_templates import (
    COOKIECUTTER_CONTEXT,
    PROJECT,
    build_cookiecutter_template,
)
from tests.helpers import build_file_tree, run_scaffold


def copier_template(tmp_path: Path, changes: dict[str, str]) -> Path:
    return build_file_tree(tmp_path / "copier-template", {**SMALL_TEMPLATE, **changes})


def codes(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(finding.path, finding.code) for finding in findings}


def test_lint_clean_copier_template_has_no_findings(small_template: Path) -> None:
    assert lint_template(small_template) == []


def test_lint_clean_cookiecutter_template_has_no_findings(tmp_path: Path) -> None:
    assert lint_template(build_cookiecutter_template(tmp_path / "template")) == []


def test_lint_builtin_mlops_template_is_clean() -> None:
    builtin = find_builtin_template("mlops")
    assert builtin is not None
    assert lint_template(builtin.path) == []


def test_lint_copier_undefined_variable_in_file(tmp_path: Path) -> None:
    template = copier_template(tmp_path, {"README.md.jinja": "# {{ nmae }}\n{{ flavour }}\n"})
    assert Finding(
        "README.md.jinja", "undefined-variable", "'nmae' is not defined by any question"
    ) in lint_template(template)


def test_lint_copier_undefined_variable_in_path_and_question_default(tmp_path: Path) -> None:
    template = copier_template(
        tmp_path,
        {
            "copier.yml": SMALL_TEMPLATE["copier.yml"] + "slug:\n  default: '{{ nmae }}'\n",
            "docs/{{ titel }}.md": "x\n",
            "slug.txt.jinja": "{{ slug }}\n",
        },
    )
    found = codes(lint_template(template))
    assert ("copier.yml", "undefined-variable") in found
    assert ("docs/{{ titel }}.md", "undefined-variable") in found


def test_lint_variables_set_or_looped_in_the_template_are_defined(tmp_path: Path) -> None:
    template = copier_template(
        tmp_path,
        {
            "list.txt.jinja": "{% set greeting = 'hi' %}{% for item in range(2) %}{{ item }}"
            "{% endfor %}{{ greeting }} {{ name }}\n"
        },
    )
    assert lint_template(template) == []


def test_lint_cookiecutter_undefined_variable(tmp_path: Path) -> None:
    template = build_cookiecutter_template(
        tmp_path / "template", {f"{PROJECT}/NOTES.md": "{{ cookiecutter.projet_name }}\n"}
    )
    findings = lint_template(template)
    assert (
        Finding(
            f"{PROJECT}/NOTES.md",
            "undefined-variable",
            "'cookiecutter.projet_name' is not defined by any question",
        )
        in findings
    )
    assert ("cookiecutter.json", "render-failed") in codes(findings)


def test_lint_copier_unused_question(tmp_path: Path) -> None:
    template = copier_template(
        tmp_path, {"copier.yml": SMALL_TEMPLATE["copier.yml"] + "colour:\n  default: red\n"}
    )
    assert lint_template(template) == [
        Finding("copier.yml", "unused-question", "'colour' is never used")
    ]


def test_lint_question_used_only_by_its_own_validator_is_unused(tmp_path: Path) -> None:
    question = 'colour:\n  default: red\n  validator: "{% if not colour %}empty{% endif %}"\n'
    template = copier_template(tmp_path, {"copier.yml": SMALL_TEMPLATE["copier.yml"] + question})
    assert codes(lint_template(template)) == {("copier.yml", "unused-question")}


def test_lint_question_used_by_another_questions_default_is_used(tmp_path: Path) -> None:
    context = {**COOKIECUTTER_CONTEXT, "repo_url": "https://x/{{ cookiecutter.project_slug }}"}
    template = build_cookiecutter_template(
        tmp_path / "template",
        {
            "cookiecutter.json": json.dumps(context),
            f"{PROJECT}/url.txt": "{{ cookiecutter.repo_url }}\n",
        },
    )
    assert lint_template(template) == []


def test_lint_cookiecutter_unused_question(tmp_path: Path) -> None:
    context = {**COOKIECUTTER_CONTEXT, "use_docker": "n"}
    template = build_cookiecutter_template(
        tmp_path / "template", {"cookiecutter.json": json.dumps(context)}
    )
    assert lint_template(template) == [
        Finding("cookiecutter.json", "unused-question", "'use_docker' is never used")
    ]


def test_lint_file_rendering_empty_with_defaults(tmp_path: Path) -> None:
    template = copier_template(
        tmp_path,
        {
            "fancy.txt.jinja": "{% if flavour == 'fancy' %}very fancy{% endif %}\n",
            "src/__init__.py": "",
        },
    )
    assert lint_template(template) == [
        Finding("fancy.txt", "empty-file", "renders empty with the default answers", True)
    ]


def test_lint_yaml_invalid_after_rendering(tmp_path: Path) -> None:
    template = copier_template(
        tmp_path,
        {
            "config.yml.jinja": "name: {{ name }}: broken\n",
            "ci.yml": "job:\n  script: !reference [.setup, script]\n",  # custom tags are fine
        },
    )
    findings = lint_template(template)
    assert [finding.path for finding in findings] == ["config.yml"]
    assert findings[0].code == "invalid-yaml"
    assert "line 1" in findings[0].message


def test_lint_cookiecutter_yaml_invalid_after_rendering(tmp_path: Path) -> None:
    template = build_cookiecutter_template(
        tmp_path / "template",
        {f"{PROJECT}/src/{PROJECT}/settings.yml": "name: [{{ cookiecutter.project_slug }}\n"},
    )
    assert codes(lint_template(template)) == {("src/demo_project/settings.yml", "invalid-yaml")}


def test_lint_names_colliding_on_case_insensitive_file_systems(tmp_path: Path) -> None:
    template = copier_template(
        tmp_path, {"readme.md": "lower\n", "Docs/a.md": "a\n", "docs/b.md": "b\n"}
    )
    found = codes(lint_template(template))
    assert ("readme.md", "case-collision") in found
    assert ("docs", "case-collision") in found


def test_lint_names_colliding_only_after_rendering(tmp_path: Path) -> None:
    # SMALL_TEMPLATE has `src/{{ name }}.py.jinja`, which renders as `src/demo.py`.
    template = copier_template(tmp_path, {"src/Demo.py": "x = 1\n"})
    assert codes(lint_template(template)) == {("src/demo.py", "case-collision")}


def test_lint_syntax_error_is_reported_with_its_line(tmp_path: Path) -> None:
    template = copier_template(tmp_path, {"bad.txt.jinja": "ok\n{{ name\n"})
    findings = lint_template(template)
    assert ("bad.txt.jinja", "syntax-error") in codes(findings)
    assert ("copier.yml", "render-failed") in codes(findings)


def test_lint_unknown_filter_is_a_syntax_error(tmp_path: Path) -> None:
    template = copier_template(tmp_path, {"bad.txt.jinja": "{{ name | shout }}\n"})
    syntax = [finding for finding in lint_template(template) if finding.code == "syntax-error"]
    assert syntax == [Finding("bad.txt.jinja", "syntax-error", "line 1: No filter named 'shout'.")]


def test_lint_does_not_run_cookiecutter_hooks(tmp_path: Path) -> None:
    marker = tmp_path / "hook-ran"
    template = build_cookiecutter_template(
        tmp_path / "template",
        {"hooks/post_gen_project.py": f"open({str(marker)!r}, 'w').close()\n"},
    )
    assert lint_template(template) == []
    assert not marker.exists()


def test_lint_template_with_jinja_extensions_needs_trust(tmp_path: Path) -> None:
    template = copier_template(
        tmp_path,
        {"copier.yml": SMALL_TEMPLATE["copier.yml"] + "_jinja_extensions: [jinja2.ext.do]\n"},
    )
    with pytest.raises(UntrustedTemplateError, match="jinja2.ext.do"):
        lint_template(template)
    assert lint_template(template, trust=True) == []


def test_lint_folder_without_template_config_is_refused(tmp_path: Path) -> None:
    folder = build_file_tree(tmp_path / "plain", {"README.md": "hi\n"})
    with pytest.raises(TemplateError, match="not a template"):
        lint_template(folder)


def test_lint_cli_prints_one_line_per_finding_and_exits_1(tmp_path: Path) -> None:
    template = copier_template(
        tmp_path, {"copier.yml": SMALL_TEMPLATE["copier.yml"] + "colour:\n  default: red\n"}
    )
    completed = run_scaffold("template", "lint", str(template), cwd=tmp_path)
    assert completed.returncode == 1
    assert completed.stdout == "copier.yml: unused-question 'colour' is never used\n"


def test_lint_cli_exits_0_when_clean_and_2_when_unreadable(
    tmp_path: Path, small_template: Path
) -> None:
    assert run_scaffold("template", "lint", str(small_template), cwd=tmp_path).returncode == 0
    missing = run_scaffold("template", "lint", str(tmp_path / "missing"), cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.startswith("error: ")


def test_lint_lines_say_which_paths_are_rendered_ones(tmp_path: Path) -> None:
    template = copier_template(
        tmp_path,
        {"fancy.txt.jinja": "{% if flavour == 'fancy' %}x{% endif %}", "b.txt.jinja": "{{ nope }}"},
    )
    lines = [finding.one_line() for finding in lint_template(template)]
    assert (
        "fancy.txt (in the default render): empty-file renders empty with the default answers"
        in lines
    )
    assert any(line.startswith("b.txt.jinja: undefined-variable") for line in lines), lines
