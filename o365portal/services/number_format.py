"""The broker's number format: how amounts on the price lists are typed, imported and shown.

The broker picks a locale in Settings (`broker_settings.number_locale`, default en_US). Babel
gives that locale's CLDR decimal and group signs, so every offered locale is right without
per-country rules here; amounts are written with those signs, grouped by threes (Babel's own
patterns group de_CH amounts from 10^9 up wrongly, e.g. 1000000'000), and `domain.amount_text`
reads typed text by the same signs and refuses what two formats would read differently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol

from o365portal.domain.amount_text import NumberSymbols, parse_amount

# Locales offered in Settings: each groups by threes, which domain.amount_text reads
# (tests/unit/services/test_number_format.py checks that every one reads its own output back).
LOCALES = (
    "en_US", "en_GB", "en_IE", "de_DE", "de_AT", "de_CH", "fr_FR", "fr_BE", "it_IT", "es_ES",
    "nl_NL", "nl_BE", "pt_PT", "pt_BR", "pl_PL", "sv_SE", "da_DK", "nb_NO", "fi_FI", "cs_CZ",
)  # fmt: skip
EXAMPLE = Decimal("1234.56")
_MAX_WRITTEN = 100_000  # texts kept per number format


@dataclass(frozen=True)
class NumberFormat:
    """One locale's way of writing amounts."""

    locale: str
    symbols: NumberSymbols
    # Texts already written, by (amount, grouped, places): a report writes the same few
    # amounts thousands of times.
    _written: dict[tuple[Decimal, bool, int], str] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    def parse(self, text: str) -> Decimal:
        """The amount typed as `text`; raises domain.errors.UnreadableAmount with a message."""
        return parse_amount(text, self.symbols)

    def format(self, amount: Decimal, *, grouped: bool = True, places: int = 2) -> str:
        """`amount` with at least `places` and up to 4 decimals (exact for stored prices)."""
        key = (amount, grouped, places)
        written = self._written.get(key)
        if written is None:
            if len(self._written) > _MAX_WRITTEN:
                self._written.clear()
            written = self._written[key] = self._write(amount, grouped, places)
        return written

    def _write(self, amount: Decimal, grouped: bool, places: int) -> str:
        text = f"{amount:,.4f}" if grouped else f"{amount:.4f}"
        whole, decimals = text.split(".")
        decimals = decimals.rstrip("0").ljust(places, "0")
        whole = whole.replace(",", self.symbols.group)
        return f"{whole}{self.symbols.decimal}{decimals}" if decimals else whole


@cache
def number_format(locale: str) -> NumberFormat:
    """The number format of a CLDR locale such as `de_DE`."""
    symbols = NumberSymbols(get_decimal_symbol(locale), get_group_symbol(locale))
    return NumberFormat(locale, symbols)


def locale_options() -> list[tuple[str, str]]:
    """(locale, label) pairs for Settings, e.g. ("de_DE", "German (Germany): 1.234,56")."""
    return [
        (
            code,
            f"{Locale.parse(code).get_display_name('en')}: {number_format(code).format(EXAMPLE)}",
        )
        for code in LOCALES
    ]
