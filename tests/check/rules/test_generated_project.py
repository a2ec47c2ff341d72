"""Every built-in rule passes on projects fresh from `scaffold new`."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.check.report import FAIL, PASS, SKIP
from scaffold.check.rules import builtin_rules
from scaffold.check.runner import check_project
from tests.check_fixtures import FULL_POLICY

RULE_IDS = [rule.id for rule in builtin_rules()]


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_passes_on_fresh_default_project(generated_project: Path, rule_id: str) -> None:
    rule = next(rule for rule in builtin_rules() if rule.id == rule_id)
    result = check_project(generated_project, [rule], FULL_POLICY).results[0]
    assert result.status == PASS, result


def test_fresh_minimal_project_fails_no_rule_and_skips_what_does_not_apply(
    generated_minimal_project: Path,
) -> None:
    policy = FULL_POLICY.__class__(**{**FULL_POLICY.__dict__, "locked_answers": {}})
    results = check_project(generated_minimal_project, builtin_rules(), policy).results
    assert [r for r in results if r.status == FAIL] == []
    skipped = {r.rule_id for r in results if r.status == SKIP}
    assert {"SCF-D001", "SCF-V001", "SCF-M001"} <= skipped
    assert "SCF-M002" not in skipped  # the drift check still applies without serving
