"""docs/guarantees.md names, for every promise of its threat model, tests that exist.

A renamed or deleted test would otherwise leave the threat model citing a defence
that no longer runs.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CITED_TEST = re.compile(r"`(?:tests/safety/)?(test_[a-z_]+\.py)::(test_[a-z0-9_]+)`")


def _test_names(test_file: Path) -> set[str]:
    tree = ast.parse(test_file.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def test_every_test_the_threat_model_cites_exists() -> None:
    cited = CITED_TEST.findall((ROOT / "docs" / "guarantees.md").read_text(encoding="utf-8"))
    assert len(cited) > 40
    missing = [
        f"{file_name}::{name}"
        for file_name, name in cited
        if name not in _test_names(ROOT / "tests" / "safety" / file_name)
    ]
    assert not missing, missing
