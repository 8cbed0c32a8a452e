"""Reading an amount a person typed, by the decimal and group signs of their number format.

The signs come from the caller (the services take them from CLDR through Babel for the
broker's locale); the rules are the same for every locale:

- Only ASCII digits, the decimal sign (at most once) and the group sign are allowed; no sign,
  exponent or currency. Spaces (normal, no-break, narrow no-break) all count as a space group
  sign, and `'` and `’` as an apostrophe group sign.
- Digits after the decimal sign are never grouped; a decimal sign must be followed by digits.
- Grouping is optional, but when used it must be by threes (`1.234.567`), the first group one to
  three digits not starting with 0.
- A group sign that is a point or a comma, used once with exactly three digits after it and no
  decimal sign (`1.234` under de_DE, `1,234` under en_US), is ambiguous: other number formats
  read it as a decimal amount. It is refused with the two unambiguous ways to write it.
- A point or comma group sign followed by anything but a group of three (`5,76` under en_US)
  is the other formats' decimal sign: refused with the amount written in this format.

Nothing is guessed: text is read exactly one way or refused with a message saying how to write it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from o365portal.domain.errors import AmbiguousAmount, UnreadableAmount

_DIGITS = frozenset("0123456789")
_SPACES = frozenset(" \u00a0\u202f")
_APOSTROPHES = frozenset("'\u2019")
_DECIMAL_LOOKING = frozenset(".,")  # group signs that other formats use as the decimal sign
_SIGNS = frozenset("-\u2212+")


@dataclass(frozen=True)
class NumberSymbols:
    """A number format's decimal sign and group (thousands) sign, e.g. `,` and `.` for de_DE."""

    decimal: str
    group: str

    def __post_init__(self) -> None:
        if len(self.decimal) != 1 or len(self.group) != 1 or self.decimal == self.group:
            raise ValueError("A number format needs two different one-character signs.")

    @property
    def shown_group(self) -> str:
        """The group sign as messages show it (a space group sign as a plain space)."""
        return " " if self.group in _SPACES else self.group

    @property
    def example(self) -> str:
        """1234.56 written in this format, for messages."""
        return f"1{self.shown_group}234{self.decimal}56"


def _canonical(char: str, group: str) -> str:
    if (group in _SPACES and char in _SPACES) or (group in _APOSTROPHES and char in _APOSTROPHES):
        return group
    return char


def _how_to_write(symbols: NumberSymbols) -> str:
    return (
        f"write it with “{symbols.decimal}” as the decimal sign, e.g. {symbols.example} "
        f"or 1234{symbols.decimal}56"
    )


def _check_characters(text: str, symbols: NumberSymbols) -> None:
    if text[0] in _SIGNS:
        raise UnreadableAmount("Enter the amount without a sign.")
    for char in text:
        if char not in _DIGITS and char not in (symbols.decimal, symbols.group):
            raise UnreadableAmount(f"“{text}” is not an amount here: {_how_to_write(symbols)}.")
    if text.count(symbols.decimal) > 1:
        raise UnreadableAmount(
            f"“{text}” has more than one decimal sign “{symbols.decimal}”: "
            f"{_how_to_write(symbols)}."
        )


def _whole_digits(whole: str, text: str, symbols: NumberSymbols, has_decimal: bool) -> str:
    groups = whole.split(symbols.group)
    if len(groups) == 1:
        return whole
    by_threes = (
        1 <= len(groups[0]) <= 3
        and groups[0][0] != "0"
        and all(len(group) == 3 for group in groups[1:])
    )
    looks_decimal = symbols.group in _DECIMAL_LOOKING and len(groups) == 2 and not has_decimal
    if looks_decimal and not by_threes:
        meant = f"{groups[0] or '0'}{symbols.decimal}{groups[1]}"
        raise UnreadableAmount(
            f"“{text}”: the decimal sign here is “{symbols.decimal}”; write {meant}."
        )
    if looks_decimal:
        plain = "".join(groups)
        raise AmbiguousAmount(
            f"“{text}” is ambiguous: write {plain} or {text}{symbols.decimal}00 for the whole "
            f"amount {plain}, or {groups[0]}{symbols.decimal}{groups[1]} for a decimal amount."
        )
    if not by_threes:
        raise UnreadableAmount(
            f"“{text}”: group digits in threes with “{symbols.shown_group}” "
            f"(e.g. {symbols.example}) or leave the grouping out."
        )
    return "".join(groups)


def parse_amount(text: str, symbols: NumberSymbols) -> Decimal:
    """The amount `text` means in the number format `symbols`; UnreadableAmount (or its
    subclass AmbiguousAmount) with a message saying how to write it otherwise."""
    raw = text.strip()
    if not raw:
        raise UnreadableAmount("Enter an amount.")
    typed = "".join(_canonical(char, symbols.group) for char in raw)
    _check_characters(typed, symbols)
    whole, has_decimal, fraction = typed.partition(symbols.decimal)
    if has_decimal and not fraction:
        raise UnreadableAmount(f"“{raw}”: enter digits after the decimal sign, or leave it out.")
    if symbols.group in fraction:
        raise UnreadableAmount(
            f"“{raw}”: digits after the decimal sign are not grouped; {_how_to_write(symbols)}."
        )
    digits = _whole_digits(whole, typed, symbols, bool(has_decimal)) or "0"
    return Decimal(f"{digits}.{fraction}" if fraction else digits)
