"""Project layouts: finding the project and its records from any folder, and naming its refs."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.errors import ScaffoldError
from scaffold.git.repository import PRISTINE_REF, pristine_ref
from scaffold.project.layout import (
    answers_files_in,
    check_answers_file_name,
    project_layout,
    project_layouts,
)
from tests.helpers import build_file_tree, git

RECORD = "_src_path: somewhere\n"


def test_default_record_at_the_top_keeps_the_historic_ref_name() -> None:
    assert pristine_ref() == PRISTINE_REF == "refs/scaffold/pristine"


@pytest.mark.parametrize(
    ("prefix", "answers_file", "expected"),
    [
        ("services/a", None, "refs/scaffold/pristine-of/services%2Fa/%2Edefault"),
        (
            "",
            ".copier-answers.ml.yml",
            "refs/scaffold/pristine-of/%2E/%2Ecopier-answers%2Eml%2Eyml",
        ),
        ("a b", "x/.y.lock", "refs/scaffold/pristine-of/a%20b/x%2F%2Ey%2Elock"),
    ],
)
def test_other_layouts_get_one_valid_ref_each(
    tmp_path: Path, prefix: str, answers_file: str | None, expected: str
) -> None:
    assert pristine_ref(prefix, answers_file) == expected
    git(tmp_path, "init", "-q")
    git(tmp_path, "check-ref-format", expected)  # raises when git would refuse the name


def test_subfolder_and_answers_file_pairs_never_share_a_ref() -> None:
    pairs = [("", None), ("a", None), ("", "a"), ("a", "b"), ("a/b", None), ("a", "b/c")]
    assert len({pristine_ref(prefix, record) for prefix, record in pairs}) == len(pairs)


def test_project_is_found_from_a_nested_folder_with_its_repository_prefix(tmp_path: Path) -> None:
    repo = build_file_tree(tmp_path / "repo", {"apps/web/.copier-answers.yml": RECORD})
    (repo / "apps/web/src/deep").mkdir(parents=True)
    git(repo, "init", "-q")
    layout = project_layout(repo / "apps/web/src/deep")
    assert layout.root == (repo / "apps/web").resolve()
    assert layout.repository == repo.resolve()
    assert layout.prefix == "apps/web"
    assert layout.pristine_ref == pristine_ref("apps/web")


def test_several_records_are_listed_default_first_and_one_must_be_picked(tmp_path: Path) -> None:
    project = build_file_tree(
        tmp_path / "p",
        {".copier-answers.zz.yml": RECORD, ".copier-answers.yml": RECORD, "x.yml": RECORD},
    )
    assert answers_files_in(project) == [".copier-answers.yml", ".copier-answers.zz.yml"]
    assert [layout.answers_file for layout in project_layouts(project)] == [
        ".copier-answers.yml",
        ".copier-answers.zz.yml",
    ]
    with pytest.raises(ScaffoldError, match="holds 2 templates' answers files") as caught:
        project_layout(project)
    assert "--answers-file .copier-answers.zz.yml" in caught.value.hint
    picked = project_layout(project / ".", ".copier-answers.zz.yml")
    assert picked.answers_file == ".copier-answers.zz.yml"
    assert picked.repository is None and picked.prefix == ""


def test_a_record_outside_the_default_pattern_is_found_when_named(tmp_path: Path) -> None:
    project = build_file_tree(tmp_path / "p", {".config/answers.yml": RECORD, "src/a.py": ""})
    with pytest.raises(ScaffoldError, match="not a generated project"):
        project_layout(project / "src")
    assert project_layout(project / "src", ".config/answers.yml").root == project.resolve()


@pytest.mark.parametrize("name", ["../other.yml", "/etc/answers.yml", "", "a/../../b.yml"])
def test_answers_file_names_that_leave_the_project_are_refused(name: str) -> None:
    with pytest.raises(ScaffoldError, match="not a path inside the project"):
        check_answers_file_name(name)
