"""Guarantee 4, by property: random answers and random (mostly malformed) YAML never crash scaffold.

For `new`, `update` and `check`, hypothesis feeds random answer values and
random YAML (answers file, org config, recorded `.copier-answers.yml`). Each
run must end in exit 0, 1 or 2, print no traceback, and write nothing outside
its sandbox: the temporary folder is redirected into the sandbox and must be
empty afterwards.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SMALL_TEMPLATE
from tests.helpers import build_file_tree, commit_all, git
from tests.safety.support import invoke

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

scalars = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["..", "../..", "/etc/passwd", ".git", "plain", "fancy", "a/b", "~", "-x"]),
    st.integers(),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
keys = st.one_of(st.sampled_from(["name", "flavour", "_src_path", "_commit"]), st.text(max_size=10))
yaml_alphabet = st.sampled_from(list("abc:-[]{}#&*!|>'\"%@`,? \n\t\\_.0/") + ["\u00e9", "\x00"])
yaml_texts = st.one_of(
    st.text(alphabet=yaml_alphabet, max_size=80),
    st.dictionaries(keys, values, max_size=4).map(lambda mapping: yaml.safe_dump(mapping)),
    st.binary(max_size=40).map(lambda raw: raw.decode("latin-1")),
)
data_pairs = st.lists(st.tuples(keys, st.text(max_size=20)), max_size=3)


@contextmanager
def sandbox() -> Iterator[Path]:
    """A fresh folder that also receives every temporary folder; it must be left clean."""
    with tempfile.TemporaryDirectory(prefix="scaffold-property-") as name:
        root = Path(name)
        (root / "tmp").mkdir()
        (root / "work").mkdir()
        previous, tempfile.tempdir = tempfile.tempdir, str(root / "tmp")
        try:
            yield root
        finally:
            tempfile.tempdir = previous
        assert sorted(path.name for path in root.iterdir()) == ["tmp", "work"]
        assert list((root / "tmp").iterdir()) == []


def assert_clean_outcome(result, allowed: set[int]) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code in allowed, (result.exit_code, result.stderr)
    assert "Traceback" not in result.output + result.stderr
    if result.exit_code == 2:
        assert len(result.stderr.splitlines()) == 1, result.stderr


def write_bytes(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))


@SETTINGS
@given(answers_text=yaml_texts, pairs=data_pairs)
def test_new_with_random_answers_never_crashes_or_escapes(
    tmp_path: Path, answers_text: str, pairs: list[tuple[str, str]]
) -> None:
    template = tmp_path / "tpl"
    if not template.exists():
        build_file_tree(template, SMALL_TEMPLATE)
    with sandbox() as root:
        work = root / "work"
        write_bytes(work / "answers.yml", answers_text)
        data = [arg for key, value in pairs for arg in ("--data", f"{key}={value}")]
        result = invoke(
            "new",
            "dest",
            "--template",
            str(template),
            "--answers-file",
            "answers.yml",
            *data,
            cwd=work,
        )
        assert_clean_outcome(result, {0, 2})
        expected = {"answers.yml", "dest"} if result.exit_code == 0 else {"answers.yml"}
        assert {path.name for path in work.iterdir()} == expected


recorded_answers = st.none() | st.dictionaries(
    st.sampled_from(["name", "flavour", "dropped_question"]), values, max_size=3
)


@SETTINGS
@given(record_text=yaml_texts, record_answers=recorded_answers, pairs=data_pairs)
def test_update_with_random_record_and_answers_never_crashes_or_escapes(
    tmp_path: Path,
    record_text: str,
    record_answers: dict[str, object] | None,
    pairs: list[tuple[str, str]],
) -> None:
    """`record_answers` (when given) makes a well-formed record with random answer values."""
    pristine = tmp_path / "pristine"
    if not pristine.exists():
        template = build_file_tree(tmp_path / "tpl", SMALL_TEMPLATE)
        commit_all(template, "v1", tag="1.0.0")
        build_file_tree(template, {"README.md.jinja": "# {{ name }}\nv2\n"})
        commit_all(template, "v2", tag="2.0.0")
        created = invoke("new", str(pristine), "--template", str(template), "--vcs-ref", "1.0.0")
        assert created.exit_code == 0, created.stderr
    with sandbox() as root:
        project = root / "work" / "project"
        shutil.copytree(pristine, project, symlinks=True)
        if record_answers is not None:
            record = {"_src_path": str(tmp_path / "tpl"), "_commit": "1.0.0", **record_answers}
            record_text = yaml.safe_dump(record)
        write_bytes(project / ".copier-answers.yml", record_text)
        git(project, "add", "-A")
        git(project, "commit", "-q", "--allow-empty", "-m", "random record")
        data = [arg for key, value in pairs for arg in ("--data", f"{key}={value}")]
        result = invoke("update", str(project), *data)
        assert_clean_outcome(result, {0, 1, 2})
        assert {path.name for path in (root / "work").iterdir()} == {"project"}


@SETTINGS
@given(org_text=yaml_texts, record_text=yaml_texts)
def test_check_with_random_org_config_and_record_never_crashes(
    org_text: str, record_text: str
) -> None:
    with sandbox() as root:
        work = root / "work"
        write_bytes(work / "org.yaml", org_text)
        build_file_tree(work / "project", {"pyproject.toml": "[project]\nname = 'x'\n"})
        write_bytes(work / "project" / ".copier-answers.yml", record_text)
        result = invoke(
            "check", str(work / "project"), "--org-config", str(work / "org.yaml"), "--jobs", "1"
        )
        assert_clean_outcome(result, {0, 1, 2})
