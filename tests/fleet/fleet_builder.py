"""Build a test fleet: a tiny versioned copier template and bare git remotes made from it.

Plain git and three renders (one per template version); every project is a
mirror of one of them, with user edits pushed on top where asked. The hostile
and broken members are built here too, so tests name them by role.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from scaffold.commands.new import new_project
from scaffold.project.orgconfig import OrgConfig
from tests.helpers import build_file_tree, commit_all, git

VERSIONS = ("1.0.0", "2.0.0", "3.0.0")
HOSTILE_MARKER = "fleet-hostile-ran"
RUNNER_SECRET = "-----BEGIN OPENSSH PRIVATE KEY----- runner key"


def template_files(version: str) -> dict[str, str]:
    """The template at `version`: README and settings change with every version."""
    number = VERSIONS.index(version) + 1
    return {
        "copier.yml": "name:\n  type: str\n  default: demo\n_answers_file: .copier-answers.yml\n",
        "{{ _copier_conf.answers_file }}.jinja": "{{ _copier_answers|to_nice_yaml -}}\n",
        "README.md.jinja": "# {{ name }}\n\n"
        + "".join(f"line {n}\n" for n in range(1, 11))
        + f"template release {version}\n",
        "settings.cfg": f"[tool]\nkey = {number}\nother = 1\n",
        f"docs/added-in-{number}.md": f"added in {version}\n",
    }


def make_template(root: Path) -> Path:
    """A git copier template tagged 1.0.0, 2.0.0 and 3.0.0."""
    for version in VERSIONS:
        for old in root.glob("docs/*.md"):
            old.unlink()
        build_file_tree(root, template_files(version))
        commit_all(root, f"release {version}", tag=version)
    return root


@dataclass
class Fleet:
    """The built fleet: where everything is and what each member is meant to be."""

    root: Path
    template: Path
    remotes: dict[str, Path] = field(default_factory=dict)  # name -> bare repository
    version_of: dict[str, str] = field(default_factory=dict)
    conflicted: set[str] = field(default_factory=set)
    edited: set[str] = field(default_factory=set)
    unreachable: str = "gone"
    not_a_project: str = "plain-repo"
    hostile: str = "hostile"
    exfiltrator: str = "exfiltrator"  # names a folder of the runner as its template

    @property
    def org(self) -> OrgConfig:
        """The org config of the fleet: its template is the tiny local one."""
        return OrgConfig(template_source=str(self.template))

    @property
    def org_file(self) -> Path:
        path = self.root / "org.yaml"
        path.write_text(f"template:\n  source: {self.template}\n")
        return path

    @property
    def fleet_file(self) -> Path:
        return self.root / "fleet.txt"

    def outdated(self) -> set[str]:
        return {name for name, version in self.version_of.items() if version != VERSIONS[-1]}


def push_edit(remote: Path, scratch: Path, files: dict[str, str | bytes], message: str) -> None:
    """Commit `files` on the remote's main branch through a throwaway clone."""
    work = scratch / f"edit-{remote.name}"
    git(scratch, "clone", "-q", str(remote), str(work))
    build_file_tree(work, files)
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", message)
    git(work, "push", "-q", "origin", "HEAD:main")
    shutil.rmtree(work)


def build_fleet(root: Path, size: int = 50) -> Fleet:
    """`size` members: current, outdated, edited, conflicted, plus the broken four."""
    root.mkdir(parents=True, exist_ok=True)
    template = make_template(root / "template")
    fleet = Fleet(root, template)
    seeds = {}
    for version in VERSIONS:
        seed = root / "seeds" / version
        new_project(seed, template=str(template), vcs_ref=version, data=["name=fleet member"])
        seeds[version] = seed
    remotes = root / "remotes"
    scratch = root / "scratch"
    scratch.mkdir()
    for index in range(size - 4):
        name = f"project-{index:02d}"
        version = VERSIONS[index % 3]
        remote = remotes / f"{name}.git"
        git(root, "clone", "-q", "--mirror", str(seeds[version]), str(remote))
        fleet.remotes[name], fleet.version_of[name] = remote, version
        if version != VERSIONS[-1] and index % 4 == 1:  # a user edit the update keeps
            readme = (seeds[version] / "README.md").read_text().replace("line 3", "line 3 (ours)")
            push_edit(remote, scratch, {"README.md": readme}, "user edit")
            fleet.edited.add(name)
        elif version != VERSIONS[-1] and index % 4 == 3:  # an edit the template also changes
            settings = (seeds[version] / "settings.cfg").read_text().replace("key =", "key = 99 #")
            push_edit(remote, scratch, {"settings.cfg": settings}, "conflicting edit")
            fleet.conflicted.add(name)
    plain = remotes / f"{fleet.not_a_project}.git"
    seed = build_file_tree(scratch / "plain", {"README.md": "not from a template\n"})
    commit_all(seed, "plain")
    git(root, "clone", "-q", "--bare", str(seed), str(plain))
    fleet.remotes[fleet.not_a_project] = plain
    hostile = remotes / f"{fleet.hostile}.git"
    seed = build_file_tree(
        scratch / "hostile",
        {
            ".copier-answers.yml": f"_src_path: --upload-pack=touch {root / HOSTILE_MARKER};x.git\n"
            "_commit: 1.0.0\nname: hostile\n",
            "README.md": "hostile\n",
        },
    )
    (seed / "escape").symlink_to(root)  # a folder symlink pointing out of the repository
    commit_all(seed, "hostile")
    git(root, "clone", "-q", "--bare", str(seed), str(hostile))
    fleet.remotes[fleet.hostile] = hostile
    secrets = build_file_tree(root / "runner-secrets", {"id_ed25519": RUNNER_SECRET + "\n"})
    exfiltrator = remotes / f"{fleet.exfiltrator}.git"
    seed = build_file_tree(
        scratch / "exfiltrator",
        {".copier-answers.yml": f"_src_path: {secrets}\n_commit: null\n", "README.md": "x\n"},
    )
    commit_all(seed, "exfiltrate")
    git(root, "clone", "-q", "--bare", str(seed), str(exfiltrator))
    fleet.remotes[fleet.exfiltrator] = exfiltrator
    lines = [f"# test fleet ({size} entries), paths relative to this file"]
    lines += [f"{path.relative_to(root)}  # {name}" for name, path in fleet.remotes.items()]
    lines.append(f"remotes/{fleet.unreachable}.git")
    fleet.fleet_file.write_text("\n".join(lines) + "\n")
    shutil.rmtree(scratch)
    return fleet


def copy_fleet(fleet: Fleet, destination: Path) -> Fleet:
    """A copy of `fleet` whose remotes a test may change (the template stays shared)."""
    shutil.copytree(fleet.root / "remotes", destination / "remotes", symlinks=True)
    shutil.copy2(fleet.fleet_file, destination / "fleet.txt")
    remotes = {
        name: destination / path.relative_to(fleet.root) for name, path in fleet.remotes.items()
    }
    return Fleet(
        destination, fleet.template, remotes, dict(fleet.version_of), set(fleet.conflicted),
        set(fleet.edited),
    )  # fmt: skip


def remote_refs(fleet: Fleet) -> dict[str, dict[str, str]]:
    """Every ref of every remote: name -> {ref: commit}."""
    refs = {}
    for name, remote in fleet.remotes.items():
        listing = subprocess.run(
            ["git", "for-each-ref", "--format=%(refname) %(objectname)"],
            cwd=remote, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        refs[name] = dict(line.split() for line in listing.splitlines())
    return refs
