"""scaffold update gives copier update's result, file for file, on template histories built here.

Each case runs both tools on copies of one edited project (tests/update/
differential.py) and compares content, mode and kind of every file. Where
scaffold differs on purpose, the path is listed in the case with the heading of
docs/updating.md that explains it; any other difference fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.update.differential import (
    ANSWERS_JINJA,
    Case,
    Executable,
    Symlink,
    TemplateHistory,
    run_both,
    snapshot,
    without_marker_labels,
    write_spec,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "updating.md"
BODY = "".join(f"line {number}\n" for number in range(1, 21))
CONFIG = "name:\n  type: str\n  default: demo\n_answers_file: .copier-answers.yml\n"


def base_template(settings: str = "", v1: dict | None = None, v2: dict | None = None):
    """A small template whose v2 edits the README, changes a module and adds a file."""
    return TemplateHistory(
        v1={
            "copier.yml": CONFIG + settings,
            **ANSWERS_JINJA,
            "README.md.jinja": "# {{ name }}\n" + BODY,
            "src/app.py": "VALUE = 1\n",
            **(v1 or {}),
        },
        v2_changes={
            "README.md.jinja": "# {{ name }}\n" + BODY.replace("line 2\n", "line 2 (v2)\n"),
            "src/app.py": "VALUE = 2\n",
            "CHANGELOG.md": "v2\n",
            **(v2 or {}),
        },
    )


def edit_readme(project: Path) -> None:
    """The user's edit every case makes: a README line the template does not touch, a file."""
    readme = project / "README.md"
    readme.write_text(readme.read_text().replace("line 15\n", "line 15, the user's\n"))
    (project / "mine.txt").write_text("the user's own file\n")


def edit_readme_and_layer(project: Path) -> None:
    edit_readme(project)
    train = project / "ml" / "train.py"
    train.write_text(train.read_text().replace("line 18\n", "line 18, the user's\n"))


def edit_readme_and_config(project: Path) -> None:
    edit_readme(project)
    (project / "config.yml").write_text("threshold: 1\nmine: true\n")


LAYER = TemplateHistory(
    v1={
        "copier.yml": "model:\n  type: str\n  default: tree\n"
        "_answers_file: .copier-answers.layer.yml\n",
        **ANSWERS_JINJA,
        "ml/train.py.jinja": "MODEL = '{{ model }}'\n" + BODY,
        "ml/README.md": "layer v1\n",
    },
    v2_changes={
        "ml/train.py.jinja": "MODEL = '{{ model }}'\n" + BODY.replace("line 3\n", "line 3 (v2)\n"),
        "ml/README.md": None,
        "ml/config.yml": "epochs: 2\n",
    },
)

KEEPS_EDITED_REMOVED = "Where scaffold and copier differ on purpose"
MARKERS = "Conflict markers"


def edit_removed_file(project: Path) -> None:
    edit_readme(project)
    (project / "obsolete.txt").write_text("old\nthe user's line\n")


def edit_line_the_template_changes(project: Path) -> None:
    edit_readme(project)
    readme = project / "README.md"
    readme.write_text(readme.read_text().replace("line 2\n", "line 2, the user's\n"))


CASES = [
    Case(
        "layered template with its own answers file",
        base_template(),
        edit_readme_and_layer,
        layer=LAYER,
        expected={
            "ml/config.yml": ("file", b"epochs: 2\n"),
            "ml/README.md": None,
            "CHANGELOG.md": None,  # the base template is not updated with the layer
            ".copier-answers.yml": ("file", None),
        },
    ),
    Case(
        "project in a subfolder of a repository",
        base_template(),
        edit_readme,
        subfolder="services/a",
        expected={"CHANGELOG.md": ("file", b"v2\n"), "src/app.py": ("file", b"VALUE = 2\n")},
    ),
    Case(
        "a file turning into a symlink",
        base_template(
            "_preserve_symlinks: true\n",
            v1={"LICENSE": "MIT\n", "docs/guide.md": "guide\n"},
            v2={"docs/guide.md": Symlink("../LICENSE")},
        ),
        edit_readme,
        expected={"docs/guide.md": ("symlink", b"../LICENSE")},
    ),
    Case(
        "a script gaining its executable bit",
        base_template(v1={"run.sh": "echo run\n"}, v2={"run.sh": Executable("echo run\n")}),
        edit_readme,
        expected={"run.sh": ("executable", b"echo run\n")},
    ),
    Case(
        "an export-subst file",
        base_template(
            v1={".gitattributes": "version.txt export-subst\n", "version.txt": "$Format:%H$\n"}
        ),
        edit_readme,
        expected={"version.txt": ("file", b"$Format:%H$\n")},
    ),
    Case(
        "_skip_if_exists",
        base_template(
            "_skip_if_exists:\n  - config.yml\n",
            v1={"config.yml": "threshold: 1\n"},
            v2={"config.yml": "threshold: 2\n"},
        ),
        edit_readme_and_config,
        expected={"config.yml": ("file", b"threshold: 1\nmine: true\n")},
    ),
    Case(
        "a user-edited file the template removed",
        base_template(v1={"obsolete.txt": "old\n"}, v2={"obsolete.txt": None}),
        edit_removed_file,
        documented={"obsolete.txt": KEEPS_EDITED_REMOVED},
        expected={"obsolete.txt": ("file", b"old\nthe user's line\n")},
    ),
    Case(
        "a conflict",
        base_template(),
        edit_line_the_template_changes,
        documented={"README.md": MARKERS},
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_scaffold_update_equals_copier_update(case: Case, tmp_path: Path) -> None:
    outcome = run_both(case, tmp_path)
    assert outcome.differing_paths() == sorted(case.documented), {
        path: (outcome.scaffold_tree.get(path), outcome.copier_tree.get(path))
        for path in outcome.differing_paths()
    }
    for path, heading in case.documented.items():
        if heading == MARKERS:  # the same merge, each tool labelling the sides its own way
            ours, theirs = outcome.scaffold_tree[path], outcome.copier_tree[path]
            assert b"<<<<<<< " in ours[1] and ours[0] == theirs[0]
            assert without_marker_labels(ours[1]) == without_marker_labels(theirs[1])
    for path, entry in case.expected.items():
        found = outcome.scaffold_tree.get(path)
        if entry is None or entry[1] is None:
            assert (found and found[0]) == (entry and entry[0]), (path, found)
        else:
            assert found == entry, (path, found)
    assert outcome.scaffold_answers == outcome.copier_answers
    assert outcome.scaffold_answers["_commit"] == "v2.0.0"
    assert outcome.scaffold_outside == outcome.copier_outside
    assert outcome.scaffold_tree["README.md"][1].count(b"the user's") >= 1  # the edit survived


def test_snapshot_tells_files_executables_and_symlinks_apart(tmp_path: Path) -> None:
    write_spec(
        tmp_path,
        {"a.txt": "a\n", "run.sh": Executable("echo\n"), "link": Symlink("a.txt"), "x": None},
    )
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ignored\n")
    assert snapshot(tmp_path) == {
        "a.txt": ("file", b"a\n"),
        "run.sh": ("executable", b"echo\n"),
        "link": ("symlink", b"a.txt"),
    }


def test_every_documented_difference_is_explained_in_docs_updating() -> None:
    headings = {
        line.lstrip("#").strip() for line in DOCS.read_text().splitlines() if line.startswith("#")
    }
    for case in CASES:
        for path, heading in case.documented.items():
            assert heading in headings, f"{case.name}: {path} cites missing heading '{heading}'"
