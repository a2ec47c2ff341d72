"""Property: after an update, every line the user changed is still there, or inside a conflict.

Random template changes (v1 → v2) meet random user edits to random generated
files; no user line may ever be lost silently.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scaffold.commands.new import new_project
from scaffold.commands.update import update_project
from tests.helpers import build_file_tree, commit_all, git

FILE_COUNT = 4
LINE_COUNT = 12
CONFIG = "name:\n  type: str\n  default: demo\n_answers_file: .copier-answers.yml\n"


def file_lines(index: int) -> list[str]:
    return [f"file {index} line {line}" for line in range(LINE_COUNT)]


def v1_spec() -> dict[str, str]:
    spec = {
        "copier.yml": CONFIG,
        "{{ _copier_conf.answers_file }}.jinja": "{{ _copier_answers|to_nice_yaml -}}\n",
    }
    for index in range(FILE_COUNT):
        spec[f"f{index}.txt"] = "\n".join(file_lines(index)) + "\n"
    return spec


line_edit = st.tuples(
    st.integers(0, FILE_COUNT - 1),
    st.integers(0, LINE_COUNT - 1),
    st.sampled_from(["replace", "insert_after"]),
)


def apply_edits(
    folder: Path, edits: list[tuple[int, int, str]], label: str
) -> dict[str, list[str]]:
    """Apply line edits; return the new lines written per file."""
    written: dict[str, list[str]] = {}
    for number, (file_index, line_index, action) in enumerate(edits):
        path = folder / f"f{file_index}.txt"
        if not path.exists():
            continue
        lines = path.read_text().splitlines()
        marker = f"{label} edit {number}"
        position = min(line_index, len(lines) - 1)
        if action == "replace":
            lines[position] = marker
        else:
            lines.insert(position + 1, marker)
        path.write_text("\n".join(lines) + "\n")
        written.setdefault(path.name, []).append(marker)
    return {
        name: [m for m in markers if m in (folder / name).read_text()]
        for name, markers in written.items()
    }


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    template_edits=st.lists(line_edit, min_size=1, max_size=6),
    template_removes=st.sets(st.integers(0, FILE_COUNT - 1), max_size=1),
    user_edits=st.lists(line_edit, min_size=1, max_size=8),
)
def test_update_never_loses_a_user_line(
    template_edits: list[tuple[int, int, str]],
    template_removes: set[int],
    user_edits: list[tuple[int, int, str]],
) -> None:
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        repo = build_file_tree(scratch / "template", v1_spec())
        commit_all(repo, "v1", tag="v1.0.0")
        apply_edits(repo, template_edits, "template")
        for index in template_removes:
            (repo / f"f{index}.txt").unlink()
        build_file_tree(repo, {"CHANGELOG.md": "v2\n"})  # v2 always differs from v1
        commit_all(repo, "v2", tag="v2.0.0")

        project = scratch / "project"
        new_project(project, template=str(repo), vcs_ref="v1.0.0")
        user_lines = apply_edits(project, user_edits, "user")
        git(project, "add", "-A")
        git(project, "commit", "-q", "-m", "user edits")

        update_project(project)

        for name, markers in user_lines.items():
            path = project / name
            assert path.exists(), f"{name} with user edits was removed"
            content = path.read_text()
            for marker in markers:
                assert marker in content, f"user line {marker!r} lost from {name}"
