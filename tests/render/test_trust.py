"""`render.trust`: which templates are trusted, and why."""

from __future__ import annotations

from scaffold.project.orgconfig import OrgConfig
from scaffold.render.sources import TemplateSource, resolve_template_source
from scaffold.render.trust import Trust, template_trust

GIT_SOURCE = TemplateSource(
    "git", "https://git.example.com/platform/tpl.git", "https://git.example.com/platform/tpl.git"
)


def test_builtin_templates_are_trusted() -> None:
    assert template_trust(resolve_template_source(None)) == Trust(True, "built-in template")


def test_trust_flag_trusts_any_source() -> None:
    assert template_trust(GIT_SOURCE, trust_flag=True) == Trust(True, "--trust")


def test_org_glob_trusts_and_is_named() -> None:
    org = OrgConfig(trusted_sources=("https://other.example.com/*", "https://GIT.example.com/*"))
    assert template_trust(GIT_SOURCE, org=org) == Trust(
        True, "org config trusted_sources 'https://GIT.example.com/*'"
    )


def test_other_sources_are_untrusted() -> None:
    org = OrgConfig(trusted_sources=("https://git.example.com/other/*",))
    assert template_trust(GIT_SOURCE, org=org) == Trust(False)
    assert template_trust(GIT_SOURCE) == Trust(False)
