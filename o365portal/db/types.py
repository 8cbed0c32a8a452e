"""Column types that keep money exact and datetimes in UTC on SQLite and PostgreSQL alike.

- `Money`: `NUMERIC(18, 4)` on PostgreSQL. SQLite has no exact decimal type (SQLAlchemy would go
  through float and warns about it), so there the value is stored as an integer count of
  1/10,000ths, which keeps it exact and still sorts, compares and sums correctly in SQL.
- `UTCDateTime`: `TIMESTAMP WITH TIME ZONE` on PostgreSQL, ISO text on SQLite. Only aware
  datetimes are accepted; they are stored in UTC and always come back aware in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, Dialect, Numeric
from sqlalchemy.types import TypeDecorator, TypeEngine

MONEY_SCALE = 4
MONEY_PRECISION = 18
_MONEY_QUANTUM = Decimal(1).scaleb(-MONEY_SCALE)
_MONEY_LIMIT = Decimal(10) ** (MONEY_PRECISION - MONEY_SCALE)  # what NUMERIC(18, 4) can hold


def _check_money(value: Decimal | int) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"money must be a Decimal, not {type(value).__name__}")
    exact = Decimal(value)
    if not exact.is_finite() or abs(exact) >= _MONEY_LIMIT:
        raise ValueError(
            f"money out of range for NUMERIC({MONEY_PRECISION}, {MONEY_SCALE}): {value}"
        )
    quantized = exact.quantize(_MONEY_QUANTUM)
    if quantized != exact:
        raise ValueError(f"money has more than {MONEY_SCALE} decimal places: {value}")
    return quantized


class Money(TypeDecorator[Decimal]):
    """An exact amount with 4 decimal places (`NUMERIC(18, 4)`); refuses floats and rounding."""

    impl = Numeric(MONEY_PRECISION, MONEY_SCALE)
    cache_ok = True

    def __repr__(self) -> str:  # how Alembic writes the type into a revision
        return "Money()"

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(MONEY_PRECISION, MONEY_SCALE, asdecimal=True))

    def process_bind_param(self, value: Decimal | int | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        amount = _check_money(value)
        if dialect.name == "sqlite":
            return int(amount.scaleb(MONEY_SCALE))
        return amount

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-MONEY_SCALE)
        return Decimal(value).quantize(_MONEY_QUANTUM)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware instant stored in UTC; naive datetimes are refused."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def __repr__(self) -> str:  # how Alembic writes the type into a revision
        return "UTCDateTime()"

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, not {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime refused (use timezone-aware UTC): {value!r}")
        in_utc = value.astimezone(UTC)
        # SQLite's DATETIME text has no offset; every stored value is UTC by this rule.
        return in_utc.replace(tzinfo=None) if dialect.name == "sqlite" else in_utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
