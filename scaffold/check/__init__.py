"""Checking conventions: rules, project facts, the runner, the report and its renderers."""
