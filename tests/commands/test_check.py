"""`scaffold check`: the org's conventions checked on one project, on many, and from the CLI."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from scaffold.check.report import FAIL, IGNORED, PASS
from scaffold.check.reports import render
from scaffold.commands.check import check
from scaffold.commands.new import new_project
from scaffold.errors import ScaffoldError
from scaffold.project.orgconfig import load_org_config
from tests.check_fixtures import edit, stage
from tests.helpers import build_file_tree, run_scaffold

PLATFORM_ORG_CONFIG = """\
# The platform team's one org config.
template:
  source: builtin:mlops
  version: ">=1.0"
defaults:
  organisation: acme
locked:
  license: MIT
  monitoring: prometheus
policy:
  min_template_version: "1.0.0"
  required_ci_commands: ["make lint"]
  required_files: [README.md, LICENSE]
  enforced: [SCF-H001]
rules:
  - id: ACME-001
    title: README names the owning team
    why: On-call needs to know whom to page.
    fix: Add an "## Owner" section to README.md.
    file_matches: {path: README.md, pattern: "^# "}
"""
BROKEN_RULES = {
    "SCF-V001": "Dockerfile",
    "SCF-H003": "data/raw/iris.csv",
    "SCF-D004": "params.yaml",
}


def unpin_base_image(project: Path) -> None:
    text = (project / "Dockerfile").read_text()
    (project / "Dockerfile").write_text(re.sub(r"(?m)^FROM python:\S+", "FROM python", text))


def break_three_conventions(project: Path) -> None:
    unpin_base_image(project)
    build_file_tree(project, {"data/raw/iris.csv": "a,b\n1,2\n"})
    edit(project, "params.yaml", "  thresholds:\n", "  limits:\n")
    stage(project)


@pytest.fixture
def org_file(tmp_path: Path) -> Path:
    path = tmp_path / "org.yaml"
    path.write_text(PLATFORM_ORG_CONFIG)
    return path


def test_fresh_project_from_org_config_passes_every_rule(tmp_path: Path, org_file: Path) -> None:
    org = load_org_config(org_file)
    project = new_project(tmp_path / "p", org=org).path
    report = check([project], org=org)
    assert report.exit_code == 0
    assert {r.status for r in report.projects[0].results} == {PASS}
    assert "ACME-001" in {rule.id for rule in report.rules}


def test_three_broken_conventions_are_named_in_text_json_and_sarif(
    tmp_path: Path, org_file: Path
) -> None:
    org = load_org_config(org_file)
    project = new_project(tmp_path / "p", org=org).path
    break_three_conventions(project)
    report = check([project], org=org)
    assert report.exit_code == 1
    failed = {r.rule_id: r for r in report.projects[0].results if r.status == FAIL}
    assert set(failed) == set(BROKEN_RULES)

    text = render(report, "text")
    for rule_id, path in BROKEN_RULES.items():
        assert rule_id in text and path in text
        assert report.rule(rule_id).fix in text

    document = json.loads(render(report, "json"))
    results = {r["rule"]: r for r in document["projects"][0]["results"] if r["status"] == FAIL}
    assert {rule: r["findings"][0]["path"] for rule, r in results.items()} == BROKEN_RULES
    assert all(r["fix"] for r in results.values())

    sarif = json.loads(render(report, "sarif"))
    run = sarif["runs"][0]
    located = {
        r["ruleId"]: r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in run["results"]
    }
    assert set(located) == set(BROKEN_RULES)
    for rule_id, path in BROKEN_RULES.items():
        assert located[rule_id].endswith(path)
    helps = {rule["id"]: rule["help"]["text"] for rule in run["tool"]["driver"]["rules"]}
    assert all(report.rule(rule_id).fix in helps[rule_id] for rule_id in BROKEN_RULES)


def test_opt_out_with_reason_is_reported_and_does_not_fail(fresh_project: Path) -> None:
    edit(fresh_project, "Dockerfile", "HEALTHCHECK ", "# HEALTHCHECK ")
    with (fresh_project / "pyproject.toml").open("a") as pyproject:
        pyproject.write('\n[tool.scaffold.ignore]\n"SCF-V003" = "Kubernetes probes /health"\n')
    report = check([fresh_project])
    result = next(r for r in report.projects[0].results if r.rule_id == "SCF-V003")
    assert (result.status, result.reason) == (IGNORED, "Kubernetes probes /health")
    assert report.exit_code == 0
    text = render(report, "text")
    assert "SCF-V003 (applied: the failure is ignored): Kubernetes probes /health" in text
    sarif = json.loads(render(report, "sarif"))
    suppressed = sarif["runs"][0]["results"][0]
    assert suppressed["suppressions"][0]["justification"] == "Kubernetes probes /health"


def test_opt_out_of_enforced_rule_is_refused(fresh_project: Path, org_file: Path) -> None:
    build_file_tree(fresh_project, {".env": "X=1\n"})
    stage(fresh_project, ".env")
    with (fresh_project / "pyproject.toml").open("a") as pyproject:
        pyproject.write('\n[tool.scaffold.ignore]\n"SCF-H001" = "it is only a test value"\n')
    report = check([fresh_project], org=load_org_config(org_file), select=["SCF-H"])
    result = next(r for r in report.projects[0].results if r.rule_id == "SCF-H001")
    assert result.status == FAIL
    assert "enforces" in result.note


def test_select_and_ignore_by_family_prefix_and_id(fresh_project: Path) -> None:
    report = check([fresh_project], select=["serving,hygiene"], ignore=["SCF-H004"])
    assert [rule.id for rule in report.rules] == [
        "SCF-V001", "SCF-V002", "SCF-V003", "SCF-H001", "SCF-H002", "SCF-H003",
    ]  # fmt: skip


def test_unknown_selector_is_a_usage_error(fresh_project: Path) -> None:
    with pytest.raises(ScaffoldError, match="'SCF-X' matches no rule"):
        check([fresh_project], select=["SCF-X"])


def test_two_hundred_projects_in_one_folder_are_all_checked(
    generated_project: Path, tmp_path: Path
) -> None:
    repos = tmp_path / "repos"
    broken = set()
    for number in range(200):
        project = Path(
            shutil.copytree(generated_project, repos / f"repo-{number:03d}", symlinks=True)
        )
        if number % 20 == 7:
            unpin_base_image(project)
            broken.add(str(project))
    report = check(recursive=repos, jobs=2)
    assert len(report.projects) == 200
    assert {p.path for p in report.projects if p.failed} == broken
    failures = {
        (r.rule_id) for p in report.projects if p.failed for r in p.results if r.status == FAIL
    }
    assert failures == {"SCF-V001"}
    text = render(report, "text")
    assert text.splitlines()[0].startswith("PROJECT")
    assert (
        len([line for line in text.splitlines() if re.match(r"\S+repo-\d{3}\s+(pass|fail)", line)])
        == 200
    )
    assert "10 of 200 projects failed" in text


def test_cli_exit_codes_and_formats(tmp_path: Path, fresh_project: Path, org_file: Path) -> None:
    passing = run_scaffold("check", str(fresh_project), cwd=tmp_path)
    assert passing.returncode == 0, passing.stdout
    unpin_base_image(fresh_project)
    failing = run_scaffold(
        "check", "--format", "sarif", "-o", "out.sarif", str(fresh_project), cwd=tmp_path
    )
    assert failing.returncode == 1
    assert json.loads((tmp_path / "out.sarif").read_text())["runs"][0]["results"]
    assert "\x1b[" not in run_scaffold("check", str(fresh_project), cwd=tmp_path).stdout
    (tmp_path / "bad.yaml").write_text("policy: [\n")
    bad = run_scaffold("check", "--org-config", "bad.yaml", str(fresh_project), cwd=tmp_path)
    assert bad.returncode == 2
    assert "bad.yaml:" in bad.stderr and "not valid YAML" in bad.stderr
    missing = run_scaffold("check", "no-such-dir", cwd=tmp_path)
    assert missing.returncode == 2


def test_cli_list_rules_prints_every_rule_with_its_fix(tmp_path: Path, org_file: Path) -> None:
    result = run_scaffold("check", "--list-rules", "--org-config", str(org_file), cwd=tmp_path)
    assert result.returncode == 0
    assert "### SCF-T003: Locked template files are unedited" in result.stdout
    assert "### ACME-001: README names the owning team" in result.stdout


def test_selection_that_leaves_no_rule_is_a_usage_error(fresh_project: Path) -> None:
    with pytest.raises(ScaffoldError, match="leaves no rule to run"):
        check([fresh_project], select=["SCF-H001"], ignore=["SCF-H"])
