"""Cookiecutter templates through `scaffold new`: parity, record, versions, trust."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scaffold.commands.new import new_project
from scaffold.errors import InvalidAnswerError, TemplateError, UntrustedTemplateError
from scaffold.project.answers import read_recorded_answers
from scaffold.render.sources import resolve_template_source
from tests.cookiecutter_templates import (
    COOKIECUTTER_CONTEXT,
    PROJECT,
    build_cookiecutter_template,
    build_git_cookiecutter_template,
)
from tests.helpers import build_file_tree, commit_all, git, run_scaffold, tree_contents

ANSWERS_FILE = ".copier-answers.yml"


def plain_cookiecutter(template: Path, output: Path, *extra_context: str) -> Path:
    """Run the `cookiecutter --no-input` CLI (with a throw-away config) and return its project."""
    config = build_file_tree(
        output.parent / "cookiecutter-config",
        {"config.yaml": f"replay_dir: {output.parent / 'replay'}\n"},
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "cookiecutter",
            "--no-input",
            "--config-file",
            str(config / "config.yaml"),
            "--output-dir",
            str(output),
            str(template),
            *extra_context,
        ],
        check=True,
        capture_output=True,
    )
    (project,) = output.iterdir()
    return project


def without_record(project: Path) -> dict[str, bytes]:
    contents = tree_contents(project)
    del contents[ANSWERS_FILE]
    return contents


@pytest.mark.parametrize(
    "answers",
    [[], ["project_name=Fraud Detector", "license=BSD-3-Clause", "with_docs=no"]],
    ids=["defaults", "answers"],
)
def test_new_cookiecutter_template_renders_like_plain_cookiecutter_no_input(
    tmp_path: Path, answers: list[str]
) -> None:
    template = build_cookiecutter_template(tmp_path / "template")
    expected = plain_cookiecutter(template, tmp_path / "plain", *answers)
    project = tmp_path / "scaffolded"
    new_project(project, template=str(template), data=answers, use_git=False)
    assert without_record(project) == tree_contents(expected)
    assert (project / "data" / "sample.raw").read_text() == "{{ kept as written }}\n"


def test_sandboxed_render_keeps_cookiecutter_extensions_and_syntax_settings(
    tmp_path: Path,
) -> None:
    template = build_cookiecutter_template(
        tmp_path / "template",
        {
            "cookiecutter.json": json.dumps(
                {**COOKIECUTTER_CONTEXT, "_jinja2_env_vars": {"trim_blocks": True}}
            ),
            f"{PROJECT}/extras.txt": (
                "{% if cookiecutter.with_docs %}\nslug: {{ 'A Title' | slugify }}\n{% endif %}\n"
                "json: {{ cookiecutter.license | jsonify }}\n"
                "year: {% now 'utc', '%Y' %}\n"
                "{{ cookiecutter.project_name.split(' ') | join('+') }}\n"
            ),
        },
    )
    expected = plain_cookiecutter(template, tmp_path / "plain")
    project = tmp_path / "scaffolded"
    new_project(project, template=str(template), use_git=False)  # untrusted: sandboxed
    assert without_record(project) == tree_contents(expected)
    assert (project / "extras.txt").read_text().startswith("slug: a-title\n")


def test_new_cookiecutter_renders_like_pytest_cookies(tmp_path: Path, cookies) -> None:
    template = build_cookiecutter_template(tmp_path / "template")
    baked = cookies.bake(extra_context={"project_name": "Baked Goods"}, template=str(template))
    assert baked.exit_code == 0, baked.exception
    project = tmp_path / "scaffolded"
    new_project(project, template=str(template), data=["project_name=Baked Goods"], use_git=False)
    assert baked.project_path.name == "baked_goods"
    assert without_record(project) == tree_contents(baked.project_path)


def test_new_cookiecutter_records_source_engine_commit_and_public_answers(tmp_path: Path) -> None:
    template = build_git_cookiecutter_template(tmp_path / "template")
    build_file_tree(template, {"extra.txt": "not in the project\n"})
    commit_all(template, "untagged work after v2")
    project = tmp_path / "proj"
    created = new_project(project, template=str(template), data=["project_name=Fraud Detector"])
    record = yaml.safe_load((project / ANSWERS_FILE).read_text())
    head = git(template, "rev-parse", "HEAD").strip()
    assert record == {
        "_src_path": str(template.resolve()),
        "_commit": head,
        "_engine": "cookiecutter",
        "license": "MIT",
        "project_name": "Fraud Detector",
        "project_slug": "fraud_detector",
        "with_docs": True,
    }
    assert created.template_version == head
    assert read_recorded_answers(project).engine == "cookiecutter"
    assert git(project, "status", "--porcelain") == ""


def test_new_cookiecutter_records_the_tag_of_a_tagged_commit(tmp_path: Path) -> None:
    template = build_git_cookiecutter_template(tmp_path / "template")
    created = new_project(tmp_path / "proj", template=str(template), use_git=False)
    assert created.template_version == "v2.0.0"


def test_new_cookiecutter_folder_outside_git_records_no_commit(tmp_path: Path) -> None:
    template = build_cookiecutter_template(tmp_path / "template")
    created = new_project(tmp_path / "proj", template=str(template), use_git=False)
    assert created.template_version is None
    assert "_commit" not in yaml.safe_load((tmp_path / "proj" / ANSWERS_FILE).read_text())


def test_new_cookiecutter_vcs_ref_renders_that_version(tmp_path: Path) -> None:
    template = build_git_cookiecutter_template(tmp_path / "template")
    project = tmp_path / "proj"
    created = new_project(project, template=str(template), vcs_ref="v1.0.0", use_git=False)
    assert created.template_version == "v1.0.0"
    assert "Install" not in (project / "README.md").read_text()
    assert not (project / "CHANGELOG.md").exists()


def test_new_cookiecutter_vcs_ref_on_folder_outside_git_is_refused(tmp_path: Path) -> None:
    template = build_cookiecutter_template(tmp_path / "template")
    with pytest.raises(TemplateError, match="not a git repository"):
        new_project(tmp_path / "proj", template=str(template), vcs_ref="v1", use_git=False)


def test_new_cookiecutter_unknown_version_is_refused(tmp_path: Path) -> None:
    template = build_git_cookiecutter_template(tmp_path / "template")
    with pytest.raises(TemplateError, match="no version 'v9'"):
        new_project(tmp_path / "proj", template=str(template), vcs_ref="v9", use_git=False)


def test_new_cookiecutter_git_url_is_detected_and_rendered(tmp_path: Path) -> None:
    template = build_git_cookiecutter_template(tmp_path / "template")
    url = template.resolve().as_uri()
    assert resolve_template_source(url).engine == "cookiecutter"
    created = new_project(tmp_path / "proj", template=url, use_git=False)
    assert created.template_source == url
    assert (tmp_path / "proj" / "CHANGELOG.md").is_file()


def test_new_copier_folder_is_still_rendered_by_copier(small_template: Path) -> None:
    assert resolve_template_source(str(small_template)).engine == "copier"


@pytest.mark.parametrize(
    ("answer", "error", "message"),
    [
        ("colour=blue", InvalidAnswerError, "unknown question"),
        ("license=GPL", InvalidAnswerError, "Invalid choice 'GPL'"),
        ("with_docs=maybe", InvalidAnswerError, "could not be converted to a boolean"),
    ],
)
def test_new_cookiecutter_rejects_bad_answer_and_leaves_nothing(
    tmp_path: Path, answer: str, error: type[Exception], message: str
) -> None:
    template = build_cookiecutter_template(tmp_path / "template")
    with pytest.raises(error, match=message):
        new_project(tmp_path / "proj", template=str(template), data=[answer])
    assert not (tmp_path / "proj").exists()


def test_new_cookiecutter_hooks_are_refused_untrusted_and_run_trusted(tmp_path: Path) -> None:
    hook = (
        "from pathlib import Path\nPath('hook-ran').write_text('{{ cookiecutter.project_slug }}')\n"
    )
    template = build_cookiecutter_template(
        tmp_path / "template", {"hooks/post_gen_project.py": hook}
    )
    with pytest.raises(UntrustedTemplateError, match=r"hooks/post_gen_project\.py"):
        new_project(tmp_path / "refused", template=str(template))
    assert not (tmp_path / "refused").exists()
    new_project(tmp_path / "trusted", template=str(template), trust=True, use_git=False)
    assert (tmp_path / "trusted" / "hook-ran").read_text() == "demo_project"


def test_new_cookiecutter_local_extension_needs_trust(tmp_path: Path) -> None:
    template = build_cookiecutter_template(
        tmp_path / "template",
        {
            "cookiecutter.json": '{"project_slug": "demo", "_extensions": ["local_ext.Shout"]}',
            "local_ext.py": "from jinja2.ext import Extension\nclass Shout(Extension):\n    pass\n",
        },
    )
    with pytest.raises(UntrustedTemplateError, match=r"jinja extension local_ext\.Shout"):
        new_project(tmp_path / "proj", template=str(template))


def test_new_cookiecutter_template_error_names_the_template_fault(tmp_path: Path) -> None:
    template = build_cookiecutter_template(
        tmp_path / "template", {f"{PROJECT}/broken.txt": "{{ cookiecutter.nope }}\n"}
    )
    with pytest.raises(TemplateError, match="failed to render"):
        new_project(tmp_path / "proj", template=str(template))
    assert not (tmp_path / "proj").exists()


PRE_PROMPT_HOOK = """import json
from pathlib import Path

context = json.loads(Path("cookiecutter.json").read_text())
context["project_name"] = "Named By Hook"
Path("cookiecutter.json").write_text(json.dumps(context))
"""
LOCAL_EXTENSION = """from jinja2.ext import Extension


class Shout(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.filters["shout"] = lambda text: text.upper() + "!"
"""


def test_new_trusted_cookiecutter_runs_pre_prompt_hook_and_local_extension_like_cookiecutter(
    tmp_path: Path,
) -> None:
    # scaffold runs cookiecutter's stages itself (not cookiecutter.main): the pre-prompt hook
    # edits a copy of the template, and a local extension imports from the template folder.
    context = {**COOKIECUTTER_CONTEXT, "_extensions": ["local_ext.Shout"]}
    template = build_cookiecutter_template(
        tmp_path / "template",
        {
            "cookiecutter.json": json.dumps(context),
            "hooks/pre_prompt.py": PRE_PROMPT_HOOK,
            "local_ext.py": LOCAL_EXTENSION,
            f"{PROJECT}/shout.txt": "{{ cookiecutter.project_name | shout }}\n",
        },
    )
    expected = plain_cookiecutter(template, tmp_path / "plain")
    project = tmp_path / "scaffolded"
    import_path = list(sys.path)
    new_project(project, template=str(template), trust=True, use_git=False)
    assert without_record(project) == tree_contents(expected)
    assert (project / "shout.txt").read_text() == "NAMED BY HOOK!\n"
    assert json.loads((template / "cookiecutter.json").read_text()) == context  # copy edited
    assert sys.path == import_path


def test_new_cookiecutter_nested_template_renders_like_cookiecutter(tmp_path: Path) -> None:
    nested = {"project_name": "Service", "project_slug": "service"}
    template = build_file_tree(
        tmp_path / "template",
        {
            "cookiecutter.json": json.dumps(
                {"templates": {"api": {"path": "./api", "title": "API", "description": "An API"}}}
            ),
            "api/cookiecutter.json": json.dumps(nested),
            f"api/{PROJECT}/README.md": "# {{ cookiecutter.project_name }} (nested)\n",
        },
    )
    expected = plain_cookiecutter(template, tmp_path / "plain")
    project = tmp_path / "scaffolded"
    new_project(project, template=str(template), use_git=False, trust=True)
    assert without_record(project) == tree_contents(expected)
    assert (project / "README.md").read_text() == "# Service (nested)\n"


def test_new_cookiecutter_ignores_the_users_cookiecutter_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = build_file_tree(
        tmp_path / "home",
        {"cookiecutterrc.yaml": "default_context:\n  project_name: From User Config\n"},
    )
    monkeypatch.setenv("COOKIECUTTER_CONFIG", str(config / "cookiecutterrc.yaml"))
    template = build_cookiecutter_template(tmp_path / "template")
    project = tmp_path / "scaffolded"
    new_project(project, template=str(template), use_git=False)
    assert read_recorded_answers(project).answers["project_name"] == "Demo Project"
    assert not (tmp_path / "home" / "replay").exists()


def test_a_failing_hook_shows_its_own_output_then_one_error_line_and_no_traceback(
    tmp_path: Path,
) -> None:
    hook = "import sys\nprint('hook: the licence server is down', file=sys.stderr)\nsys.exit(3)\n"
    template = build_cookiecutter_template(
        tmp_path / "template", {"hooks/post_gen_project.py": hook}
    )
    result = run_scaffold("new", "proj", "-t", str(template), "--defaults", "--trust", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "hook: the licence server is down"
    assert len(lines) == 2 and lines[1].startswith("error: a hook of template template failed")
    assert not (tmp_path / "proj").exists()
