"""Structure rules (SCF-S): the files and folders every project of the org has.

They look at what exists on disk, and whether the core config files parse;
what the files say is for the other families.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from scaffold.check.facts import ParseError
from scaffold.check.rules.base import Finding, Rule, Skip, holds_match
from scaffold.project.orgconfig import Policy

CORE_FILES = (
    "README.md",
    "pyproject.toml",
    "Makefile",
    "params.yaml",
    ".gitignore",
    ".pre-commit-config.yaml",
)
TEST_FOLDERS = ("tests/unit", "tests/data", "tests/model")


class CoreFilesPresent(Rule):
    """The project has the top-level files every project of the org has.

    README, pyproject, Makefile (the commands CI and people run), params.yaml
    (the pipeline's parameters), .gitignore, the pre-commit config and, unless
    the project is proprietary, a LICENSE. Tools and people rely on finding
    them in the same place in every repository.

    Fix: Restore the missing file from the template (`git checkout
    refs/scaffold/pristine -- FILE`) and adapt it.
    """

    id = "SCF-S001"
    family = "structure"
    title = "Core project files are present"

    def check(self, project: Path, options: dict[str, Any]) -> Iterator[Finding]:
        required = list(CORE_FILES)
        if options.get("license", "MIT") != "Proprietary":
            required.append("LICENSE")
        for name in required:
            if not os.path.isfile(os.path.join(project, name)):
                yield Finding(f"{name} is missing", name)


class PackageAndTestLayout(Rule):
    """Code lives in `src/<package>/` and tests in `tests/unit`, `tests/data`, `tests/model`.

    The src layout makes tests run against the installed package; the three
    test folders are what CI runs at different stages (unit and data tests
    before the pipeline, model tests after it).

    Fix: Move the code under `src/<package_name>/` and put at least one
    `test_*.py` in each of tests/unit, tests/data and tests/model.
    """

    id = "SCF-S002"
    family = "structure"
    title = "Package and test folders follow the layout"

    def check(self, project: Path, options: dict[str, Any]) -> Iterator[Finding]:
        package = options.get("package_name")
        if package and not (project / "src" / str(package) / "__init__.py").is_file():
            yield Finding(f"package src/{package}/ is missing", f"src/{package}/__init__.py")
        elif not package and not any((project / "src").glob("*/__init__.py")):
            yield Finding("no package under src/", "src")
        for folder in TEST_FOLDERS:
            if not holds_match(project / folder, "test_*.py"):
                yield Finding(f"{folder}/ has no test_*.py", folder)


class OrgRequiredFiles(Rule):
    """The project has every file the org policy requires (`policy.required_files`).

    Organisations add their own must-haves, such as CODEOWNERS, a model card
    or a security policy, without writing a rule.

    Fix: Add the missing file; the org's README or platform team says what it
    must contain.
    """

    id = "SCF-S003"
    family = "structure"
    title = "Files required by the org policy are present"

    def check(self, project: Path, policy: Policy) -> Iterator[Finding] | Skip:
        if not policy.required_files:
            return Skip("the org policy requires no extra files")
        return (
            Finding(f"{pattern} is required by the org policy", pattern)
            for pattern in policy.required_files
            if not any(project.glob(pattern))
        )


class ConfigFilesParse(Rule):
    """The project's core config files parse: pyproject.toml as TOML, params.yaml as YAML.

    A config that does not parse breaks `make setup` or the pipeline, and hides
    what other rules read from it (for example the opt-outs in
    `[tool.scaffold.ignore]`), so those rules would pass without looking.

    Fix: Correct the syntax at the reported line (`git diff` shows what changed).
    """

    id = "SCF-S004"
    family = "structure"
    title = "Core config files parse"

    def check(self, config_errors: list[ParseError]) -> Iterator[Finding]:
        for error in config_errors:
            yield Finding(f"{error.path} {error.message}", error.path, error.line)


RULES = (CoreFilesPresent, PackageAndTestLayout, OrgRequiredFiles, ConfigFilesParse)
