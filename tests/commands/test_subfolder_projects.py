"""Projects in a subfolder of a git repository (monorepos): new, update, diff, status, link, check.

Each subproject keeps its own pristine ref; commands run from inside a
subproject touch only that folder, and uncommitted work elsewhere in the
repository does not block them.
"""

from __future__ import annotations

from pathlib import Path

import copier
import pytest

from scaffold.check.facts import ProjectFiles
from scaffold.check.rules.template import LockedFilesUnedited
from scaffold.check.runner import check_project
from scaffold.commands.diff import project_diff
from scaffold.commands.link import link_project
from scaffold.commands.new import new_project
from scaffold.commands.status import project_statuses
from scaffold.commands.update import DirtyTreeError, update_project
from scaffold.errors import DestinationError
from scaffold.git.repository import PRISTINE_REF, pristine_ref
from scaffold.project.orgconfig import Policy
from tests.helpers import build_file_tree, commit_all, git, run_scaffold, tree_contents


@pytest.fixture
def monorepo(tmp_path: Path) -> Path:
    """A repository with a file of its own at the top and a commit."""
    repo = build_file_tree(tmp_path / "mono", {"README.md": "monorepo\n", "tools/x.sh": "echo\n"})
    commit_all(repo, "monorepo")
    return repo


@pytest.fixture
def two_subprojects(monorepo: Path, git_template: Path) -> tuple[Path, Path]:
    """services/a and services/b, both made from git_template v1.0.0 inside the monorepo."""
    first = monorepo / "services" / "a"
    second = monorepo / "services" / "b"
    new_project(first, template=str(git_template), vcs_ref="v1.0.0", data=["name=alpha"])
    new_project(second, template=str(git_template), vcs_ref="v1.0.0", data=["name=beta"])
    return first, second


def refs(repo: Path) -> dict[str, str]:
    listed = git(repo, "for-each-ref", "--format=%(refname) %(objectname)", "refs/scaffold")
    return dict(line.split() for line in listed.splitlines())


def test_new_in_a_repository_subfolder_commits_only_that_folder_without_nested_repository(
    monorepo: Path, git_template: Path
) -> None:
    build_file_tree(monorepo, {"staged.txt": "staged, not to be committed\n"})
    git(monorepo, "add", "staged.txt")
    created = new_project(monorepo / "services" / "a", template=str(git_template))
    assert not (monorepo / "services" / "a" / ".git").exists()
    committed = git(monorepo, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(committed) == [
        "services/a/.copier-answers.yml",
        "services/a/README.md",
        "services/a/src/demo.py",
    ]
    assert created.commit == git(monorepo, "rev-parse", "HEAD").strip()
    assert git(monorepo, "diff", "--cached", "--name-only").split() == ["staged.txt"]
    assert git(monorepo, "log", "--format=%s").count("\n") == 2  # no history rewritten


def test_subprojects_keep_separate_pristine_refs_holding_only_their_own_files(
    monorepo: Path, two_subprojects: tuple[Path, Path]
) -> None:
    found = refs(monorepo)
    first_ref, second_ref = pristine_ref("services/a"), pristine_ref("services/b")
    assert set(found) == {first_ref, second_ref}  # the top's default ref stays free
    assert PRISTINE_REF not in found
    listed = git(monorepo, "ls-tree", "-r", "--name-only", first_ref).split()
    assert sorted(listed) == [".copier-answers.yml", "README.md", "src/alpha.py"]
    assert git(monorepo, "show", f"{second_ref}:src/beta.py") == 'NAME = "beta"\n'


def test_update_from_inside_a_subproject_touches_only_that_subproject(
    monorepo: Path, two_subprojects: tuple[Path, Path]
) -> None:
    first, second = two_subprojects
    readme = first / "README.md"
    readme.write_text("# alpha, edited\nflavour: plain\n")
    commit_all(monorepo, "edit alpha")
    second_before = tree_contents(second)
    top_before = (monorepo / "README.md").read_bytes()
    second_ref_before = refs(monorepo)[pristine_ref("services/b")]
    build_file_tree(second, {"wip.txt": "uncommitted work in another subproject\n"})

    result = update_project(first / "src")  # from a folder inside the subproject

    assert result.project == first.resolve()
    assert result.version_to == "v2.0.0"
    assert readme.read_text() == "# alpha, edited\nflavour: plain\nv2\n"
    assert tree_contents(second) == {
        **second_before,
        "wip.txt": b"uncommitted work in another subproject\n",
    }
    assert (monorepo / "README.md").read_bytes() == top_before
    assert refs(monorepo)[pristine_ref("services/b")] == second_ref_before
    changed = git(monorepo, "status", "--porcelain").splitlines()
    assert sorted(line[3:] for line in changed) == [
        "services/a/.copier-answers.yml",
        "services/a/README.md",
        "services/b/wip.txt",
    ]


def test_update_refuses_uncommitted_changes_inside_the_subproject(
    two_subprojects: tuple[Path, Path],
) -> None:
    first, _ = two_subprojects
    (first / "README.md").write_text("uncommitted\n")
    with pytest.raises(DirtyTreeError, match="uncommitted changes"):
        update_project(first)


def test_diff_and_status_of_a_subproject_see_only_its_own_edits(
    monorepo: Path, two_subprojects: tuple[Path, Path]
) -> None:
    first, second = two_subprojects
    (second / "README.md").write_text("# beta, edited\n")
    build_file_tree(monorepo, {"top-level-notes.txt": "not part of any subproject\n"})
    assert project_diff(first).changed_paths == []
    assert project_diff(second / "src").changed_paths == ["README.md"]
    statuses = project_statuses([first, second])
    assert [(status.version, status.edited) for status in statuses] == [
        ("v1.0.0", False),
        ("v1.0.0", True),
    ]


def test_cli_update_and_diff_run_from_inside_a_subproject(
    monorepo: Path, two_subprojects: tuple[Path, Path]
) -> None:
    first, _ = two_subprojects
    diffed = run_scaffold("diff", cwd=first / "src")
    assert diffed.returncode == 0, diffed.stderr
    assert "No changes" in diffed.stderr
    updated = run_scaffold("update", "--defaults", cwd=first / "src")
    assert updated.returncode == 0, updated.stderr
    assert "v1.0.0 -> v2.0.0" in updated.stdout


def test_check_of_a_subproject_finds_its_pristine_render_and_tracked_files(
    monorepo: Path, two_subprojects: tuple[Path, Path]
) -> None:
    first, _ = two_subprojects
    policy = Policy(locked_files=("README.md",))
    rules = [LockedFilesUnedited()]
    assert check_project(first, rules, policy).results[0].status == "pass"
    (first / "README.md").write_text("edited\n")
    edited = check_project(first, rules, policy).results[0]
    assert edited.status == "fail"
    assert [finding.path for finding in edited.findings] == ["README.md"]
    assert sorted(ProjectFiles(first).files) == [
        ".copier-answers.yml",
        "README.md",
        "src/alpha.py",
    ]


def test_link_adopts_a_copier_project_in_a_subfolder(monorepo: Path, git_template: Path) -> None:
    folder = monorepo / "libs" / "c"
    copier.run_copy(str(git_template), folder, vcs_ref="v1.0.0", defaults=True, quiet=True)
    commit_all(monorepo, "a copier project")
    linked = link_project(folder)
    assert linked.differing_paths == []
    assert git(monorepo, "ls-tree", "-r", "--name-only", pristine_ref("libs/c")).split()
    assert PRISTINE_REF not in refs(monorepo)
    assert update_project(folder).version_to == "v2.0.0"
    assert (folder / "README.md").read_text().endswith("v2\n")


def test_conflict_in_a_subproject_is_recorded_unmerged_at_its_path_in_the_repository(
    monorepo: Path, two_subprojects: tuple[Path, Path]
) -> None:
    first, _ = two_subprojects
    (first / "README.md").write_text("# alpha\nflavour: plain\nmine\n")  # v2 adds "v2" here
    commit_all(monorepo, "edit where the template edits")
    result = update_project(first)
    assert [entry.path for entry in result.conflicts] == ["README.md"]
    status = git(monorepo, "status", "--porcelain").splitlines()
    assert "UU services/a/README.md" in status
    assert not any(line.endswith(" README.md") and "services" not in line for line in status)


def test_new_in_a_folder_the_repository_ignores_is_refused_and_leaves_nothing(
    monorepo: Path, git_template: Path
) -> None:
    build_file_tree(monorepo, {".gitignore": "scratch/\n"})
    commit_all(monorepo, "ignore scratch")
    head = git(monorepo, "rev-parse", "HEAD")
    with pytest.raises(DestinationError, match="is ignored by the git repository") as caught:
        new_project(monorepo / "scratch" / "p", template=str(git_template))
    assert "--no-git" in caught.value.hint
    assert not (monorepo / "scratch" / "p").exists()
    assert git(monorepo, "rev-parse", "HEAD") == head
    assert refs(monorepo) == {}


def test_new_with_no_git_in_a_repository_commits_nothing(
    monorepo: Path, git_template: Path
) -> None:
    head = git(monorepo, "rev-parse", "HEAD")
    new_project(monorepo / "services" / "a", template=str(git_template), use_git=False)
    assert (monorepo / "services" / "a" / "README.md").is_file()
    assert git(monorepo, "rev-parse", "HEAD") == head
    assert refs(monorepo) == {}
