"""Template rules (SCF-T): the project comes from the org's template, recent enough, kept intact.

Each rule reads the answers record or the pristine render; none renders a
template (that would need copier and be slow).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from fnmatch import fnmatchcase
from pathlib import Path

from scaffold import bounded_reads
from scaffold.check.rules.base import Finding, Rule, Skip, line_of
from scaffold.errors import ScaffoldError
from scaffold.git.objects import blob_id
from scaffold.project.answers import ANSWERS_FILE, RecordedAnswers
from scaffold.project.orgconfig import Policy
from scaffold.render.sources import source_match_key


class RecordedTemplateIsOrgs(Rule):
    """The project records the template it was made from, and it is the org's template.

    `scaffold update`, `scaffold diff` and every other check start from the
    record in .copier-answers.yml: a project without it, or made from another
    template, cannot be kept uniform with the rest of the organisation.

    Fix: Generate the project with `scaffold new` (the org config picks the
    template), or adopt an existing one with `scaffold link`; never delete or
    hand-edit .copier-answers.yml.
    """

    id = "SCF-T001"
    family = "template"
    title = "Project records the org's template"

    def check(
        self, answers: RecordedAnswers | None, policy: Policy, text: Callable[[str], str | None]
    ) -> Finding | None:
        if answers is None:
            return Finding(f"{ANSWERS_FILE} is missing or records no template", ANSWERS_FILE)
        if policy.template_source and not _same_source(answers.source, policy.template_source):
            return Finding(
                f"made from '{answers.source}'; the org's template is '{policy.template_source}'",
                ANSWERS_FILE,
                line_of(text(ANSWERS_FILE), "_src_path:"),
            )
        return None


def _same_source(recorded: str, expected: str) -> bool:
    """Whether two spellings name the same template (compared as trust compares them)."""
    try:
        return source_match_key(recorded) == source_match_key(expected)
    except ScaffoldError:
        return recorded == expected


class TemplateVersionAllowed(Rule):
    """The template version the project was last generated or updated from is not too old.

    Old template versions miss fixes the platform team has shipped since (CI
    steps, base images, security settings). The org policy sets the oldest
    version it still supports.

    Fix: Run `scaffold update` to move the project to the current template
    version, review the changes, and commit them.
    """

    id = "SCF-T002"
    family = "template"
    title = "Template version is not older than the policy allows"

    def check(
        self, answers: RecordedAnswers | None, policy: Policy, text: Callable[[str], str | None]
    ) -> Finding | Skip | None:
        if not policy.min_template_version:
            return Skip("the org policy sets no min_template_version")
        if answers is None:
            return Skip(f"no {ANSWERS_FILE} (see SCF-T001)")
        from packaging.version import InvalidVersion, Version

        where = line_of(text(ANSWERS_FILE), "_commit:")
        try:
            too_old = Version(str(answers.version)) < Version(policy.min_template_version)
        except InvalidVersion:
            return Finding(
                f"template version '{answers.version}' is not a release version; "
                f"the policy needs {policy.min_template_version} or newer",
                ANSWERS_FILE,
                where,
            )
        if too_old:
            return Finding(
                f"template version {answers.version} is older than the policy's minimum "
                f"{policy.min_template_version}",
                ANSWERS_FILE,
                where,
            )
        return None


class LockedFilesUnedited(Rule):
    """Template-managed files the org locks are exactly as the template rendered them.

    Some files (CI workflows, pre-commit hooks) carry the organisation's
    conventions; a local edit silently drops a required step and blocks
    template updates. They are compared with the pristine render that
    `scaffold new` stores on the git ref `refs/scaffold/pristine`.

    Fix: Restore the file from the template render (`git diff
    refs/scaffold/pristine -- FILE` shows your change) and propose the change
    to the template instead; or opt out with a reason in `[tool.scaffold.ignore]`.
    """

    id = "SCF-T003"
    family = "template"
    title = "Locked template files are unedited"

    def check(
        self, project: Path, locked_pristine: dict[str, str] | str, policy: Policy
    ) -> Iterator[Finding] | Skip:
        if not policy.locked_files:
            return Skip("the org policy locks no files")
        if isinstance(locked_pristine, str):
            return Skip(f"cannot compare with the pristine render: {locked_pristine}")
        return self._edited(project, locked_pristine, policy.locked_files)

    @staticmethod
    def _edited(
        project: Path, pristine: dict[str, str], globs: tuple[str, ...]
    ) -> Iterator[Finding]:
        for path, pristine_id in sorted(pristine.items()):
            if not any(fnmatchcase(path, pattern) for pattern in globs):
                continue
            try:
                current = bounded_reads.read_bytes(
                    project / path, limit=bounded_reads.PROJECT_FILE_LIMIT
                )
            except FileNotFoundError:
                yield Finding("locked template file was deleted", path)
                continue
            except OSError as error:
                yield Finding(f"locked template file {error.strerror}", path)
                continue
            current_id = blob_id(current)
            if current_id != pristine_id:
                yield Finding("locked template file differs from the template's render", path)


class LockedAnswersKept(Rule):
    """The project's recorded answers keep the values the org config locks.

    Locked answers (licence, CI provider, monitoring…) are organisation
    decisions; `scaffold new` applies them, and this rule catches projects
    made before the lock or edited afterwards.

    Fix: Run `scaffold update --data KEY=VALUE` with the locked value so the
    project is re-rendered with it, then commit the result.
    """

    id = "SCF-T004"
    family = "template"
    title = "Locked answers keep the org's values"

    def check(
        self, answers: RecordedAnswers | None, policy: Policy, text: Callable[[str], str | None]
    ) -> Iterator[Finding] | Skip:
        if not policy.locked_answers:
            return Skip("the org config locks no answers")
        if answers is None:
            return Skip(f"no {ANSWERS_FILE} (see SCF-T001)")
        return (
            Finding(
                f"answer '{key}' is '{answers.answers.get(key)}'; the org locks it to '{value}'",
                ANSWERS_FILE,
                line_of(text(ANSWERS_FILE), f"{key}:"),
            )
            for key, value in policy.locked_answers.items()
            if str(answers.answers.get(key)).lower() != str(value).lower()
        )


RULES = (RecordedTemplateIsOrgs, TemplateVersionAllowed, LockedFilesUnedited, LockedAnswersKept)
