"""A stand-in for `gh` and `glab` (installed on PATH by tests): requests kept in a JSON file.

Understands exactly the calls scaffold/fleet/forge.py makes, logs every
argument list, and fails on anything else, so a changed call shows up.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

FLAGS = ("--yes",)


def main(program: str, args: list[str]) -> int:
    state_path = Path(os.environ["FAKE_FORGE_STATE"])
    state = json.loads(state_path.read_text()) if state_path.is_file() else {"requests": []}
    with Path(os.environ["FAKE_FORGE_LOG"]).open("a") as log:
        log.write(json.dumps([program, *args]) + "\n")
    if args[:2] == ["auth", "setup-git"]:
        return 0
    options, positional = _parse(args[2:])
    verb = (args[0], args[1])
    head = options.get("head") or options.get("source-branch")
    repo = options["repo"]
    if verb in (("pr", "list"), ("mr", "list")):
        found = [
            request
            for request in state["requests"]
            if request["repo"] == repo and request["head"] == head and request["open"]
        ]
        print(json.dumps([_shown(program, request) for request in found]))
    elif verb in (("pr", "create"), ("mr", "create")):
        number = len(state["requests"]) + 1
        body = _body(options)
        url = f"https://forge.example/{repo}/requests/{number}"
        state["requests"].append(
            {"repo": repo, "head": head, "base": options.get("base") or options["target-branch"],
             "title": options["title"], "body": body, "number": number, "url": url, "open": True}
        )  # fmt: skip
        print(url)
    elif verb in (("pr", "edit"), ("mr", "update")):
        request = next(r for r in state["requests"] if str(r["number"]) == positional[0])
        request["title"], request["body"] = options["title"], _body(options)
    else:
        print(f"fake {program}: unexpected call {args}", file=sys.stderr)
        return 3
    state_path.write_text(json.dumps(state))
    return 0


def _parse(args: list[str]) -> tuple[dict[str, str], list[str]]:
    """`--key=value`, `--key value` and bare `--flag` options; the rest are positional."""
    options: dict[str, str] = {}
    positional: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg.startswith("--") and "=" in arg:
            key, value = arg[2:].split("=", 1)
            options[key] = value
        elif arg.startswith("--") and arg not in FLAGS and index + 1 < len(args):
            options[arg[2:]] = args[index + 1]
            index += 1
        elif arg.startswith("--"):
            options[arg[2:]] = ""
        else:
            positional.append(arg)
        index += 1
    return options, positional


def _body(options: dict[str, str]) -> str:
    if "body-file" in options:
        return Path(options["body-file"]).read_text()
    return options["description"]


def _shown(program: str, request: dict) -> dict:
    if program == "gh":
        return {key: request[key] for key in ("number", "url", "title", "body")}
    return {"iid": request["number"], "web_url": request["url"], "title": request["title"],
            "description": request["body"]}  # fmt: skip


def install(bin_folder: Path, program: str) -> Path:
    """Write an executable `program` into `bin_folder` that runs this fake."""
    bin_folder.mkdir(parents=True, exist_ok=True)
    script = bin_folder / program
    script.write_text(
        f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(Path(__file__).parents[2])!r})\n"
        "from tests.fleet.fake_forge import main\n"
        f"sys.exit(main({program!r}, sys.argv[1:]))\n"
    )
    script.chmod(0o755)
    return script


def requests(state_path: Path) -> list[dict]:
    """Every request the fake holds."""
    return json.loads(state_path.read_text())["requests"] if state_path.is_file() else []
