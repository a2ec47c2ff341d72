"""Several templates in one project: a layered template with its own answers file.

The base project is made by `scaffold new`; an ML layer (`_answers_file:
.copier-answers.ml.yml`) is applied on top with copier and adopted with
`scaffold link --answers-file`. Each template then updates, diffs and reports
on its own, with its own pristine history, and never writes the other's record.
"""

from __future__ import annotations

from pathlib import Path

import copier
import pytest

from scaffold.check.facts import ProjectFiles
from scaffold.check.rules.template import LockedFilesUnedited
from scaffold.check.runner import check_project
from scaffold.commands.diff import project_diff
from scaffold.commands.link import link_project
from scaffold.commands.new import new_project
from scaffold.commands.status import project_statuses
from scaffold.commands.update import update_project
from scaffold.errors import ScaffoldError
from scaffold.git.repository import PRISTINE_REF, pristine_ref
from scaffold.project.orgconfig import Policy
from tests.helpers import build_file_tree, commit_all, git, run_scaffold

LAYER_RECORD = ".copier-answers.ml.yml"
LAYER_REF = pristine_ref("", LAYER_RECORD)
LAYER_V1 = {
    "copier.yml": f"model:\n  type: str\n  default: tree\n_answers_file: {LAYER_RECORD}\n",
    "{{ _copier_conf.answers_file }}.jinja": "{{ _copier_answers|to_nice_yaml -}}\n",
    "ml/train.py.jinja": "MODEL = '{{ model }}'\nEPOCHS = 1\n\n\ndef train():\n    return MODEL\n",
    "ml/README.md": "ml layer v1\n",
}
LAYER_V2 = {
    "ml/train.py.jinja": "MODEL = '{{ model }}'\nEPOCHS = 2\n\n\ndef train():\n    return MODEL\n",
    "ml/README.md": "ml layer v2\n",
    "ml/config.yml": "lr: 0.1\n",
}


def make_layer_template(root: Path) -> Path:
    """A git copier template with its own answers file, tags v1.0.0 and v2.0.0."""
    repo = build_file_tree(root, LAYER_V1)
    commit_all(repo, "v1", tag="v1.0.0")
    build_file_tree(repo, LAYER_V2)
    commit_all(repo, "v2", tag="v2.0.0")
    return repo


@pytest.fixture
def layered_project(tmp_path: Path, git_template: Path) -> Path:
    """Base template v1.0.0 by scaffold new, ML layer v1.0.0 by copier, linked by scaffold."""
    layer = make_layer_template(tmp_path / "layer")
    project = tmp_path / "project"
    new_project(project, template=str(git_template), vcs_ref="v1.0.0")
    copier.run_copy(str(layer), project, vcs_ref="v1.0.0", defaults=True, quiet=True)
    commit_all(project, "add the ML layer with copier")
    link_project(project, answers_file=LAYER_RECORD)
    return project


def records(project: Path) -> list[str]:
    return sorted(path.name for path in project.glob(".copier-answers*"))


def test_link_of_a_layered_template_keeps_its_own_record_and_ref(layered_project: Path) -> None:
    assert records(layered_project) == [".copier-answers.ml.yml", ".copier-answers.yml"]
    layer_files = git(layered_project, "ls-tree", "-r", "--name-only", LAYER_REF).split()
    assert sorted(layer_files) == [LAYER_RECORD, "ml/README.md", "ml/train.py"]
    base_files = git(layered_project, "ls-tree", "-r", "--name-only", PRISTINE_REF).split()
    assert "ml/train.py" not in base_files
    assert "_commit: v1.0.0" in (layered_project / LAYER_RECORD).read_text()


def test_update_without_answers_file_names_the_templates_and_changes_nothing(
    layered_project: Path,
) -> None:
    head = git(layered_project, "rev-parse", "HEAD")
    with pytest.raises(ScaffoldError, match="holds 2 templates' answers files") as caught:
        update_project(layered_project)
    assert ".copier-answers.yml, .copier-answers.ml.yml" in caught.value.message
    assert git(layered_project, "rev-parse", "HEAD") == head
    assert git(layered_project, "status", "--porcelain") == ""


def test_updating_the_layer_keeps_edits_and_never_touches_the_other_template(
    layered_project: Path,
) -> None:
    train = layered_project / "ml/train.py"
    train.write_text(train.read_text().replace("return MODEL", "return MODEL + '!'"))
    commit_all(layered_project, "user edit in the layer's file")
    base_record = (layered_project / ".copier-answers.yml").read_bytes()
    base_ref = git(layered_project, "rev-parse", PRISTINE_REF)

    result = update_project(layered_project, answers_file=LAYER_RECORD)

    assert (result.version_from, result.version_to) == ("v1.0.0", "v2.0.0")
    assert (
        train.read_text()
        == "MODEL = 'tree'\nEPOCHS = 2\n\n\ndef train():\n    return MODEL + '!'\n"
    )
    assert (layered_project / "ml/config.yml").read_text() == "lr: 0.1\n"
    assert records(layered_project) == [".copier-answers.ml.yml", ".copier-answers.yml"]
    assert (layered_project / ".copier-answers.yml").read_bytes() == base_record
    assert "_commit: v2.0.0" in (layered_project / LAYER_RECORD).read_text()
    assert (layered_project / "README.md").read_text() == "# demo\nflavour: plain\n"  # base v1
    assert git(layered_project, "rev-parse", PRISTINE_REF) == base_ref
    assert git(layered_project, "rev-list", "--count", LAYER_REF).strip() == "2"


def test_each_template_updates_on_its_own_in_turn(layered_project: Path) -> None:
    update_project(layered_project, answers_file=LAYER_RECORD)
    commit_all(layered_project, "ML layer v2")
    result = update_project(layered_project, answers_file=".copier-answers.yml")
    assert result.version_to == "v2.0.0"
    assert (layered_project / "README.md").read_text().endswith("v2\n")
    assert (layered_project / "ml/README.md").read_text() == "ml layer v2\n"
    assert "_commit: v2.0.0" in (layered_project / ".copier-answers.yml").read_text()
    assert records(layered_project) == [".copier-answers.ml.yml", ".copier-answers.yml"]


def test_diff_of_one_template_leaves_out_the_other_templates_files(layered_project: Path) -> None:
    (layered_project / "README.md").write_text("base readme, edited\n")
    (layered_project / "ml/README.md").write_text("ml readme, edited\n")
    build_file_tree(layered_project, {"notes.txt": "my own file\n"})
    base = project_diff(layered_project, answers_file=".copier-answers.yml")
    layer = project_diff(layered_project, answers_file=LAYER_RECORD)
    assert base.changed_paths == ["README.md", "notes.txt"]
    assert layer.changed_paths == ["ml/README.md", "notes.txt"]
    assert layer.generated_paths_changed == ["ml/README.md"]


def test_status_reports_every_template_of_the_project(layered_project: Path) -> None:
    (layered_project / "ml/README.md").write_text("edited\n")
    statuses = project_statuses([layered_project])
    assert [(s.answers_file, s.version, s.edited) for s in statuses] == [
        (".copier-answers.yml", "v1.0.0", False),
        (LAYER_RECORD, "v1.0.0", True),
    ]
    only_layer = project_statuses([layered_project], answers_file=LAYER_RECORD)
    assert [status.answers_file for status in only_layer] == [LAYER_RECORD]


def test_cli_update_and_status_take_answers_file(layered_project: Path) -> None:
    refused = run_scaffold("update", "--defaults", cwd=layered_project)
    assert refused.returncode == 2
    assert refused.stderr.startswith("error: ") and "--answers-file" in refused.stderr
    updated = run_scaffold("update", "--defaults", "-a", LAYER_RECORD, cwd=layered_project)
    assert updated.returncode == 0, updated.stderr
    assert f"project ({LAYER_RECORD}): " in updated.stdout
    status = run_scaffold("status", "--format", "json", cwd=layered_project)
    assert '"answers_file": ".copier-answers.ml.yml"' in status.stdout
    assert '"answers_file": ".copier-answers.yml"' in status.stdout
    shown = run_scaffold("status", cwd=layered_project)
    rows = [row for row in shown.stdout.splitlines()[1:] if row]
    assert len(rows) == 2, (shown.stdout, shown.stderr)
    assert [row.split()[0] for row in rows] == [".", "."]
    assert rows[1].startswith(f". ({LAYER_RECORD})") and not rows[0].startswith(". (")


def test_new_with_a_layered_template_writes_only_its_own_record(tmp_path: Path) -> None:
    layer = make_layer_template(tmp_path / "layer")
    project = tmp_path / "alone"
    created = new_project(project, template=str(layer), vcs_ref="v1.0.0")
    assert records(project) == [LAYER_RECORD]
    assert git(project, "rev-parse", LAYER_REF).strip() == created.commit
    assert git(project, "for-each-ref", "--format=%(refname)", "refs/scaffold").split() == [
        LAYER_REF
    ]
    assert update_project(project).version_to == "v2.0.0"  # the only record: no need to name it
    assert records(project) == [LAYER_RECORD]


def test_check_compares_with_every_template_or_the_one_named(layered_project: Path) -> None:
    combined = ProjectFiles(layered_project).pristine
    assert isinstance(combined, dict)
    assert {"README.md", "ml/train.py", LAYER_RECORD, ".copier-answers.yml"} <= set(combined)
    only_layer = ProjectFiles(layered_project, answers_file=LAYER_RECORD)
    assert isinstance(only_layer.pristine, dict)
    assert sorted(only_layer.pristine) == [LAYER_RECORD, "ml/README.md", "ml/train.py"]
    assert only_layer.answers is not None and only_layer.answers.answers == {"model": "tree"}
    (layered_project / "ml/train.py").write_text("edited\n")
    policy = Policy(locked_files=("ml/*",))
    report = check_project(layered_project, [LockedFilesUnedited()], policy, LAYER_RECORD)
    assert [finding.path for finding in report.results[0].findings] == ["ml/train.py"]


def test_cli_link_takes_the_record_as_answers_file_and_answers_as_data_file(
    tmp_path: Path, git_template: Path
) -> None:
    layer = make_layer_template(tmp_path / "layer")
    project = tmp_path / "project"
    new_project(project, template=str(git_template), vcs_ref="v1.0.0")
    copier.run_copy(str(layer), project, vcs_ref="v1.0.0", defaults=True, quiet=True)
    commit_all(project, "add the ML layer with copier")
    linked = run_scaffold("link", "--answers-file", LAYER_RECORD, "--defaults", cwd=project)
    assert linked.returncode == 0, linked.stderr
    assert f"Linked {project.resolve()} to {layer.resolve()} v1.0.0" in linked.stdout
    assert git(project, "rev-list", "--count", LAYER_REF).strip() == "1"
    again = run_scaffold("link", "-a", LAYER_RECORD, "--defaults", cwd=project)
    assert again.returncode == 2 and "already managed by scaffold" in again.stderr
    answers = build_file_tree(tmp_path / "answers", {"a.yml": "model: forest\n"})
    other = tmp_path / "other"
    new_project(other, template=str(git_template), vcs_ref="v1.0.0")
    relinked = run_scaffold(
        "link",
        "-a",
        LAYER_RECORD,
        "-t",
        str(layer),
        "--vcs-ref",
        "v1.0.0",
        "--data-file",
        str(answers / "a.yml"),
        "--defaults",
        cwd=other,
    )
    assert relinked.returncode == 0, relinked.stderr
    assert "model: forest" in (other / LAYER_RECORD).read_text()


def test_cli_diff_and_check_take_answers_file(layered_project: Path) -> None:
    (layered_project / "ml/README.md").write_text("edited\n")
    diffed = run_scaffold("diff", "--answers-file", LAYER_RECORD, cwd=layered_project / "ml")
    assert diffed.returncode == 0, diffed.stderr
    assert "+edited" in diffed.stdout and "README.md" in diffed.stdout
    refused = run_scaffold("diff", cwd=layered_project)
    assert refused.returncode == 2 and "--answers-file" in refused.stderr
    checked = run_scaffold("check", "-a", "../elsewhere.yml", cwd=layered_project)
    assert checked.returncode == 2
    assert checked.stderr.startswith("error: answers file '../elsewhere.yml' is not a path inside")


def test_layer_migration_renames_an_answer_in_its_own_record(tmp_path: Path) -> None:
    rename = (
        "{{ _copier_python }} -m scaffold.answer_migrations rename model estimator "
        "--answers-file {{ _copier_conf.answers_file }}"
    )
    layer = build_file_tree(tmp_path / "layer", LAYER_V1)
    commit_all(layer, "v1", tag="v1.0.0")
    build_file_tree(
        layer,
        {
            "copier.yml": f"estimator:\n  type: str\n  default: linear\n"
            f"_answers_file: {LAYER_RECORD}\n"
            f"_migrations:\n  - version: v2.0.0\n    command: '{rename}'\n"
            "    when: \"{{ _stage == 'before' }}\"\n",
            "ml/train.py.jinja": "MODEL = '{{ estimator }}'\n",
        },
    )
    commit_all(layer, "v2 renames model to estimator", tag="v2.0.0")
    project = tmp_path / "project"
    new_project(project, template=str(layer), vcs_ref="v1.0.0", data=["model=forest"])
    update_project(project, trust=True)
    record = (project / LAYER_RECORD).read_text()
    assert "estimator: forest" in record and "model:" not in record
    assert (project / "ml/train.py").read_text() == "MODEL = 'forest'\n"
    assert records(project) == [LAYER_RECORD]
