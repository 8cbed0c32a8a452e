"""Run the Partner Center sandbox: `python -m o365portal.sandbox [--port 8443]
[--data-dir var/sandbox] [--host 127.0.0.1]`.

It serves HTTPS with a local CA (DIR/ca.pem), keeps its data in DIR/state.json across
restarts, and writes the connection details for the portal to DIR/sandbox.json.
Keep it on loopback: its `/_sandbox` control API needs no token.
"""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path

from o365portal.sandbox.core.server import serve


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m o365portal.sandbox", description=__doc__)
    parser.add_argument("--port", type=int, default=8443, help="HTTPS port (default 8443)")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path("var/sandbox"),
        help="state, certificates and sandbox.json (default var/sandbox)",
    )
    parser.add_argument("--host", default="127.0.0.1", help="listen address (default 127.0.0.1)")
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C: uvicorn has shut down; no traceback
        serve(args.port, args.data_dir, args.host)


if __name__ == "__main__":
    main()
