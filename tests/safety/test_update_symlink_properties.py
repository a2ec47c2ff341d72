"""Guarantee 6, by property: whatever the symlinks and ignored files, an update writes only its own.

hypothesis builds template histories (files, executables, folders turning into
files, symlinks pointing inside, outside, into `.git` or through a chain) and a
user's side (edits, deletions, symlinks to outside files and folders or to
`.git/config`, git-ignored files where the new version adds one; sometimes an
older scaffold's pristine render holding the hostile links). After `scaffold
update`: nothing outside the project and nothing of `.git` but git's own
bookkeeping changed, no user file is lost, and a refusal (exit 2) changed nothing.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import commit_all, git
from tests.safety.support import copier_template, invoke, snapshot

PATHS = ("f1", "f2", "d/f3", "d/f4", "d")  # `d` as a file replaces the folder `d/`
LINK_KINDS = ("inside", "inside", "inside", "outside", "absolute", "git", "chain")
USER_ACTIONS = (
    "keep",
    "keep",
    "edit",
    "delete",
    "link-outside-file",
    "link-outside-folder",
    "link-git-config",
    "ignored-file",
)
GIT_BOOKKEEPING = ("objects", "index", "refs", "logs", "packed-refs", "COMMIT_EDITMSG", "ORIG_HEAD")

entries = st.one_of(
    st.tuples(st.just("file"), st.integers(0, 3)),
    st.tuples(st.just("executable"), st.integers(0, 3)),
    st.tuples(st.just("link"), st.sampled_from(LINK_KINDS)),
)
versions = st.dictionaries(st.sampled_from(PATHS), entries, min_size=1, max_size=4)


def link_target(kind: str, path: str, outside: Path) -> str:
    up = "../" * path.count("/")
    return {
        "inside": f"{up}f1" if path != "f1" else "f2",
        "outside": f"{up}../outside/secret.txt",
        "absolute": str(outside / "secret.txt"),
        "git": f"{up}.git/config",
        "chain": f"{up}chain",  # the user's `chain` symlink points outside
    }[kind]


def release(template: Path, version: dict[str, tuple[str, object]], number: int, outside: Path):
    for child in list(template.iterdir()) if template.exists() else []:
        if child.name != ".git":
            _remove(child)
    if "d" in version:
        version = {path: entry for path, entry in version.items() if not path.startswith("d/")}
    copier_template(template, "_preserve_symlinks: true\n")
    for path, (kind, detail) in version.items():
        target = template / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if kind == "link":
            os.symlink(link_target(str(detail), path, outside), target)
        else:
            target.write_text(f"{path} v{number} body {detail}\n")
            if kind == "executable":
                target.chmod(0o755)
    commit_all(template, f"v{number}", tag=f"{number}.0.0")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        for child in path.iterdir():
            _remove(child)
        path.rmdir()
    else:
        path.unlink()


def act(project: Path, path: str, action: str, outside: Path) -> str | None:
    """Do the user's `action` at `path`; return the content a kept user file must still have."""
    target = project / path
    folder = project / "d"
    if path.startswith("d/") and (folder.is_symlink() or folder.is_file()):
        return None
    if action == "edit" and target.is_file() and not target.is_symlink():
        target.write_text(f"user edit of {path}\n")
        return f"user edit of {path}\n"
    if action == "delete" and (target.is_file() or target.is_symlink()):
        target.unlink()
    elif action.startswith("link-") and not target.is_dir():
        if target.exists() or target.is_symlink():
            target.unlink()
        target.parent.mkdir(parents=True, exist_ok=True)
        destination = {
            "link-outside-file": str(outside / "secret.txt"),
            "link-outside-folder": str(outside / "folder"),
            "link-git-config": str(project / ".git" / "config"),
        }[action]
        os.symlink(destination, target)
        return f"-> {destination}"
    elif action == "ignored-file" and not target.exists() and not target.is_symlink():
        if target.parent.exists() and not target.parent.is_dir():
            return None
        target.parent.mkdir(parents=True, exist_ok=True)
        with (project / ".git" / "info" / "exclude").open("a") as exclude:
            exclude.write(f"/{path}\n")
        target.write_text(f"ignored file of the user at {path}\n")
        return f"ignored file of the user at {path}\n"
    return None


def git_state(project: Path) -> dict[str, bytes | str]:
    """`.git` less what git itself rewrites (objects, index, refs, logs)."""
    return {
        path: entry
        for path, entry in snapshot(project / ".git").items()
        if not path.startswith(GIT_BOOKKEEPING)
    }


def holds(project: Path, path: str, expected: str) -> bool:
    target = project / path
    if expected.startswith("-> "):
        return target.is_symlink() and os.readlink(target) == expected[3:]
    return target.is_file() and not target.is_symlink() and expected in target.read_text()


@pytest.mark.slow
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    v1=versions,
    v2=versions,
    actions=st.dictionaries(st.sampled_from(PATHS), st.sampled_from(USER_ACTIONS), max_size=4),
    hostile_base=st.booleans(),
)
def test_update_writes_only_inside_the_project_and_loses_no_user_file(
    v1: dict[str, tuple[str, object]],
    v2: dict[str, tuple[str, object]],
    actions: dict[str, str],
    hostile_base: bool,
) -> None:
    safe_v1 = {path: entry for path, entry in v1.items() if entry[1] not in LINK_KINDS[3:]}
    with tempfile.TemporaryDirectory(prefix="scaffold-fuzz-") as scratch_name:
        scratch = Path(scratch_name)
        outside = scratch / "outside"
        (outside / "folder").mkdir(parents=True)
        (outside / "secret.txt").write_text("outside\n")
        (outside / "folder" / "f3").write_text("outside folder\n")
        template = scratch / "tpl"
        release(template, safe_v1 or {"f1": ("file", 0)}, 1, outside)
        project = scratch / "project"
        created = invoke("new", str(project), "--template", str(template))
        if created.exit_code == 2:  # v1 links in a loop: refused in one line, nothing made
            assert len(created.stderr.splitlines()) == 1 and not project.exists()
            return
        assert created.exit_code == 0, created.stderr
        release(template, v2, 2, outside)

        os.symlink(outside, project / "chain")
        kept = {path: act(project, path, action, outside) for path, action in actions.items()}
        git(project, "add", "-A")
        git(project, "commit", "-q", "--allow-empty", "-m", "user side")
        if hostile_base:  # an older scaffold rendered all this: it is the template's, not yours
            git(project, "update-ref", "refs/scaffold/pristine", "HEAD")
            kept = {path: text for path, text in kept.items() if str(text).startswith("ignored")}

        outside_before, git_before, project_before = (
            snapshot(outside),
            git_state(project),
            snapshot(project),
        )
        result = invoke("update", str(project))

        assert result.exit_code in (0, 1, 2), (result.exit_code, result.output, result.stderr)
        assert "Traceback" not in result.output + result.stderr
        assert snapshot(outside) == outside_before
        assert git_state(project) == git_before
        if result.exit_code == 2:
            assert len(result.stderr.splitlines()) == 1, result.stderr
            after = snapshot(project)
            assert {p: e for p, e in after.items() if not p.startswith(".git/objects")} == {
                p: e for p, e in project_before.items() if not p.startswith(".git/objects")
            }
            return
        for path, expected in kept.items():
            if expected is not None:
                assert holds(project, path, expected), (path, expected, result.output)
