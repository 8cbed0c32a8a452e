"""The use cases of the hostile-input property tests (issue 16) and how one call is judged.

The use cases come from the code: every function in the `__all__` of each package of
`o365portal.services`, so a new one is covered (or the test fails) without anyone listing it.
Two rules skip some, each with its reason, and every parameter of every other one must have a
strategy (tests/services/hostile_values.py) or the test fails:

- no free input: every parameter is set by the portal itself (`NOT_INPUT`: the clock, the
  Partner Center client seam, a job's timing, a mail's secret source, the approval flow's own
  flags) or is the acting principal. Pure readers such as `list_price_lists` and the jobs.
- only produced values: the free parameters are all values a service returned earlier
  (`PRODUCED`: a billing report, subscription rows, Partner Center customers), so there is
  nothing a person types. Where a use case takes a produced value beside free input
  (`export_report`), the produced one is a real value of the test's world.

A call is judged by `verdict`: it succeeded, or it raised the project's one error tree
(`o365portal.services.errors.ServiceError`) with a message a person can read (not empty, no
traceback, no repr of an internal object) and, for `InvalidInput`, a message per field that
names one of the use case's own fields; anything else is a crash. `Snapshot` is every row of
every table of the (test's own, fresh) database, to see that a refused call stored nothing.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import SQLModel, select

import o365portal.services as services
from o365portal.db.engine import session_scope
from o365portal.services.errors import InvalidInput, ServiceError

NOT_INPUT = {
    "pc": "the Partner Center client (the services' seam)",
    "progress": "the caller's progress callback",
    "stale_after": "a job's own timing",
    "wait": "a job's own timing",
    "every": "a job's own timing",
    "now": "the clock",
    "today": "the clock",
    "started": "the clock",
    "approved": "set by the approval flow once the broker approved",
    "then": "set by the approval flow once the broker approved",
    "source": "a mail's secret source, written by the portal itself",
    "account_id": "a mail's recipient, written by the portal itself",
    "field_name": "the caller's own name for the field",
}
# What the portal passes for a parameter it sets itself and that has no default.
OWN_VALUES = {"field_name": "first_month"}
PRODUCED = {
    "reports": "billing reports a service returned",
    "rows": "subscription rows a service returned",
    "lines": "the table's lines `subscriptions.arrange_rows` returned for those rows",
    "customers": "Partner Center customers the client returned",
}
ACTOR = "actor"

# Tables a refusal may write, by use case, because the refusal itself is what they record.
RECORDS_OF_REFUSAL = {
    "accounts.sign_in": {"portal_account", "sign_in_failure"},
}

_INTERNALS = re.compile(
    r"Traceback \(most recent|<[\w.]+ object at 0x|\w+Error\(|sqlalchemy|psycopg|"
    r"\bFile \"|Decimal\('|datetime\.date\(|\[SQL:",
)


@dataclass(frozen=True)
class UseCase:
    """One exported function of a service package."""

    package: str
    name: str
    function: Callable[..., Any]

    def __str__(self) -> str:
        return f"{self.package}.{self.name}"

    @property
    def parameters(self) -> dict[str, inspect.Parameter]:
        return dict(inspect.signature(self.function).parameters)

    @property
    def hints(self) -> dict[str, Any]:
        """Each parameter's type hint, evaluated where it can be (None where not)."""
        found: dict[str, Any] = {}
        for name, parameter in self.parameters.items():
            try:
                found[name] = eval(parameter.annotation, self.function.__globals__)
            except Exception:
                found[name] = None
        return found

    @property
    def free(self) -> list[str]:
        """The parameters a person (or a forged request) sets."""
        return [n for n in self.parameters if n != ACTOR and n not in NOT_INPUT]

    @property
    def takes_actor(self) -> bool:
        return ACTOR in self.parameters

    @property
    def skip_rule(self) -> str | None:
        """The rule that leaves this use case out, or None."""
        if not self.free:
            return "no free input"
        if all(n in PRODUCED for n in self.free):
            return "only produced values"
        return None


def use_cases() -> list[UseCase]:
    """Every function exported by a package of o365portal.services."""
    found = []
    for module in pkgutil.iter_modules(services.__path__):
        if not module.ispkg:
            continue
        package = importlib.import_module(f"{services.__name__}.{module.name}")
        for name in package.__all__:
            value = getattr(package, name)
            if inspect.isfunction(value):
                found.append(UseCase(module.name, name, value))
    return found


_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")


def real_field(case: UseCase, name: str) -> bool:
    """A field error names a field the screen can highlight: a parameter of the use case or a
    field of its form (a short snake_case name), never an echo of a key someone made up."""
    return name in case.parameters or bool(_FIELD_NAME.fullmatch(name))


def verdict(case: UseCase, kwargs: dict[str, Any], error: BaseException | None) -> str | None:
    """None when the call succeeded or was refused clearly; otherwise what was wrong."""
    if error is None:
        return None
    message = str(error)
    if not isinstance(error, ServiceError):
        return f"crashed with {type(error).__name__}: {message[:200]}"
    if not message.strip():
        return f"{type(error).__name__} with an empty message"
    if _INTERNALS.search(message):
        return f"{type(error).__name__} shows internals: {message[:200]}"
    if isinstance(error, InvalidInput):
        unknown = [k for k in error.field_errors if not real_field(case, k)]
        empty = [k for k, v in error.field_errors.items() if not str(v).strip()]
        bad = [v for v in error.field_errors.values() if _INTERNALS.search(str(v))]
        if unknown or empty or bad or not error.field_errors:
            return f"InvalidInput names no real field or says nothing: {error.field_errors}"[:300]
    return None


@dataclass(frozen=True)
class Snapshot:
    """A digest of every row of every table."""

    tables: dict[str, tuple[int, str]]

    @classmethod
    def take(cls) -> Snapshot:
        tables = {}
        with session_scope() as session:
            connection = session.connection()
            for table in SQLModel.metadata.sorted_tables:
                rows = connection.execute(select(table).order_by(*table.primary_key)).all()
                digest = hashlib.sha256(repr(rows).encode()).hexdigest()
                tables[table.name] = (len(rows), digest)
        return cls(tables)

    def changed(self, other: Snapshot) -> set[str]:
        """The tables whose rows differ."""
        return {name for name, value in self.tables.items() if other.tables.get(name) != value}


def shown(kwargs: dict[str, Any]) -> str:
    """The arguments of a call, short enough to read in a failure list."""

    def one(value: Any) -> str:
        text = repr(value)
        return text if len(text) <= 60 else f"{text[:45]}...({len(text)} chars)"

    return ", ".join(f"{k}={one(v)}" for k, v in kwargs.items() if k != ACTOR)


@dataclass
class Tally:
    """What the property tests did."""

    tried: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # per use case
    succeeded: int = 0
    refused: dict[str, int] = field(default_factory=dict)
    crashes: list[str] = field(default_factory=list)
    half_stored: list[str] = field(default_factory=list)

    def record(self, where: str, kwargs: dict[str, Any], error: BaseException | None) -> None:
        self.tried += 1
        if error is None:
            self.succeeded += 1
        elif isinstance(error, ServiceError):
            name = type(error).__name__
            self.refused[name] = self.refused.get(name, 0) + 1

    def problems(self) -> Iterator[str]:
        yield from dict.fromkeys(self.crashes)
        yield from dict.fromkeys(self.half_stored)
