"""docs/rules.md is what `scaffold check --list-rules` generates from the rule docstrings."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.check.reports.rules_doc import rules_reference
from scaffold.check.rules import Rule, builtin_rules

DOCS = Path(__file__).resolve().parents[3] / "docs" / "rules.md"


def test_rules_doc_is_up_to_date() -> None:
    expected = rules_reference(builtin_rules())
    assert DOCS.read_text(encoding="utf-8") == expected, (
        "regenerate: python -c 'from scaffold.check.rules import builtin_rules; "
        "from scaffold.check.reports.rules_doc import rules_reference; "
        'print(rules_reference(builtin_rules()), end="")\' > docs/rules.md'
    )


@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda rule: rule.id)
def test_every_rule_documents_why_and_fix(rule: Rule) -> None:
    assert rule.title and rule.description and rule.fix
    assert rule.id.startswith("SCF-") and rule.family
