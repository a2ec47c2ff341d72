"""Hygiene rules (SCF-H): no secrets, large files, data or absolute local paths committed.

"Committed" means in the git index (read directly from .git/index); a folder
without git is scanned whole. Files are read once, binary files skipped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate

from scaffold.check.rules.base import Finding, Rule
from scaffold.project.orgconfig import Policy

SCANNED_MAX_BYTES = 512 * 1024
SECRET_PATTERNS = (
    ("private key", re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP )?PRIVATE KEY")),
    ("AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("GitHub token", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b")),
    ("GitLab token", re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}\b")),
    ("Slack token", re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}\b")),
    (
        "hard-coded credential",
        # A key naming a credential (DB_PASSWORD, SECRET_KEY, aws_secret_access_key, api-key)
        # assigned a literal: quoted, or a bare token of 8+ characters. `$VAR`, `${{ secrets.X }}`
        # and code such as `os.environ["X"]` are references, not secrets.
        re.compile(
            r"""(?i:\b[\w.-]*(?:password|passwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token)"""
            r"""[\w.-]*)\s*[:=]\s*(?:["'][^"'\s$]{8,}["']|[A-Za-z0-9+/=_!@#%^&*-]{8,}(?=\s|$))"""
        ),
    ),
)
# Hints found before the patterns run: every pattern match holds one of them on its line
# (CREDENTIAL_HINTS in the lowercased line), so only the lines holding a hint are matched. Each
# hint starts with a literal, which the regex engine finds far faster than `str.find` does.
SECRET_HINTS = tuple(
    re.compile(hint) for hint in ("PRIVATE KEY", "A[KS]IA", "gh[pousr]_", "glpat-", "xox")
)
CREDENTIAL_HINTS = tuple(
    re.compile(hint)
    for hint in ("passw", "secret", "api[_-]?key", "access[_-]?token", "auth[_-]?token")
)
PATH_HINTS = tuple(
    re.compile(re.escape(hint))
    for hint in ("/home/", "/Users/", "/root/", "/mnt/", "/media/", ":\\", "file:///")
)
SECRET_FILE_NAMES = re.compile(r"(?:^|/)(?:\.env(?:\.[\w-]+)?|id_rsa|id_ed25519|id_ecdsa)$")
SECRET_FILE_SUFFIXES = (".pem", ".key", ".p12", ".pfx")
ALLOWED_ENV_EXAMPLES = (".env.example", ".env.sample", ".env.template")
ARTEFACT_SUFFIXES = (".joblib", ".pkl", ".pickle", ".pt", ".pth", ".onnx", ".h5", ".safetensors")
DATA_SUFFIXES = (".csv", ".tsv", ".parquet", ".feather", ".arrow", ".npy", ".npz", ".jsonl")
DATA_FOLDERS = ("data/", "models/")
HARMLESS_IN_DATA_FOLDERS = (".gitignore", ".gitkeep", "README.md", ".dvc")
CONFIG_SUFFIXES = (".yaml", ".yml", ".toml", ".cfg", ".ini", ".json", ".env")
CONFIG_NAMES = ("Makefile", ".dvc/config")
ABSOLUTE_PATH = re.compile(
    r"""(?:^|[\s"'=:(,\[])((?:/home|/Users|/root|/mnt|/media)/[\w.-]+|[A-Za-z]:\\[\w.\\ -]+|file:///[\w/.-]+)"""
)
DVC_ABSOLUTE_URL = re.compile(r"^\s*url\s*=\s*/")


def _scanned_texts(
    files: dict[str, int], text: Callable[[str], str | None]
) -> Iterator[tuple[str, str]]:
    for path, size in sorted(files.items()):
        if size <= SCANNED_MAX_BYTES:
            content = text(path)
            if content is not None and "\0" not in content[:1024]:
                yield path, content


def lines_with_hints(
    content: str, hints: Sequence[re.Pattern[str]], lowercase_hints: Sequence[re.Pattern[str]] = ()
) -> list[tuple[int, str]]:
    """(1-based number, text) of every line where one of `hints` matches (or one of
    `lowercase_hints` matches the lowercased line), in order.

    The hints are searched in the whole text, so a file without any costs a few fast
    scans; only the lines holding a hint are worth the slower patterns.
    """
    numbers: set[int] = set()
    for searched, patterns in (
        (content, hints),
        (content.lower() if lowercase_hints else "", lowercase_hints),
    ):
        starts: list[int] | None = None
        for pattern in patterns:
            for match in pattern.finditer(searched):
                starts = starts or _line_starts(searched)
                numbers.add(bisect_right(starts, match.start()))
    if not numbers:
        return []
    lines = content.splitlines()
    return [(number, lines[number - 1]) for number in sorted(numbers)]


def _line_starts(text: str) -> list[int]:
    """The offset where each line of `text` starts (lines as `str.splitlines` splits them)."""
    return [0, *accumulate(len(line) for line in text.splitlines(keepends=True))][:-1] or [0]


class NoSecretsCommitted(Rule):
    """No secrets are committed: no private keys, tokens, credentials or .env files.

    Anything committed is in every clone and in the history forever;
    a leaked key must be revoked, not just deleted.

    Fix: Revoke the secret, remove it from the file (and from history), and
    read it from an environment variable or the CI's secret store instead.
    """

    id = "SCF-H001"
    family = "hygiene"
    title = "No secrets committed"

    def check(self, files: dict[str, int], text: Callable[[str], str | None]) -> Iterator[Finding]:
        for path in sorted(files):
            if path.endswith(ALLOWED_ENV_EXAMPLES):
                continue
            if SECRET_FILE_NAMES.search(path) or path.endswith(SECRET_FILE_SUFFIXES):
                yield Finding("a secret file is committed", path)
        for path, content in _scanned_texts(files, text):
            for number, line in lines_with_hints(content, SECRET_HINTS, CREDENTIAL_HINTS):
                for kind, pattern in SECRET_PATTERNS:
                    if pattern.search(line):
                        yield Finding(
                            f"looks like {'an' if kind[0] in 'aeiouAEIOU' else 'a'} {kind}",
                            path,
                            number,
                        )
                        break


class NoLargeFilesCommitted(Rule):
    """No committed file is larger than the policy's limit (`policy.max_file_size_kb`, 1 MB).

    Large files make every clone and CI run slow and cannot be removed from
    history without rewriting it; data and models belong in DVC.

    Fix: Remove the file from git (`git rm --cached FILE`), track it with
    `dvc add FILE` and push it to the DVC remote.
    """

    id = "SCF-H002"
    family = "hygiene"
    title = "No large files committed"

    def check(self, files: dict[str, int], policy: Policy) -> Iterator[Finding]:
        limit = policy.max_file_size_kb * 1024
        for path, size in sorted(files.items()):
            if size > limit:
                yield Finding(
                    f"{size // 1024} KB is over the {policy.max_file_size_kb} KB limit", path
                )


class NoDataOrModelsCommitted(Rule):
    """Datasets and trained models are versioned with DVC, not committed to git.

    Git keeps every version of a binary forever; DVC keeps a small pointer in
    git and the content in the remote storage, so data and models stay
    reproducible without bloating the repository.

    Fix: `git rm --cached` the file, then `dvc add` it (or make it an `outs`
    of a pipeline stage) and `dvc push`.
    """

    id = "SCF-H003"
    family = "hygiene"
    title = "No data or model files committed"

    def check(self, files: dict[str, int]) -> Iterator[Finding]:
        for path in sorted(files):
            name = path.rpartition("/")[2]
            in_data_folder = path.startswith(DATA_FOLDERS) and not name.endswith(
                HARMLESS_IN_DATA_FOLDERS
            )
            if path.endswith(ARTEFACT_SUFFIXES):
                yield Finding("a model file is committed", path)
            elif in_data_folder or (path.endswith(DATA_SUFFIXES) and path.startswith("data")):
                yield Finding("a data file is committed", path)


class NoAbsoluteLocalPaths(Rule):
    """Configuration files hold no absolute local paths (/home/…, /Users/…, C:\\…).

    A path that exists only on one machine breaks the project on every other
    machine and in CI, and leaks user names.

    Fix: Use a path relative to the project root (or to .dvc/ for a local
    DVC remote), or read the location from an environment variable.
    """

    id = "SCF-H004"
    family = "hygiene"
    title = "No absolute local paths in config"

    def check(self, files: dict[str, int], text: Callable[[str], str | None]) -> Iterator[Finding]:
        configs = {p: s for p, s in files.items() if p.endswith(CONFIG_SUFFIXES + CONFIG_NAMES)}
        for path, content in _scanned_texts(configs, text):
            lines = (
                enumerate(content.splitlines(), start=1)
                if path == ".dvc/config"
                else lines_with_hints(content, PATH_HINTS)
            )
            for number, line in lines:
                match = ABSOLUTE_PATH.search(line)
                if match:
                    yield Finding(f"absolute local path '{match.group(1)}'", path, number)
                elif path == ".dvc/config" and DVC_ABSOLUTE_URL.search(line):
                    yield Finding("the DVC remote url is an absolute path", path, number)


RULES = (NoSecretsCommitted, NoLargeFilesCommitted, NoDataOrModelsCommitted, NoAbsoluteLocalPaths)
