"""Shell commands shown in Markdown: every fenced bash/sh/console/shell block, line by line.

Used by tests/test_documented_commands.py (every command is run or listed with the test that
runs it) and by the generated project's end-to-end test (which runs its README's blocks).
"""

from __future__ import annotations

import re
import shlex

SHELL_BLOCK = re.compile(r"^```(?:bash|sh|console|shell)[ \t]*\n(.*?)^```", re.S | re.M)


def shell_blocks(markdown: str) -> list[str]:
    """The body of every fenced shell block, in order."""
    return [match.group(1) for match in SHELL_BLOCK.finditer(markdown)]


def block_commands(block: str) -> list[str]:
    """The commands of a block: continuation lines joined, `&&` chains split, comments and a
    `$ ` prompt dropped, each normalised to its shell words joined by single spaces."""
    commands = []
    for line in block.replace("\\\n", " ").splitlines():
        words = shlex.split(line.strip().removeprefix("$ "), comments=True)
        command: list[str] = []
        for word in [*words, "&&"]:
            if word == "&&":
                if command:
                    commands.append(shlex.join(command))
                command = []
            else:
                command.append(word)
    return commands
