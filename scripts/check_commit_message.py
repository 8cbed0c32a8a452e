"""commit-msg hook: a subject of at most 72 characters, then a blank line and a body saying why.

Usage (pre-commit passes the message file): python scripts/check_commit_message.py FILE
"""

from __future__ import annotations

import sys
from pathlib import Path

SUBJECT_MAX = 72


def problems(message: str) -> list[str]:
    """What is wrong with a commit message (comment lines ignored), empty when it is fine."""
    lines = [line for line in message.splitlines() if not line.startswith("#")]
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines or not lines[0].strip():
        return ["the subject line is empty"]
    found = []
    if len(lines[0]) > SUBJECT_MAX:
        found.append(f"the subject has {len(lines[0])} characters (at most {SUBJECT_MAX})")
    if len(lines) < 3 or lines[1].strip() or not any(line.strip() for line in lines[2:]):
        found.append("add a blank line and a body that says why")
    return found


def main() -> int:
    """Exit 1 and say why when the message breaks the rules."""
    found = problems(Path(sys.argv[1]).read_text(encoding="utf-8"))
    for problem in found:
        print(f"commit message: {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
