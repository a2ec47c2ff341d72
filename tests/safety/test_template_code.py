"""Guarantee 1 (jinja): an untrusted template's jinja and every answer value run no code.

Each test builds a hostile template or project whose code, if it ran, would create a
marker file in tmp_path; the marker's absence is the proof. Answers are data: a value
that looks like jinja is written as given, never rendered.
"""

from __future__ import annotations

import json
import py_compile
from pathlib import Path

import pytest
import yaml

from tests.helpers import build_file_tree, commit_all, git, tree_contents
from tests.safety.support import assert_one_line_error, copier_template, invoke


def payload(marker: Path) -> str:
    """A jinja expression that, unsandboxed, creates `marker` through `os.popen`."""
    return "{{ cycler.__init__.__globals__.os.popen('touch " + str(marker) + "').read() }}"


PROJECT = "{{cookiecutter.slug}}"


def cookiecutter_template(
    root: Path, files: dict[str, str] | None = None, **context: object
) -> Path:
    """A cookiecutter template asking `slug` and `name` (plus `context`), a README using both."""
    return build_file_tree(
        root,
        {
            "cookiecutter.json": json.dumps({"slug": "demo", "name": "Demo", **context}),
            f"{PROJECT}/README.md": "Project {{ cookiecutter.name }}\n",
            **(files or {}),
        },
    )


def cookiecutter_project(tmp_path: Path) -> Path:
    """A committed project made by `scaffold new` from a git cookiecutter template."""
    template = cookiecutter_template(tmp_path / "template")
    commit_all(template, "v1", tag="1.0.0")
    result = invoke("new", str(tmp_path / "project"), "--template", str(template))
    assert result.exit_code == 0, result.stderr
    return tmp_path / "project"


def tamper_answer(project: Path, key: str, value: str) -> None:
    """Change one recorded answer and commit it, as a contributor editing the file would."""
    answers_path = project / ".copier-answers.yml"
    record = yaml.safe_load(answers_path.read_text(encoding="utf-8"))
    record[key] = value
    answers_path.write_text(yaml.safe_dump(record, sort_keys=False), encoding="utf-8")
    git(project, "commit", "-qam", "tamper")


def test_jinja_in_an_untrusted_cookiecutter_file_runs_no_code(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    template = cookiecutter_template(
        tmp_path / "template", {f"{PROJECT}/evil.txt": payload(marker)}
    )
    result = invoke("new", str(tmp_path / "dest"), "--template", str(template))
    assert_one_line_error(result, "failed to render", "unsafe")
    assert not marker.exists()
    assert not (tmp_path / "dest").exists()


def test_jinja_in_an_untrusted_cookiecutter_default_runs_no_code(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    template = cookiecutter_template(tmp_path / "template", slug=payload(marker))
    result = invoke("new", str(tmp_path / "dest"), "--template", str(template))
    assert_one_line_error(result, "unsafe")
    assert not marker.exists()


def test_jinja_in_an_untrusted_cookiecutter_file_name_runs_no_code(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    template = cookiecutter_template(
        tmp_path / "template", {f"{PROJECT}/" + payload(marker) + ".txt": "x\n"}
    )
    result = invoke("new", str(tmp_path / "dest"), "--template", str(template))
    assert result.exit_code == 2, result.stderr
    assert not marker.exists()


def test_trusted_cookiecutter_template_renders_as_cookiecutter_does(tmp_path: Path) -> None:
    template = cookiecutter_template(
        tmp_path / "template",
        {f"{PROJECT}/loop.txt": "{% for c in cookiecutter.name %}{{ c }}-{% endfor %}\n"},
    )
    untrusted = invoke("new", str(tmp_path / "a"), "--template", str(template))
    trusted = invoke("new", str(tmp_path / "b"), "--template", str(template), "--trust")
    assert untrusted.exit_code == trusted.exit_code == 0, untrusted.stderr + trusted.stderr
    assert (tmp_path / "a" / "loop.txt").read_text() == "D-e-m-o-\n"
    assert tree_contents(tmp_path / "a") == tree_contents(tmp_path / "b")


@pytest.mark.parametrize("engine", ["cookiecutter", "copier"])
def test_data_answer_is_data_not_a_template(tmp_path: Path, engine: str) -> None:
    marker = tmp_path / "marker"
    if engine == "cookiecutter":
        template = build_file_tree(
            tmp_path / "template",
            {
                "cookiecutter.json": json.dumps({"slug": "demo", "motto": "hi"}),
                "{{cookiecutter.slug}}/motto.txt": "{{ cookiecutter.motto }}\n",
            },
        )
    else:
        template = copier_template(
            tmp_path / "template",
            "motto:\n  type: str\n  default: hi\n",
            {"motto.txt.jinja": "{{ motto }}\n"},
        )
    value = "{{ 6 * 7 }} " + payload(marker)
    result = invoke(
        "new", str(tmp_path / "dest"), "--template", str(template), "--data", f"motto={value}"
    )
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "dest" / "motto.txt").read_text(encoding="utf-8") == value + "\n"
    assert not marker.exists()


def test_tampered_answer_runs_no_code_on_diff_or_status(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    project = cookiecutter_project(tmp_path)
    tamper_answer(project, "name", payload(marker))
    diff = invoke("diff", str(project))
    status = invoke("status", str(project))
    assert not marker.exists()
    assert diff.exit_code == 0, diff.stderr
    assert f"-Project {payload(marker)}" in diff.stdout  # the base rendered the answer as given
    assert status.exit_code == 0, status.stderr
    assert "edited" in status.stdout


def test_cruft_record_answer_runs_no_code_on_link(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    template = cookiecutter_template(tmp_path / "template")
    project = build_file_tree(
        tmp_path / "project",
        {
            ".cruft.json": json.dumps(
                {"template": str(template), "context": {"cookiecutter": {"name": payload(marker)}}}
            ),
            "README.md": "mine\n",
        },
    )
    commit_all(project, "initial")
    invoke("link", str(project))
    assert not marker.exists()


def test_template_lint_runs_no_jinja_code(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    template = cookiecutter_template(
        tmp_path / "template", {f"{PROJECT}/evil.txt": payload(marker)}
    )
    result = invoke("template", "lint", str(template))
    assert result.exit_code == 1, result.stderr
    assert "render-failed" in result.stdout and "unsafe" in result.stdout
    assert not marker.exists()


def extension_module(marker: Path) -> str:
    """Python that creates `marker` when imported and defines a jinja extension `Ext`."""
    return (
        f"open({str(marker)!r}, 'w').close()\n"
        "from jinja2.ext import Extension\n\n\nclass Ext(Extension):\n    pass\n"
    )


def sourceless_module(folder: Path, name: str, source: str) -> None:
    """`folder/name.pyc` compiled from `source`, with no `.py` beside it."""
    source_path = folder / f"{name}_source.py"
    source_path.write_text(source, encoding="utf-8")
    py_compile.compile(str(source_path), cfile=str(folder / f"{name}.pyc"), doraise=True)
    source_path.unlink()


@pytest.mark.parametrize(
    ("entry", "files"),
    [
        ("local_ext.Ext", {"local_ext.py": "MODULE"}),
        ("local_ext:Ext", {"local_ext.py": "MODULE"}),
        ("pkg.inner.Ext", {"pkg/inner.py": "MODULE"}),  # namespace package: no __init__.py
        ("compiled.Ext", {}),  # sourceless compiled.pyc, built below
        ("jinja2_time.TimeExtension", {"jinja2_time/__init__.py": "MODULE"}),  # shadows a package
    ],
    ids=["dotted", "module-colon-class", "namespace-package", "sourceless-pyc", "shadowing"],
)
def test_any_cookiecutter_extension_entry_is_refused_untrusted(
    tmp_path: Path, entry: str, files: dict[str, str]
) -> None:
    marker = tmp_path / "marker"
    module = extension_module(marker)
    template = cookiecutter_template(
        tmp_path / "template",
        {path: module for path in files},
        _extensions=[entry],
    )
    if not files:
        sourceless_module(template, "compiled", module)
    result = invoke("new", str(tmp_path / "dest"), "--template", str(template))
    assert_one_line_error(result, f"wants to run code: jinja extension {entry}", "--trust")
    assert not marker.exists()
    assert not (tmp_path / "dest").exists()


def test_cookiecutter_default_extension_listed_again_is_not_code(tmp_path: Path) -> None:
    template = cookiecutter_template(
        tmp_path / "template",
        {f"{PROJECT}/slug.txt": "{{ 'A B' | slugify }}\n"},
        _extensions=["cookiecutter.extensions.SlugifyExtension"],
    )
    result = invoke("new", str(tmp_path / "dest"), "--template", str(template))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "dest" / "slug.txt").read_text() == "a-b\n"


def test_cookiecutter_jinja_setting_beyond_syntax_is_refused(tmp_path: Path) -> None:
    template = cookiecutter_template(
        tmp_path / "template", _jinja2_env_vars={"trim_blocks": True, "finalize": "x"}
    )
    result = invoke("new", str(tmp_path / "dest"), "--template", str(template))
    assert_one_line_error(result, "wants to run code: jinja setting finalize")


def test_trusted_cookiecutter_extension_still_loads(tmp_path: Path) -> None:
    template = cookiecutter_template(
        tmp_path / "template",
        {
            "shout.py": (
                "from jinja2.ext import Extension\n\n\nclass Shout(Extension):\n"
                "    def __init__(self, environment):\n        super().__init__(environment)\n"
                "        environment.filters['shout'] = str.upper\n"
            ),
            f"{PROJECT}/loud.txt": "{{ cookiecutter.name | shout }}\n",
        },
        _extensions=["shout:Shout"],
    )
    result = invoke("new", str(tmp_path / "dest"), "--template", str(template), "--trust")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "dest" / "loud.txt").read_text() == "DEMO\n"


@pytest.mark.parametrize(
    ("expression", "name"),
    [
        ("{{ '$SCAFFOLD_TEST_TOKEN' | expandvars }}", "expandvars"),
        ("{{ '~' | expanduser }}", "expanduser"),
        ("{{ '/etc/*' | fileglob }}", "fileglob"),
    ],
)
def test_copier_filter_reading_this_machine_is_refused_untrusted(
    tmp_path: Path, expression: str, name: str
) -> None:
    template = copier_template(tmp_path / "template", "", {"leak.txt.jinja": expression + "\n"})
    result = invoke(
        "new",
        str(tmp_path / "dest"),
        "--template",
        str(template),
        env={"SCAFFOLD_TEST_TOKEN": "s3cr3t-token"},
    )
    assert_one_line_error(result, f"jinja filter '{name}'", "--trust")
    assert not (tmp_path / "dest").exists()
    assert "s3cr3t-token" not in result.stderr


def test_copier_filter_reading_the_environment_works_when_trusted(tmp_path: Path) -> None:
    template = copier_template(
        tmp_path / "template", "", {"leak.txt.jinja": "{{ '$SCAFFOLD_TEST_TOKEN' | expandvars }}\n"}
    )
    result = invoke(
        "new",
        str(tmp_path / "dest"),
        "--template",
        str(template),
        "--trust",
        env={"SCAFFOLD_TEST_TOKEN": "s3cr3t-token"},
    )
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "dest" / "leak.txt").read_text() == "s3cr3t-token\n"


def test_copier_filter_in_a_question_default_is_refused_untrusted(tmp_path: Path) -> None:
    template = copier_template(
        tmp_path / "template",
        "token:\n  type: str\n  default: \"{{ '$SCAFFOLD_TEST_TOKEN' | expandvars }}\"\n",
        {"token.txt.jinja": "{{ token }}\n"},
    )
    result = invoke(
        "new",
        str(tmp_path / "dest"),
        "--template",
        str(template),
        env={"SCAFFOLD_TEST_TOKEN": "s3cr3t-token"},
    )
    assert_one_line_error(result, "jinja filter 'expandvars'")
    assert not (tmp_path / "dest").exists()


def test_template_lint_refuses_a_filter_reading_the_environment(tmp_path: Path) -> None:
    template = copier_template(
        tmp_path / "template", "", {"leak.txt.jinja": "{{ '$HOME' | expandvars }}\n"}
    )
    result = invoke("template", "lint", str(template))
    assert_one_line_error(result, "jinja filter 'expandvars'")


def test_user_copier_settings_cannot_trust_a_template(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    template = copier_template(tmp_path / "template", f"_tasks:\n  - touch {marker}\n")
    settings = build_file_tree(tmp_path, {"copier-settings.yml": f"trust:\n  - {template}\n"})
    result = invoke(
        "new",
        str(tmp_path / "dest"),
        "--template",
        str(template),
        env={"COPIER_SETTINGS_PATH": str(settings / "copier-settings.yml")},
    )
    assert_one_line_error(result, "wants to run code")
    assert not marker.exists()
