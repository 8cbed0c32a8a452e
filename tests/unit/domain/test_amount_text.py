"""Typed amounts: read exactly one way by the locale's decimal and group signs, or refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from o365portal.domain.amount_text import NumberSymbols, parse_amount
from o365portal.domain.errors import AmbiguousAmount, UnreadableAmount

FAST = settings(max_examples=200, deadline=None)
EN = NumberSymbols(".", ",")  # en_US
DE = NumberSymbols(",", ".")  # de_DE
FR = NumberSymbols(",", "\u202f")  # fr_FR: narrow no-break space
CH = NumberSymbols(".", "'")  # de_CH
FORMATS = [EN, DE, FR, CH, NumberSymbols(",", "\u00a0")]


@pytest.mark.parametrize(
    ("symbols", "text", "amount"),
    [
        (DE, "5,76", "5.76"),
        (DE, "1.234,50", "1234.50"),
        (DE, "1234,5", "1234.5"),
        (DE, "1.234.567", "1234567"),
        (DE, ",5", "0.5"),
        (EN, "5.76", "5.76"),
        (EN, "1,234.50", "1234.50"),
        (EN, " 12 ", "12"),
        (EN, "1,234,567", "1234567"),
        (FR, "1 234,5", "1234.5"),  # a plain space stands for the narrow no-break space
        (FR, "1\u00a0234,5", "1234.5"),
        (CH, "1’234.50", "1234.50"),  # either apostrophe
        (CH, "1'234", "1234"),  # an apostrophe is never a decimal sign: not ambiguous
    ],
)
def test_amounts_are_read_by_the_locale(symbols: NumberSymbols, text: str, amount: str) -> None:
    assert parse_amount(text, symbols) == Decimal(amount)


@pytest.mark.parametrize(
    ("symbols", "text", "message"),
    [
        (EN, "5,76", "the decimal sign here is “.”; write 5.76."),
        (EN, "0,123", "write 0.123."),
        (DE, "5.76", "the decimal sign here is “,”; write 5,76."),
        (DE, ".5", "write 0,5."),
        (FR, "5.76", "with “,” as the decimal sign, e.g. 1 234,56 or 1234,56."),
        (EN, "1,2,3", "group digits in threes with “,”"),
        (EN, "1,23,456", "group digits in threes"),
        (EN, "1,2345.6", "group digits in threes"),
        (DE, "1,2,3", "more than one decimal sign “,”"),
        (EN, "5.", "enter digits after the decimal sign"),
        (EN, "1.2,3", "digits after the decimal sign are not grouped"),
        (EN, "-5", "without a sign"),
        (EN, "+5", "without a sign"),
        (EN, "", "Enter an amount."),
        (EN, "   ", "Enter an amount."),
        (EN, "1e5", "is not an amount here"),
        (EN, "NaN", "is not an amount here"),
        (EN, "€5", "is not an amount here"),
        (EN, "١٢", "is not an amount here"),  # Arabic-Indic digits are not read as 12
    ],
)
def test_unreadable_text_is_refused_with_how_to_write_it(
    symbols: NumberSymbols, text: str, message: str
) -> None:
    with pytest.raises(UnreadableAmount) as refused:
        parse_amount(text, symbols)
    assert message in str(refused.value)
    assert not isinstance(refused.value, AmbiguousAmount)


@pytest.mark.parametrize(
    ("symbols", "text", "message"),
    [
        (DE, "1.234", "“1.234” is ambiguous: write 1234 or 1.234,00 for the whole amount 1234, "
         "or 1,234 for a decimal amount."),
        (EN, "1,234", "“1,234” is ambiguous: write 1234 or 1,234.00 for the whole amount 1234, "
         "or 1.234 for a decimal amount."),
    ],
)  # fmt: skip
def test_a_single_point_or_comma_group_is_ambiguous(
    symbols: NumberSymbols, text: str, message: str
) -> None:
    with pytest.raises(AmbiguousAmount) as refused:
        parse_amount(text, symbols)
    assert str(refused.value) == message


def test_a_format_needs_two_different_single_signs() -> None:
    for decimal, group in ((".", "."), ("", ","), (",", "..")):
        with pytest.raises(ValueError, match="two different"):
            NumberSymbols(decimal, group)
    assert (DE.example, FR.example) == ("1.234,56", "1 234,56")


def _written(amount: Decimal, symbols: NumberSymbols, grouped: bool) -> str:
    whole, _, fraction = f"{amount:.4f}".partition(".")
    if grouped:
        head = len(whole) % 3 or 3
        whole = symbols.group.join([whole[:head]] + [
            whole[i : i + 3] for i in range(head, len(whole), 3)
        ])  # fmt: skip
    return f"{whole}{symbols.decimal}{fraction.rstrip('0').ljust(2, '0')}"


amounts = st.decimals(min_value=0, max_value=Decimal("9" * 14), places=4)


@FAST
@given(amount=amounts, symbols=st.sampled_from(FORMATS), grouped=st.booleans())
def test_an_amount_written_with_decimals_reads_back_as_itself(
    amount: Decimal, symbols: NumberSymbols, grouped: bool
) -> None:
    assert parse_amount(_written(amount, symbols, grouped), symbols) == amount


@FAST
@given(whole=st.integers(min_value=1, max_value=999), thousandths=st.integers(0, 999))
def test_one_point_or_comma_group_without_decimals_is_never_read(
    whole: int, thousandths: int
) -> None:
    for symbols in (EN, DE):
        with pytest.raises(AmbiguousAmount):
            parse_amount(f"{whole}{symbols.group}{thousandths:03d}", symbols)


@FAST
@given(
    text=st.text(alphabet="0123456789.,' \u00a0-", max_size=12), symbols=st.sampled_from(FORMATS)
)
def test_text_is_read_only_as_its_literal_meaning_or_refused(
    text: str, symbols: NumberSymbols
) -> None:
    """Never 5,76 -> 576: an accepted text means its digits with the decimal sign where it is."""
    try:
        amount = parse_amount(text, symbols)
    except UnreadableAmount:
        return
    literal = "".join(c for c in text.strip() if c in "0123456789" or c == symbols.decimal)
    assert amount == Decimal("0" + literal.replace(symbols.decimal, "."))
