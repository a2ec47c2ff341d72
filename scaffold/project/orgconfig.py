"""The organisation's config: template, default and locked answers, check policy, fleet.

One YAML file, found via `--org-config`, `$SCAFFOLD_ORG_CONFIG` or the user
config folder, validated against `ORG_CONFIG_SCHEMA`; every error names the
file, line and key. This module loads and applies the config to answers; it
neither renders templates nor runs checks.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from scaffold import bounded_reads
from scaffold.errors import InvalidAnswerError, OrgConfigError

ENV_VARIABLE = "SCAFFOLD_ORG_CONFIG"
USER_CONFIG_NAME = "org.yaml"
DEFAULT_LOCKED_FILES = (".github/workflows/*.yml", ".gitlab-ci.yml", ".pre-commit-config.yaml")
DEFAULT_MAX_FILE_SIZE_KB = 1024
RULE_ID_PATTERN = r"^[A-Z][A-Z0-9]*-[A-Z0-9]+$"
HINT = "fix the org config (its format is in docs/org-config.md)"

_string_list = {"type": "array", "items": {"type": "string", "minLength": 1}}
_answers = {"type": "object", "propertyNames": {"pattern": r"^[A-Za-z][A-Za-z0-9_]*$"}}
ORG_CONFIG_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "scaffold org config",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "template": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "source": {"type": "string", "minLength": 1},
                "version": {"type": "string", "minLength": 1},
            },
        },
        "defaults": _answers,
        "locked": _answers,
        "trusted_sources": _string_list,
        "fleet": {
            "type": "array",
            "items": {
                "oneOf": [
                    {"type": "string", "minLength": 1},
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["repository"],
                        "properties": {
                            "repository": {"type": "string", "minLength": 1},
                            "answers_file": {"type": "string", "minLength": 1},
                        },
                    },
                ]
            },
        },
        "policy": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "min_template_version": {"type": "string", "minLength": 1},
                "locked_files": _string_list,
                "required_files": _string_list,
                "required_ci_commands": _string_list,
                "max_file_size_kb": {"type": "integer", "minimum": 1},
                "select": _string_list,
                "ignore": _string_list,
                "enforced": _string_list,
            },
        },
        "rules": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "title", "fix"],
                "properties": {
                    "id": {"type": "string", "pattern": RULE_ID_PATTERN},
                    "title": {"type": "string", "minLength": 1},
                    "severity": {"enum": ["error", "warning"]},
                    "why": {"type": "string"},
                    "fix": {"type": "string", "minLength": 1},
                    "file_exists": {"type": "string", "minLength": 1},
                    "file_matches": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["path", "pattern"],
                        "properties": {
                            "path": {"type": "string", "minLength": 1},
                            "pattern": {"type": "string", "minLength": 1},
                        },
                    },
                    "yaml_key_equals": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["path", "key", "value"],
                        "properties": {
                            "path": {"type": "string", "minLength": 1},
                            "key": {"type": "string", "minLength": 1},
                            "value": {},
                        },
                    },
                },
            },
        },
    },
}
DECLARATIVE_KINDS = ("file_exists", "file_matches", "yaml_key_equals")


@dataclass(frozen=True)
class DeclarativeRuleSpec:
    """An org rule written in the config: one file check, no code."""

    id: str
    title: str
    fix: str
    kind: str  # one of DECLARATIVE_KINDS
    path: str
    severity: str = "error"
    why: str = ""
    pattern: str | None = None
    key: str | None = None
    value: Any = None


@dataclass(frozen=True)
class Policy:
    """What `scaffold check` enforces; the defaults apply when there is no org config."""

    template_source: str | None = None
    min_template_version: str | None = None
    locked_answers: Mapping[str, Any] = field(default_factory=dict)
    locked_files: tuple[str, ...] = DEFAULT_LOCKED_FILES
    required_files: tuple[str, ...] = ()
    required_ci_commands: tuple[str, ...] = ()
    max_file_size_kb: int = DEFAULT_MAX_FILE_SIZE_KB
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    enforced: tuple[str, ...] = ()


@dataclass(frozen=True)
class OrgConfig:
    """A loaded, validated org config."""

    path: Path | None = None
    template_source: str | None = None
    template_version: str | None = None  # a PEP 440 range such as ">=1.0,<2"
    defaults: Mapping[str, Any] = field(default_factory=dict)
    locked: Mapping[str, Any] = field(default_factory=dict)
    policy: Policy = field(default_factory=Policy)
    rules: tuple[DeclarativeRuleSpec, ...] = ()
    # Globs of template sources whose code may run; matched by `render.trust`, normalised.
    trusted_sources: tuple[str, ...] = ()
    # The fleet's repositories: a git URL or path, or {"repository": ..., "answers_file": ...}.
    fleet: tuple[str | Mapping[str, str], ...] = ()

    def for_template(self, is_orgs_template: bool) -> OrgConfig:
        """This config as it applies to a template: its answers and version range belong to
        the org's template only, so another template gets neither."""
        if is_orgs_template:
            return self
        return replace(self, defaults={}, locked={}, template_version=None)


def find_org_config(
    explicit: Path | None = None, environ: Mapping[str, str] | None = None
) -> Path | None:
    """The org config to use: `explicit`, else `$SCAFFOLD_ORG_CONFIG`, else the user's one."""
    environ = os.environ if environ is None else environ
    if explicit is not None:
        return _existing(explicit, "--org-config")
    from_env = environ.get(ENV_VARIABLE, "").strip()
    if from_env:
        return _existing(Path(from_env).expanduser(), f"${ENV_VARIABLE}")
    import click  # only for its portable per-user config folder

    user_config = Path(click.get_app_dir("scaffold")) / USER_CONFIG_NAME
    return user_config if user_config.is_file() else None


def load_found_org_config(
    explicit: Path | None = None, environ: Mapping[str, str] | None = None
) -> OrgConfig:
    """The org config found by `find_org_config`, or an empty one when there is none."""
    path = find_org_config(explicit, environ)
    return OrgConfig() if path is None else load_org_config(path)


def load_org_config(path: Path) -> OrgConfig:
    """Read, validate and interpret the org config at `path`."""
    try:
        text = bounded_reads.read_text(path)
    except OSError as error:
        raise OrgConfigError(f"cannot read org config {path}: {error.strerror}", HINT) from error
    except UnicodeDecodeError as error:
        message = f"org config {path} is not UTF-8 text: {error.reason}"
        raise OrgConfigError(message, HINT) from error
    try:
        root = yaml.compose(text, Loader=bounded_reads.SafeLoader)
        if root is not None:
            bounded_reads.count_nodes(root)  # an alias bomb stops here, before validation
        document = bounded_reads.load_yaml(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise OrgConfigError(f"{where}: not valid YAML: {problem}", HINT) from error
    document = {} if document is None else document
    problems = _schema_problems(document, root) + _semantic_problems(document, root)
    if problems:
        listed = "; ".join(f"{path}:{line}: {message}" for line, message in sorted(problems))
        raise OrgConfigError(listed, HINT)
    return _interpret(path, document)


def apply_org_answers(
    org: OrgConfig, file_answers: Mapping[str, Any], data_answers: Mapping[str, Any]
) -> dict[str, Any]:
    """Merge answers: org defaults < answers file < --data; locked answers always win.

    A locked key given a different value by the answers file or --data is refused.
    """
    for origin, given in (("answers file", file_answers), ("--data", data_answers)):
        for key, value in given.items():
            if key in org.locked and _as_text(value) != _as_text(org.locked[key]):
                raise InvalidAnswerError(
                    f"'{key}' is locked to '{_as_text(org.locked[key])}' by the org config "
                    f"{org.path}; {origin} asked for '{_as_text(value)}'",
                    f"drop {key} from the {origin}, or ask the platform team to unlock it",
                )
    return {**org.defaults, **file_answers, **data_answers, **org.locked}


def check_template_version(org: OrgConfig, version: str | None) -> str | None:
    """Why `version` breaks the org's template version range (None when it is allowed)."""
    if not org.template_version:
        return None
    from packaging.specifiers import SpecifierSet
    from packaging.version import InvalidVersion, Version

    try:
        allowed = Version(str(version)) in SpecifierSet(org.template_version)
    except InvalidVersion:
        allowed = False
    if allowed:
        return None
    return f"template version {version} is outside the org's range '{org.template_version}'"


def _existing(path: Path, origin: str) -> Path:
    if not path.exists():  # a FIFO or device exists: `load_org_config` refuses it by name
        raise OrgConfigError(f"org config {path} (from {origin}) does not exist", HINT)
    return path


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _schema_problems(document: Any, root: yaml.Node | None) -> list[tuple[int, str]]:
    from jsonschema import Draft202012Validator

    problems = []
    for error in Draft202012Validator(ORG_CONFIG_SCHEMA).iter_errors(document):
        location = list(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = error.schema.get("properties", {})
            extra = sorted(str(key) for key in error.instance if key not in allowed)
            location.append(extra[0] if extra else "")
            message = f"unknown key (allowed: {', '.join(allowed)})"
        else:
            message = error.message
        problems.append((_line_of(root, location), f"{_dotted(location)}: {message}"))
    return problems


def _semantic_problems(document: Any, root: yaml.Node | None) -> list[tuple[int, str]]:
    """What the schema cannot say: valid version specs, regexes, one kind per rule."""
    if not isinstance(document, dict):
        return []
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    problems: list[tuple[int, str]] = []
    template = document.get("template")
    if isinstance(template, dict) and isinstance(template.get("version"), str):
        try:
            SpecifierSet(template["version"])
        except InvalidSpecifier:
            where = ["template", "version"]
            problems.append((_line_of(root, where), f"{_dotted(where)}: not a version range"))
    policy = document.get("policy")
    if isinstance(policy, dict) and isinstance(policy.get("min_template_version"), str):
        try:
            Version(policy["min_template_version"])
        except InvalidVersion:
            where = ["policy", "min_template_version"]
            problems.append((_line_of(root, where), f"{_dotted(where)}: not a version"))
    rules = document.get("rules")
    seen: set[str] = set()
    for index, rule in enumerate(rules if isinstance(rules, list) else []):
        if not isinstance(rule, dict):
            continue
        where = ["rules", index]
        kinds = [kind for kind in DECLARATIVE_KINDS if kind in rule]
        if len(kinds) != 1:
            problems.append(
                (
                    _line_of(root, where),
                    f"{_dotted(where)}: give exactly one of {', '.join(DECLARATIVE_KINDS)}",
                )
            )
        if rule.get("id") in seen:
            problems.append((_line_of(root, [*where, "id"]), f"{_dotted(where)}: duplicate id"))
        seen.add(str(rule.get("id")))
        matches = rule.get("file_matches")
        if isinstance(matches, dict) and isinstance(matches.get("pattern"), str):
            try:
                re.compile(matches["pattern"])
            except re.error as error:
                at = [*where, "file_matches", "pattern"]
                problems.append((_line_of(root, at), f"{_dotted(at)}: bad regex: {error}"))
    return problems


def _line_of(root: yaml.Node | None, location: Sequence[Any]) -> int:
    """The 1-based line of the node at `location` (or of its nearest existing parent)."""
    node = root
    line = 1 if node is None else node.start_mark.line + 1
    for step in location:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(step):
                    line = key_node.start_mark.line + 1
                    child = value_node
                    break
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value)
        ):
            child = node.value[step]
            line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line


def _dotted(location: Sequence[Any]) -> str:
    text = ""
    for step in location:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text or "(top level)"


def _interpret(path: Path, document: dict[str, Any]) -> OrgConfig:
    template = document.get("template") or {}
    policy = document.get("policy") or {}
    locked = dict(document.get("locked") or {})
    return OrgConfig(
        path=path,
        template_source=template.get("source"),
        template_version=template.get("version"),
        defaults=dict(document.get("defaults") or {}),
        locked=locked,
        policy=Policy(
            template_source=template.get("source"),
            min_template_version=policy.get("min_template_version"),
            locked_answers=locked,
            locked_files=tuple(policy.get("locked_files", DEFAULT_LOCKED_FILES)),
            required_files=tuple(policy.get("required_files", ())),
            required_ci_commands=tuple(policy.get("required_ci_commands", ())),
            max_file_size_kb=int(policy.get("max_file_size_kb", DEFAULT_MAX_FILE_SIZE_KB)),
            select=tuple(policy.get("select", ())),
            ignore=tuple(policy.get("ignore", ())),
            enforced=tuple(policy.get("enforced", ())),
        ),
        rules=tuple(_rule_spec(rule) for rule in document.get("rules") or ()),
        trusted_sources=tuple(document.get("trusted_sources") or ()),
        fleet=tuple(document.get("fleet") or ()),
    )


def _rule_spec(rule: dict[str, Any]) -> DeclarativeRuleSpec:
    kind = next(kind for kind in DECLARATIVE_KINDS if kind in rule)
    body = rule[kind]
    details = body if isinstance(body, dict) else {"path": body}
    return DeclarativeRuleSpec(
        id=rule["id"],
        title=rule["title"],
        fix=rule["fix"],
        kind=kind,
        path=details["path"],
        severity=rule.get("severity", "error"),
        why=rule.get("why", ""),
        pattern=details.get("pattern"),
        key=details.get("key"),
        value=details.get("value"),
    )
