"""The org config: finding it, validating it with file:line:key errors, applying its answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.errors import InvalidAnswerError, OrgConfigError
from scaffold.project.orgconfig import (
    ENV_VARIABLE,
    OrgConfig,
    apply_org_answers,
    check_template_version,
    find_org_config,
    load_org_config,
)

VALID = """\
template:
  source: builtin:mlops
  version: ">=1.0,<2"
defaults:
  organisation: acme
locked:
  license: MIT
policy:
  min_template_version: "1.0.0"
  locked_files: [".github/workflows/*.yml"]
  required_files: [README.md]
  max_file_size_kb: 512
  enforced: [SCF-H]
rules:
  - id: ACME-001
    title: Project has a CODEOWNERS file
    fix: Add .github/CODEOWNERS naming the owning team.
    file_exists: .github/CODEOWNERS
  - id: ACME-002
    title: Accuracy threshold is at least the org's
    severity: warning
    fix: Set evaluate.thresholds.accuracy to 0.9.
    yaml_key_equals: {path: params.yaml, key: evaluate.thresholds.accuracy, value: 0.9}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "org.yaml"
    path.write_text(text)
    return path


def test_load_valid_org_config(tmp_path: Path) -> None:
    org = load_org_config(write(tmp_path, VALID))
    assert org.template_source == "builtin:mlops"
    assert org.defaults == {"organisation": "acme"}
    assert org.locked == {"license": "MIT"}
    assert org.policy.template_source == "builtin:mlops"
    assert org.policy.locked_answers == {"license": "MIT"}
    assert org.policy.max_file_size_kb == 512
    assert [rule.kind for rule in org.rules] == ["file_exists", "yaml_key_equals"]
    assert org.rules[1].value == 0.9


def test_empty_org_config_is_the_default(tmp_path: Path) -> None:
    org = load_org_config(write(tmp_path, "# nothing yet\n"))
    assert org.policy == OrgConfig().policy


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "policy:\n  locked_files: [a, b\n")
    with pytest.raises(OrgConfigError, match=rf"{path}:\d+: not valid YAML"):
        load_org_config(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("policy:\n  max_file_size_kb: big\n", r":2: policy\.max_file_size_kb: 'big' is not"),
        (
            "policy:\n  locked_files:\n    - a\n    - 3\n",
            r":4: policy\.locked_files\[1\]: 3 is not",
        ),
        ("template:\n  sorce: x\n", r":2: template\.sorce: unknown key"),
        (
            "rules:\n  - id: bad id\n    title: t\n    fix: f\n    file_exists: x\n",
            r":2: rules\[0\]\.id",
        ),
        ("rules:\n  - id: ACME-1\n    title: t\n    fix: f\n", r":2: rules\[0\]: give exactly one"),
        ("template:\n  version: around 1\n", r":2: template\.version: not a version range"),
        (
            "rules:\n  - id: ACME-1\n    title: t\n    fix: f\n"
            "    file_matches: {path: a, pattern: '(['}\n",
            r":5: rules\[0\]\.file_matches\.pattern: bad regex",
        ),
    ],
)
def test_schema_errors_name_file_line_and_key(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(OrgConfigError, match=str(path).replace(".", r"\.") + expected) as caught:
        load_org_config(path)
    assert caught.value.exit_code == 2
    assert "docs/org-config.md" in caught.value.hint


def test_find_prefers_explicit_then_environment_then_user_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    explicit, from_env = write(tmp_path, ""), tmp_path / "env.yaml"
    from_env.write_text("")
    user_folder = tmp_path / "xdg" / "scaffold"
    user_folder.mkdir(parents=True)
    (user_folder / "org.yaml").write_text("")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    environ = {ENV_VARIABLE: str(from_env)}
    assert find_org_config(explicit, environ) == explicit
    assert find_org_config(None, environ) == from_env
    assert find_org_config(None, {}) == user_folder / "org.yaml"


def test_missing_explicit_org_config_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(OrgConfigError, match="does not exist"):
        find_org_config(tmp_path / "nope.yaml", {})
    with pytest.raises(OrgConfigError, match=ENV_VARIABLE):
        find_org_config(None, {ENV_VARIABLE: str(tmp_path / "nope.yaml")})


def test_answers_precedence_defaults_file_data_locked() -> None:
    org = OrgConfig(defaults={"a": "org", "b": "org", "c": "org"}, locked={"license": "MIT"})
    merged = apply_org_answers(org, {"b": "file", "c": "file"}, {"c": "data"})
    assert merged == {"a": "org", "b": "file", "c": "data", "license": "MIT"}


@pytest.mark.parametrize("origin", ["file", "data"])
def test_locked_answer_cannot_be_overridden(origin: str) -> None:
    org = OrgConfig(path=Path("org.yaml"), locked={"license": "MIT"})
    given = {"license": "Apache-2.0"}
    with pytest.raises(InvalidAnswerError, match="'license' is locked to 'MIT'"):
        apply_org_answers(org, given if origin == "file" else {}, given if origin == "data" else {})


def test_locked_answer_may_be_repeated_with_the_same_value() -> None:
    org = OrgConfig(locked={"use_docker": True})
    assert apply_org_answers(org, {}, {"use_docker": "true"}) == {"use_docker": True}


def test_template_version_range() -> None:
    org = OrgConfig(template_version=">=1.0,<2")
    assert check_template_version(org, "1.4.0") is None
    assert "outside the org's range" in str(check_template_version(org, "2.0.0"))
    assert check_template_version(OrgConfig(), "0.1") is None
