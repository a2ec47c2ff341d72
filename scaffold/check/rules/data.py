"""Data and model rules (SCF-D): a reproducible DVC pipeline with params, metrics and thresholds.

They read dvc.yaml and params.yaml only; running DVC is the project's job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from numbers import Number
from typing import Any

from scaffold.check.rules.base import Finding, Rule, Skip, line_of

DVC_FILE = "dvc.yaml"
PARAMS_FILE = "params.yaml"


def _stages_or_skip(dvc_pipeline: dict[str, Any] | None, options: dict[str, Any]) -> Any:
    if dvc_pipeline is None:
        if options.get("data_versioning") == "none":
            return Skip("the project does not use DVC (data_versioning: none)")
        return Finding(f"{DVC_FILE} is missing or invalid", DVC_FILE)
    stages = dvc_pipeline.get("stages")
    if not isinstance(stages, dict) or not stages:
        return Finding(f"{DVC_FILE} defines no stages", DVC_FILE)
    return stages


def lookup(mapping: Any, dotted_key: str) -> tuple[bool, Any]:
    """(found, value) of `a.b.c` in nested mappings."""
    current = mapping
    for part in dotted_key.split("."):
        if not isinstance(current, dict) or part not in current:
            return False, None
        current = current[part]
    return True, current


class DvcPipelineStages(Rule):
    """The DVC pipeline has stages, each with a command and dependencies, and it produces outputs.

    `dvc repro` can only re-run what changed, and rebuild a model from a
    commit, when every stage declares what it runs, what it reads and what it
    writes.

    Fix: Give every stage in dvc.yaml a `cmd` and `deps`, and declare the
    data and model files it writes under `outs`.
    """

    id = "SCF-D001"
    family = "data-model"
    title = "DVC pipeline stages are declared"

    def check(
        self,
        dvc_pipeline: dict[str, Any] | None,
        options: dict[str, Any],
        text: Callable[[str], str | None],
    ) -> Any:
        stages = _stages_or_skip(dvc_pipeline, options)
        if not isinstance(stages, dict):
            return stages
        return self._problems(stages, text(DVC_FILE))

    @staticmethod
    def _problems(stages: dict[str, Any], dvc_text: str | None) -> Iterator[Finding]:
        for name, stage in stages.items():
            where = line_of(dvc_text, f"{name}:")
            if not isinstance(stage, dict) or not stage.get("cmd"):
                yield Finding(f"stage '{name}' has no cmd", DVC_FILE, where)
            elif not stage.get("deps"):
                yield Finding(f"stage '{name}' declares no deps", DVC_FILE, where)
        if not any(isinstance(stage, dict) and stage.get("outs") for stage in stages.values()):
            yield Finding("no stage declares outs (data or model files)", DVC_FILE)


class DvcParamsTracked(Rule):
    """Stages declare the parameters they use, and each one exists in params.yaml.

    DVC re-runs a stage when one of its declared parameters changes; an
    undeclared or misspelt parameter means a changed hyperparameter silently
    keeps the old model.

    Fix: List the keys each stage reads under its `params` in dvc.yaml and
    define them in params.yaml.
    """

    id = "SCF-D002"
    family = "data-model"
    title = "Pipeline parameters are declared and defined"

    def check(
        self,
        dvc_pipeline: dict[str, Any] | None,
        params: dict[str, Any] | None,
        options: dict[str, Any],
        text: Callable[[str], str | None],
    ) -> Any:
        stages = _stages_or_skip(dvc_pipeline, options)
        if not isinstance(stages, dict):
            return stages
        if params is None:
            return Finding(f"{PARAMS_FILE} is missing or invalid", PARAMS_FILE)
        return self._problems(stages, params, text(DVC_FILE))

    @staticmethod
    def _problems(
        stages: dict[str, Any], params: dict[str, Any], dvc_text: str | None
    ) -> Iterator[Finding]:
        declared = False
        for name, stage in stages.items():
            for entry in (stage.get("params") or []) if isinstance(stage, dict) else []:
                keys = [entry] if isinstance(entry, str) else []
                if isinstance(entry, dict):  # {params.yaml: [keys]}; other files are not ours
                    keys = [str(key) for key in entry.get(PARAMS_FILE) or []]
                for key in keys:
                    declared = True
                    if not lookup(params, key)[0]:
                        yield Finding(
                            f"stage '{name}' uses param '{key}', missing from {PARAMS_FILE}",
                            DVC_FILE,
                            line_of(dvc_text, f"- {key}"),
                        )
        if not declared:
            yield Finding("no stage declares params", DVC_FILE)


class DvcMetricsDeclared(Rule):
    """A pipeline stage declares the metrics file it writes.

    Declared metrics are what `dvc metrics diff` compares between commits and
    what CI reports on a pull request; without them model quality is invisible
    in review.

    Fix: Add `metrics: [metrics/metrics.json: {cache: false}]` to the
    evaluation stage in dvc.yaml.
    """

    id = "SCF-D003"
    family = "data-model"
    title = "Pipeline metrics are declared"

    def check(self, dvc_pipeline: dict[str, Any] | None, options: dict[str, Any]) -> Any:
        stages = _stages_or_skip(dvc_pipeline, options)
        if not isinstance(stages, dict):
            return stages
        if not any(isinstance(stage, dict) and stage.get("metrics") for stage in stages.values()):
            return Finding("no stage declares metrics", DVC_FILE)
        return None


class QualityThresholds(Rule):
    """params.yaml defines the model's quality thresholds (`evaluate.thresholds`), as numbers.

    The quality gate (`make promote`) and the model tests refuse a model below
    these scores; without thresholds any model, however bad, is accepted.

    Fix: Define `evaluate: {thresholds: {accuracy: 0.85, ...}}` in params.yaml
    with one number per metric the gate checks.
    """

    id = "SCF-D004"
    family = "data-model"
    title = "Model quality thresholds are defined"

    def check(
        self, params: dict[str, Any] | None, text: Callable[[str], str | None]
    ) -> Iterator[Finding]:
        found, thresholds = lookup(params or {}, "evaluate.thresholds")
        if not found or not isinstance(thresholds, dict) or not thresholds:
            yield Finding("evaluate.thresholds is missing or empty", PARAMS_FILE)
            return
        for metric, value in thresholds.items():
            if not isinstance(value, Number) or isinstance(value, bool):
                yield Finding(
                    f"threshold '{metric}' is not a number",
                    PARAMS_FILE,
                    line_of(text(PARAMS_FILE), f"{metric}:"),
                )


RULES = (DvcPipelineStages, DvcParamsTracked, DvcMetricsDeclared, QualityThresholds)
