"""The commit-msg hook's rules (scripts/check_commit_message.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_PATH = Path(__file__).resolve().parents[2] / "scripts" / "check_commit_message.py"
_SPEC = importlib.util.spec_from_file_location("check_commit_message", _PATH)
assert _SPEC and _SPEC.loader
hook = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(hook)


def test_a_short_subject_with_a_body_passes() -> None:
    assert hook.problems("Fix the drawer\n\nIt stopped short of the panel.\n# comment\n") == []


def test_a_long_subject_is_refused() -> None:
    assert any("73 characters" in p for p in hook.problems("x" * 73 + "\n\nwhy\n"))


def test_a_message_without_a_body_is_refused() -> None:
    assert hook.problems("Fix the drawer\n") == ["add a blank line and a body that says why"]
    assert hook.problems("Fix the drawer\nno blank line\n") != []


def test_an_empty_message_is_refused() -> None:
    assert hook.problems("# only a comment\n\n") == ["the subject line is empty"]
