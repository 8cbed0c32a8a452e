"""The log search of the browser run (tests/e2e/secrets_in_logs.py) finds a secret wherever it
is in the log and names it by its first characters only."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.secrets_in_logs import leaked


def test_a_secret_anywhere_in_the_log_is_found_and_not_repeated(tmp_path: Path) -> None:
    log = tmp_path / "portal.log"
    log.write_text("INFO started\nERROR payload={'password': 'Xk9-secret-77'} failed\n")
    assert leaked(log, {"Xk9-secret-77", "never-logged"}) == ["Xk9…"]
    assert leaked(log, {"never-logged"}) == []
