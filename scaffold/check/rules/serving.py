"""Serving rules (SCF-V): the model-serving Dockerfile is reproducible, unprivileged, probed.

They read the Dockerfile's instructions (continuation lines joined) and never
build an image.
"""

from __future__ import annotations

from typing import Any

from scaffold.check.rules.base import Finding, Rule, Skip

DOCKERFILE = "Dockerfile"
Instructions = list[tuple[int, str, str]]
ROOT_USERS = {"root", "0", "root:root", "0:0"}


def _instructions_or_skip(dockerfile: Instructions | str | None, options: dict[str, Any]) -> Any:
    if isinstance(dockerfile, str):  # it exists but cannot be read
        return Finding(dockerfile, DOCKERFILE)
    if dockerfile is None:
        if options.get("serving", "fastapi") != "fastapi":
            return Skip("the project serves no model (serving: none)")
        return Finding("Dockerfile is missing", DOCKERFILE)
    if not any(keyword == "FROM" for _, keyword, _ in dockerfile):
        return Finding("Dockerfile has no FROM", DOCKERFILE, 1)
    return dockerfile


def final_stage(dockerfile: Instructions) -> Instructions:
    """The instructions from the last FROM on: what the shipped image is made of."""
    last_from = max(i for i, (_, keyword, _) in enumerate(dockerfile) if keyword == "FROM")
    return dockerfile[last_from:]


def image_reference(arguments: str) -> tuple[str, str | None]:
    """(image, stage alias) of a FROM's arguments, skipping `--platform=` style flags."""
    words = [word for word in arguments.split() if not word.startswith("--")]
    image = words[0] if words else ""
    alias = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
    return image, alias


def is_pinned(image: str) -> bool:
    """Whether an image reference names a digest or a tag other than `latest`."""
    if "@sha256:" in image:
        return True
    name = image.rsplit("/", 1)[-1]
    tag = name.partition(":")[2]
    return bool(tag) and tag != "latest"


class BaseImagePinned(Rule):
    """Every base image in the Dockerfile is pinned by a version tag or a digest.

    `FROM python` or `FROM python:latest` builds a different image each week:
    builds stop being reproducible and a new upstream release can break
    serving without any change in the repository.

    Fix: Pin the base image, e.g. `FROM python:3.11.9-slim-bookworm` or
    `FROM python@sha256:<digest>`, and update it deliberately.
    """

    id = "SCF-V001"
    family = "serving"
    title = "Dockerfile base images are pinned"

    def check(self, dockerfile: Instructions | str | None, options: dict[str, Any]) -> Any:
        instructions = _instructions_or_skip(dockerfile, options)
        if not isinstance(instructions, list):
            return instructions
        stages: set[str] = set()
        findings = []
        for line, keyword, arguments in instructions:
            if keyword != "FROM":
                continue
            image, alias = image_reference(arguments)
            pinned = image in stages or image == "scratch" or "$" in image or is_pinned(image)
            if not pinned:
                findings.append(
                    Finding(
                        f"base image '{image}' is not pinned by tag or digest", DOCKERFILE, line
                    )
                )
            if alias:
                stages.add(alias)
        return findings


class RunsAsNonRoot(Rule):
    """The served image switches to a non-root user.

    A process running as root inside the container turns any bug in the
    model server into root access to the container and its mounted volumes.

    Fix: Create a system user in the final stage and add `USER app` (any
    user but root) before CMD.
    """

    id = "SCF-V002"
    family = "serving"
    title = "Image runs as a non-root user"

    def check(self, dockerfile: Instructions | str | None, options: dict[str, Any]) -> Any:
        instructions = _instructions_or_skip(dockerfile, options)
        if not isinstance(instructions, list):
            return instructions
        stage = final_stage(instructions)
        users = [
            (line, arguments.strip()) for line, keyword, arguments in stage if keyword == "USER"
        ]
        if not users:
            return Finding(
                "the final stage has no USER: the server runs as root", DOCKERFILE, stage[0][0]
            )
        line, user = users[-1]
        if user.lower() in ROOT_USERS:
            return Finding(f"the final USER is '{user}'", DOCKERFILE, line)
        return None


class HasHealthcheck(Rule):
    """The served image declares a HEALTHCHECK.

    Without one, Docker and most orchestrators consider a container healthy
    as soon as it starts, even when the model failed to load.

    Fix: Add a `HEALTHCHECK CMD ...` that calls the API's /health endpoint in
    the final stage (the template uses Python's urllib: slim images lack curl).
    """

    id = "SCF-V003"
    family = "serving"
    title = "Image declares a HEALTHCHECK"

    def check(self, dockerfile: Instructions | str | None, options: dict[str, Any]) -> Any:
        instructions = _instructions_or_skip(dockerfile, options)
        if not isinstance(instructions, list):
            return instructions
        stage = final_stage(instructions)
        checks = [(line, args) for line, keyword, args in stage if keyword == "HEALTHCHECK"]
        if not checks:
            return Finding("the final stage has no HEALTHCHECK", DOCKERFILE, stage[0][0])
        line, arguments = checks[-1]
        if arguments.strip().upper() == "NONE":
            return Finding("HEALTHCHECK NONE disables the health check", DOCKERFILE, line)
        return None


RULES = (BaseImagePinned, RunsAsNonRoot, HasHealthcheck)
