"""Print the README's two commands (install and demo; the tests), one per line, exactly as written.

`.ci/run` and tests/test_fresh_install.py run what this prints, so CI types what a user types.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_commands(text: str) -> list[str]:
    section = text.split("## The two commands", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", section, re.DOTALL)
    if len(commands) != 2 or any("\n" in c for c in commands):
        raise SystemExit("README: 'The two commands' must hold exactly two one-line sh blocks")
    return commands


if __name__ == "__main__":
    commands = readme_commands(README.read_text(encoding="utf-8"))
    print(commands[int(sys.argv[1]) - 1] if len(sys.argv) > 1 else "\n".join(commands))
