"""Command line for the portal database: `python -m o365portal.db <command>`.

upgrade [REVISION]     migrate DATABASE_URL up to REVISION (default: head)
downgrade REVISION     migrate DATABASE_URL down to REVISION (`base` = empty)
check                  exit 1 unless DATABASE_URL is at head and matches the tables
revision -m MESSAGE    autogenerate a new revision from the tables' changes
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sqlalchemy.engine import make_url

from o365portal.config import get_settings
from o365portal.db import migrate


def main(argv: Sequence[str] | None = None) -> int:
    """Run one database command; return the process exit code."""
    args = _parser().parse_args(argv)
    database_url = get_settings().database_url
    where = make_url(database_url).render_as_string(hide_password=True)
    if args.command == "upgrade":
        migrate.upgrade(database_url, args.revision)
        _say(f"{where} is at revision {migrate.current_revision(database_url)}")
    elif args.command == "downgrade":
        migrate.downgrade(database_url, args.revision)
        _say(f"{where} is at revision {migrate.current_revision(database_url)}")
    elif args.command == "check":
        return _check(database_url, where)
    else:
        path = migrate.new_revision(args.message)
        _say(f"wrote {path}; review it for PostgreSQL" if path else "no changes, nothing written")
    return 0


def _check(database_url: str, where: str) -> int:
    current, head = migrate.current_revision(database_url), migrate.head_revision()
    if current != head:
        _say(f"{where} is at revision {current}, head is {head}: run `upgrade`")
        return 1
    differences = migrate.schema_differences(database_url)
    for difference in differences:
        _say(f"differs from the tables: {difference}")
    return 1 if differences else 0


def _say(message: str) -> None:
    sys.stdout.write(message + "\n")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m o365portal.db", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    upgrade = commands.add_parser("upgrade", help="migrate up (default: to head)")
    upgrade.add_argument("revision", nargs="?", default="head")
    downgrade = commands.add_parser("downgrade", help="migrate down to a revision")
    downgrade.add_argument("revision")
    commands.add_parser("check", help="is the database at head and in sync with the tables?")
    revision = commands.add_parser("revision", help="autogenerate a new revision")
    revision.add_argument("-m", "--message", required=True)
    return parser


if __name__ == "__main__":
    sys.exit(main())
