"""Monitoring rules (SCF-M): a served model exposes metrics, and data drift is checked on schedule.

They read the package's Python files and CI commands as text; nothing is imported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from scaffold.check.rules.base import Finding, Rule, Skip
from scaffold.check.rules.ci import CI_FILES
from scaffold.check.rules.data import PARAMS_FILE, lookup

METRICS_ROUTE = re.compile(r"""["']/metrics["']|make_asgi_app|prometheus_fastapi_instrumentator""")
DRIFT_CALL = re.compile(r"make\s+(?:[^\n]*\s)?drift\b|\.drift\b")


def _source_files(files: dict[str, int]) -> list[str]:
    return sorted(p for p in files if p.startswith("src/") and p.endswith(".py"))


class MetricsEndpoint(Rule):
    """The model API exposes Prometheus metrics on /metrics.

    Request counts, latencies and the distribution of predicted classes are
    how an on-call engineer sees that a model misbehaves in production; the
    alert rules in monitoring/ read them.

    Fix: Serve `prometheus_client` metrics on GET /metrics in the API (the
    template's `api.py` and `monitoring.py` show how).
    """

    id = "SCF-M001"
    family = "monitoring"
    title = "Served model exposes a metrics endpoint"

    def check(
        self, files: dict[str, int], options: dict[str, Any], text: Callable[[str], str | None]
    ) -> Finding | Skip | None:
        if options.get("serving", "fastapi") != "fastapi":
            return Skip("the project serves no model (serving: none)")
        if options.get("monitoring", "prometheus") != "prometheus":
            return Skip("the project opted out of monitoring (monitoring: none)")
        sources = _source_files(files)
        if any(METRICS_ROUTE.search(text(path) or "") for path in sources):
            return None
        api = next((p for p in sources if p.endswith("/api.py")), "src")
        return Finding("no /metrics endpoint in the package", api)


class DriftCheck(Rule):
    """Data drift is checked: a drift module, its p-value threshold, and a CI job running it.

    A model silently degrades when the data it sees drifts from the training
    data; a scheduled drift check with a defined threshold turns that into an
    alert.

    Fix: Keep `src/<package>/drift.py`, define `monitoring.drift_p_value` in
    params.yaml, and run `make drift` from a scheduled CI job (the template's
    drift workflow or the GitLab `drift` job).
    """

    id = "SCF-M002"
    family = "monitoring"
    title = "Data drift check is present and scheduled"

    def check(
        self,
        files: dict[str, int],
        options: dict[str, Any],
        params: dict[str, Any] | None,
        ci_commands: list[tuple[str, str]],
    ) -> Iterator[Finding] | Skip:
        if options.get("monitoring", "prometheus") != "prometheus":
            return Skip("the project opted out of monitoring (monitoring: none)")
        return self._problems(files, params, ci_commands)

    @staticmethod
    def _problems(
        files: dict[str, int], params: dict[str, Any] | None, ci_commands: list[tuple[str, str]]
    ) -> Iterator[Finding]:
        if not any(path.endswith("/drift.py") for path in _source_files(files)):
            yield Finding("no drift module (src/<package>/drift.py)", "src")
        if not lookup(params or {}, "monitoring.drift_p_value")[0]:
            yield Finding("monitoring.drift_p_value is not defined", PARAMS_FILE)
        if not any(DRIFT_CALL.search(command) for _, command in ci_commands):
            ci_file = ci_commands[0][0] if ci_commands else CI_FILES["github"]
            yield Finding("no CI job runs the drift check", ci_file)


RULES = (MetricsEndpoint, DriftCheck)
