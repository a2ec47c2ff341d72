"""The JSON report follows its published schema and carries ids, files, lines and fixes."""

from __future__ import annotations

import json
from importlib.resources import files

from jsonschema import Draft202012Validator

from scaffold.check.report import CheckReport
from scaffold.check.reports import json as json_report


def schema() -> dict:
    return json.loads(files("scaffold.check.reports").joinpath(json_report.SCHEMA_FILE).read_text())


def test_json_report_validates_against_its_schema(sample_report: CheckReport) -> None:
    document = json.loads(json_report.render(sample_report))
    Draft202012Validator.check_schema(schema())
    assert list(Draft202012Validator(schema()).iter_errors(document)) == []


def test_json_report_summary_and_finding(sample_report: CheckReport) -> None:
    document = json.loads(json_report.render(sample_report))
    assert document["summary"] == {"projects": 2, "failed": 1, "warned": 0, "passed": 1}
    assert document["exit_code"] == 1
    first = document["projects"][0]["results"][0]
    assert (first["rule"], first["fix"]) == ("SCF-V001", "Pin it.")
    assert first["findings"] == [
        {"message": "base image 'python' unpinned", "path": "Dockerfile", "line": 6}
    ]
    assert document["projects"][0]["opt_outs"] == [{"rule": "ACME-001", "reason": "mono-repo"}]
