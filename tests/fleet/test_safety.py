"""What the fleet accepts from a repository, and redaction of secrets from what it prints."""

from __future__ import annotations

import pytest

from scaffold.errors import ScaffoldError
from scaffold.fleet.safety import (
    UnsafeValueError,
    redact,
    require_local_source_allowed,
    require_template_source,
)
from scaffold.git.arguments import GitArgumentError
from scaffold.project.orgconfig import OrgConfig


@pytest.mark.parametrize(
    ("source", "version"),
    [
        ("--upload-pack=touch /tmp/pwned;x.git", "1.0.0"),
        ("ext::sh -c 'touch /tmp/pwned'", "1.0.0"),
        ("https://github.com/acme/template.git", "--output=/tmp/x"),
        ("https://github.com/acme/template.git", "1.0.0\n--evil"),
        ("fd::3", None),
    ],
)
def test_template_source_or_version_that_could_be_an_option_is_refused(
    source: str, version: str | None
) -> None:
    with pytest.raises(ScaffoldError) as caught:
        require_template_source(source, version)
    assert isinstance(caught.value, UnsafeValueError | GitArgumentError)


@pytest.mark.parametrize(
    "source",
    [
        "builtin:mlops",
        "https://github.com/acme/template.git",
        "git@github.com:acme/template.git",
        "/srv/templates/mlops",
    ],
)
def test_ordinary_template_sources_pass(source: str) -> None:
    require_template_source(source, "1.2.0")


def test_redact_removes_url_credentials_and_secret_environment_values() -> None:
    environ = {"GH_TOKEN": "ghp_abcdef123456", "HOME": "/root", "SHORT_TOKEN": "abc"}
    text = "push to https://bot:ghp_abcdef123456@github.com/acme/x.git failed; abc; /root"
    shown = redact(text, environ)
    assert "ghp_abcdef123456" not in shown
    assert "https://***@github.com/acme/x.git" in shown
    assert "/root" in shown and "abc" in shown  # not secrets: not named so, or too short


@pytest.mark.parametrize(
    "source", ["/home/runner/.ssh", "file:///home/runner/.cache/scaffold/fleet/other", "../x"]
)
def test_local_template_the_org_does_not_name_is_refused(source: str) -> None:
    with pytest.raises(UnsafeValueError, match="folder on this machine"):
        require_local_source_allowed(source, OrgConfig(template_source="/srv/templates/mlops"))


@pytest.mark.parametrize(
    ("source", "org"),
    [
        ("/srv/templates/mlops", OrgConfig(template_source="/srv/templates/mlops/")),
        ("/srv/templates/batch", OrgConfig(trusted_sources=("/srv/templates/*",))),
        ("https://github.com/acme/template.git", OrgConfig()),
        ("git@github.com:acme/template.git", OrgConfig()),
        ("builtin:mlops", OrgConfig()),
    ],
)
def test_network_builtin_and_org_named_templates_are_allowed(source: str, org: OrgConfig) -> None:
    require_local_source_allowed(source, org)
