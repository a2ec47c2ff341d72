"""Org rules: declarative ones from the org config and Python ones from entry points."""

from __future__ import annotations

from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from scaffold.check.report import FAIL, PASS
from scaffold.check.rules import collect_rules
from scaffold.check.runner import check_project
from scaffold.errors import ScaffoldError
from scaffold.project.orgconfig import load_org_config
from tests.check_fixtures import FULL_POLICY, edit

ORG_RULES = """\
rules:
  - id: ACME-001
    title: Project has CODEOWNERS
    fix: Add .github/CODEOWNERS.
    file_exists: .github/CODEOWNERS
  - id: ACME-002
    title: README links the runbook
    fix: Link the runbook from README.md.
    file_matches: {path: README.md, pattern: "runbook"}
  - id: ACME-003
    title: Accuracy threshold is 0.85
    severity: warning
    fix: Set evaluate.thresholds.accuracy to 0.85.
    yaml_key_equals: {path: params.yaml, key: evaluate.thresholds.accuracy, value: 0.85}
"""


def org_results(project: Path, tmp_path: Path) -> dict:
    (tmp_path / "org.yaml").write_text(ORG_RULES)
    rules = [r for r in collect_rules(load_org_config(tmp_path / "org.yaml")) if r.family == "org"]
    return {r.rule_id: r for r in check_project(project, rules, FULL_POLICY).results}


def test_declarative_rules_fail_then_pass_when_fixed(fresh_project: Path, tmp_path: Path) -> None:
    results = org_results(fresh_project, tmp_path)
    assert results["ACME-001"].status == FAIL
    assert results["ACME-002"].status == FAIL
    assert results["ACME-003"].status == PASS
    (fresh_project / ".github" / "CODEOWNERS").write_text("* @acme/ml\n")
    with (fresh_project / "README.md").open("a") as readme:
        readme.write("\nSee the runbook.\n")
    edit(fresh_project, "params.yaml", "accuracy: 0.85", "accuracy: 0.5")
    results = org_results(fresh_project, tmp_path)
    assert results["ACME-001"].status == PASS
    assert results["ACME-002"].status == PASS
    assert results["ACME-003"].status == FAIL
    assert results["ACME-003"].severity == "warning"
    assert (
        results["ACME-003"].findings[0].message
        == "evaluate.thresholds.accuracy is 0.5, must be 0.85"
    )


@pytest.fixture
def plugin_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    entry = EntryPoint("acme", "tests.check.rules.plugin_example:HasChangelog", "scaffold.rules")
    monkeypatch.setattr(
        "importlib.metadata.entry_points",
        lambda group=None: [entry] if group == "scaffold.rules" else [],
    )


@pytest.mark.usefixtures("plugin_entry_point")
def test_entry_point_rule_is_collected_and_run(fresh_project: Path) -> None:
    from scaffold.project.orgconfig import OrgConfig

    rule = next(r for r in collect_rules(OrgConfig()) if r.id == "ACME-P01")
    assert rule.fix == "Add CHANGELOG.md."
    result = check_project(fresh_project, [rule], FULL_POLICY).results[0]
    assert result.status == FAIL


def test_duplicate_rule_ids_are_refused(tmp_path: Path) -> None:
    (tmp_path / "org.yaml").write_text(
        "rules:\n  - {id: SCF-V001, title: t, fix: f, file_exists: x}\n"
    )
    with pytest.raises(ScaffoldError, match="two rules share the id SCF-V001"):
        collect_rules(load_org_config(tmp_path / "org.yaml"), with_plugins=False)
