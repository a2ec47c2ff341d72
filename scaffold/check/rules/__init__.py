"""The rule registry: built-in rules, rules from `scaffold.rules` entry points, org config rules.

An entry point names a `Rule` subclass, or a function returning `Rule`
subclasses or instances, so an organisation ships its rules as a package
without forking scaffold. This module collects and selects rules; it does
not run them (see `scaffold.check.runner`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from scaffold.check.rules import ci, data, hygiene, monitoring, serving, structure, template
from scaffold.check.rules.base import Finding, Rule, Severity, Skip
from scaffold.errors import ScaffoldError
from scaffold.project.orgconfig import OrgConfig

__all__ = ["Finding", "Rule", "Severity", "Skip", "builtin_rules", "collect_rules", "select_rules"]

ENTRY_POINT_GROUP = "scaffold.rules"
FAMILY_MODULES = (template, structure, ci, data, serving, monitoring, hygiene)


def builtin_rules() -> list[Rule]:
    """One instance of every built-in rule, ordered by family then id."""
    return [rule_class() for module in FAMILY_MODULES for rule_class in module.RULES]


def plugin_rules() -> list[Rule]:
    """Rules contributed by installed packages through the `scaffold.rules` entry point group."""
    from importlib.metadata import entry_points

    found: list[Rule] = []
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            loaded = entry_point.load()
            found.extend(_as_rules(loaded() if not _is_rule_class(loaded) else [loaded]))
        except Exception as error:
            raise ScaffoldError(
                f"rule plugin '{entry_point.name}' ({entry_point.value}) failed to load: {error}",
                "fix or uninstall the package that provides it",
            ) from error
    return found


def collect_rules(org: OrgConfig, *, with_plugins: bool = True) -> list[Rule]:
    """Built-in, plugin and org config rules; ids must be unique."""
    from scaffold.check.rules.declarative import DeclarativeRule

    rules = builtin_rules() + (plugin_rules() if with_plugins else [])
    rules += [DeclarativeRule(spec) for spec in org.rules]
    seen: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in seen:
            raise ScaffoldError(
                f"two rules share the id {rule.id}: {seen[rule.id]!r} and {rule!r}",
                "give each org or plugin rule its own id",
            )
        seen[rule.id] = rule
    return rules


def matches(rule: Rule, selector: str) -> bool:
    """Whether `selector` (an id, an id prefix such as `SCF-V`, or a family) names `rule`."""
    return rule.id.startswith(selector) or rule.family == selector


def select_rules(
    rules: Sequence[Rule], select: Sequence[str] = (), ignore: Sequence[str] = ()
) -> list[Rule]:
    """The rules named by `select` (all when empty) minus those named by `ignore`."""
    for selector in (*select, *ignore):
        if not any(matches(rule, selector) for rule in rules):
            raise ScaffoldError(
                f"'{selector}' matches no rule",
                "use a rule id, an id prefix or a family (see `scaffold check --list-rules`)",
            )
    chosen = [rule for rule in rules if not select or any(matches(rule, s) for s in select)]
    return [rule for rule in chosen if not any(matches(rule, s) for s in ignore)]


def _is_rule_class(candidate: object) -> bool:
    return isinstance(candidate, type) and issubclass(candidate, Rule)


def _as_rules(candidates: Iterable[object]) -> list[Rule]:
    rules = []
    for candidate in candidates:
        rule = candidate() if _is_rule_class(candidate) else candidate  # type: ignore[operator]
        if not isinstance(rule, Rule):
            raise TypeError(f"{candidate!r} is not a scaffold Rule")
        rules.append(rule)
    return rules
