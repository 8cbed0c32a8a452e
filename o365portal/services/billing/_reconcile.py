"""The report's cost side checked against Microsoft's reconciliation line items.

Microsoft bills NCE by calendar month (partner-center-api.md §10.1): a month's lines are
"unbilled" while it is open (`period=current`, and `previous` until its invoice is issued) and
an invoice's billed line items after it closes (§10.3). A report's period may span two calendar
months (a broker's cycle ending on the 15th), so every month it touches is read, and Microsoft's
lines charged in the period are kept: those of the report's organization's tenants (all, for
the broker-wide report, so a subscription bought past the portal shows up as missing on our
side). A subscription Microsoft bills in another currency than the report's (a customer in
another market) is not compared, and the reconciliation says so. Microsoft's unbilled listing is
asked per currency: an open month is read in the report's currency and in every currency
Microsoft has invoiced the partner in.

Lines pair up by subscription id, charge type, charge start and end, quantity and sign (the
refund and the charge of one seat change differ in quantity and sign); each pair must agree to
the cent. What is left over is missing at Microsoft or missing on our side.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlmodel import select

from o365portal.db.engine import session_scope
from o365portal.db.tables.tenants import Tenant
from o365portal.domain.terms import add_months
from o365portal.partner_center import PartnerCenterClient
from o365portal.partner_center.errors import PartnerCenterError
from o365portal.partner_center.models.billing import Invoice, ReconLineItem
from o365portal.services import clock
from o365portal.services.billing._views import (
    BillingReport,
    BrokerBillingReport,
    BrokerLineView,
    Difference,
    Reconciliation,
)
from o365portal.services.errors import NotAllowed, translate
from o365portal.services.partner_center import partner_center
from o365portal.services.principal import Principal

_Key = tuple[str, str, date, date, int, bool]  # subscription, type, start, end, quantity, refund
MATCHES = "matches Microsoft"


def _months(start: date, end: date) -> list[date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


class _Microsoft:
    """Microsoft's recon lines per calendar month, each month read once."""

    def __init__(self, client: PartnerCenterClient, currency: str) -> None:
        self.client, self.currency = client, currency
        self.invoices: list[Invoice] | None = None
        self.read: dict[date, tuple[list[ReconLineItem], list[str]]] = {}

    async def month(self, month: date) -> tuple[list[ReconLineItem], list[str]]:
        if month not in self.read:
            self.read[month] = await self._month(month)
        return self.read[month]

    def _currency(self, code: str | None) -> str:
        return (code or self.currency).upper()

    def _source(self, what: str, currency: str) -> str:
        return what if currency == self.currency else f"{what} ({currency})"

    async def _month(self, month: date) -> tuple[list[ReconLineItem], list[str]]:
        """The month's lines in every currency Microsoft bills the partner in (a customer's
        market may have its own), and where they were read."""
        if self.invoices is None:
            self.invoices = [invoice async for invoice in self.client.billing.invoices()]
        billed = [
            invoice
            for invoice in self.invoices
            if invoice.billing_period_start_date is not None
            and invoice.billing_period_start_date.date().replace(day=1) == month
        ]
        if billed:
            lines = [
                line
                for invoice in billed
                async for line in self.client.billing.billed_line_items(invoice.id)
            ]
            sources = [
                self._source(f"invoice {i.id}", self._currency(i.currency_code)) for i in billed
            ]
            return lines, sources
        today = clock.today().replace(day=1)
        period = {today: "current", add_months(today, -1): "previous"}.get(month)
        if period is None:
            return [], [f"no invoice for {month:%Y-%m}"]
        currencies = {self.currency} | {self._currency(i.currency_code) for i in self.invoices}
        lines, sources = [], []
        for currency in sorted(currencies):
            lines += [
                line
                async for line in self.client.billing.unbilled_line_items(currency, period=period)
            ]
            sources.append(self._source(f"unbilled lines of {month:%Y-%m}", currency))
        return lines, sources


def _customers(organization_id: int | None) -> set[str] | None:
    if organization_id is None:
        return None
    with session_scope() as session:
        ids = session.exec(
            select(Tenant.customer_id).where(Tenant.organization_id == organization_id)
        ).all()
    return {customer.lower() for customer in ids if customer}


def _their_key(line: ReconLineItem) -> _Key | None:
    if not (line.subscription_id and line.charge_start_date and line.charge_end_date):
        return None
    amount = line.subtotal if line.subtotal is not None else Decimal(0)
    return (
        line.subscription_id.lower(),
        line.charge_type or "",
        line.charge_start_date.date(),
        line.charge_end_date.date(),
        int(line.quantity or 0),
        amount < 0,
    )


def _words(kind: str, key: _Key, name: str, ours: Decimal | None, theirs: Decimal | None) -> str:
    _, charge_type, start, end, quantity, _ = key
    what = f"{name}: {charge_type} {start} – {end}, {quantity}"
    mine = "no cost recorded" if ours is None else f"a cost of {ours}"
    if kind == "amount differs":
        return f"{what}: the portal has {mine}, Microsoft billed {theirs}."
    if kind == "missing at Microsoft":
        return f"{what}: the portal has {mine}, Microsoft has no such line."
    return f"{what}: Microsoft billed {theirs}, the portal has no such line."


def _differences(report: BrokerBillingReport, theirs: list[ReconLineItem]) -> list[Difference]:
    ours: dict[_Key, list[tuple[str, Decimal | None]]] = defaultdict(list)
    for sub in report.subscriptions:
        for view in sub.lines:
            cost = view.cost if isinstance(view, BrokerLineView) else None
            key = (
                sub.partner_center_subscription_id.lower(),
                view.microsoft_charge_type,
                view.charge_start,
                view.charge_end,
                view.quantity,
                view.amount < 0,
            )
            ours[key].append((sub.friendly_name, cost))
    found: list[Difference] = []

    def differ(
        kind: str, key: _Key, name: str, mine: Decimal | None, micro: Decimal | None
    ) -> None:
        found.append(
            Difference(
                kind,
                key[0],
                name,
                key[1],
                key[2],
                key[3],
                key[4],
                mine,
                micro,
                _words(kind, key, name, mine, micro),
            )
        )

    for line in theirs:
        theirs_key = _their_key(line)
        if theirs_key is None:
            continue
        if not ours.get(theirs_key):
            name = line.subscription_description or ""
            differ("missing on our side", theirs_key, name, None, line.subtotal)
            continue
        name, mine = ours[theirs_key].pop(0)
        if mine != line.subtotal:
            differ("amount differs", theirs_key, name, mine, line.subtotal)
    for key, left in ours.items():
        for name, mine in left:
            differ("missing at Microsoft", key, name, mine, None)
    return found


async def _check(report: BrokerBillingReport, microsoft: _Microsoft) -> Reconciliation:
    customers = _customers(report.organization_id)
    theirs: list[ReconLineItem] = []
    sources: list[str] = []
    for month in _months(report.period_start, report.period_end):
        lines, read = await microsoft.month(month)
        sources += read
        theirs += [
            line
            for line in lines
            if line.charge_start_date is not None
            and report.period_start <= line.charge_start_date.date() <= report.period_end
            and (customers is None or (line.customer_id or "").lower() in customers)
        ]
    elsewhere = {
        (line.subscription_id or "").lower(): (line.currency or "").upper()
        for line in theirs
        if (line.currency or report.currency).upper() != report.currency
    }
    theirs = [line for line in theirs if (line.subscription_id or "").lower() not in elsewhere]
    differences = tuple(_differences(_without(report, set(elsewhere)), theirs))
    not_compared = _not_compared(report, elsewhere)
    status = _status(len(differences), len(not_compared))
    matches = not differences and not not_compared
    return Reconciliation(matches, status, tuple(sources), differences, len(theirs), not_compared)


def _without(report: BrokerBillingReport, subscription_ids: set[str]) -> BrokerBillingReport:
    kept = tuple(
        sub
        for sub in report.subscriptions
        if sub.partner_center_subscription_id.lower() not in subscription_ids
    )
    return replace(report, subscriptions=kept)


def _not_compared(report: BrokerBillingReport, elsewhere: dict[str, str]) -> tuple[str, ...]:
    names = {
        sub.partner_center_subscription_id.lower(): sub.friendly_name
        for sub in report.subscriptions
    }
    return tuple(
        f"{names.get(subscription_id) or subscription_id}: Microsoft bills it in {currency}, "
        f"the portal's costs are in {report.currency}, so it is not compared."
        for subscription_id, currency in sorted(elsewhere.items())
    )


def _status(differences: int, not_compared: int) -> str:
    if differences == 0:
        status = MATCHES if not_compared == 0 else "no differences"
    elif differences == 1:
        status = "1 difference with Microsoft"
    else:
        status = f"{differences} differences with Microsoft"
    if not_compared:
        status += f"; {not_compared} billed in another currency, not compared"
    return status


async def reconcile(
    *,
    actor: Principal,
    reports: Sequence[BillingReport],
    pc: PartnerCenterClient | None = None,
) -> list[BrokerBillingReport]:
    """The broker's reports with each period's `reconciliation`: "matches Microsoft", or the
    differences line by line. Brokers only (NotAllowed); PartnerCenterFailed when Microsoft
    cannot be read."""
    if not actor.is_broker or not all(isinstance(r, BrokerBillingReport) for r in reports):
        raise NotAllowed()
    broker_reports = [r for r in reports if isinstance(r, BrokerBillingReport)]
    try:
        if pc is not None:
            return await _all(broker_reports, pc)
        async with partner_center() as client:
            return await _all(broker_reports, client)
    except PartnerCenterError as error:
        raise translate(
            error, action="reading the reconciliation lines", unchanged="the report is unchanged"
        ) from error


async def _all(
    reports: list[BrokerBillingReport], client: PartnerCenterClient
) -> list[BrokerBillingReport]:
    readers: dict[str, _Microsoft] = {}
    checked = []
    for report in reports:
        microsoft = readers.setdefault(report.currency, _Microsoft(client, report.currency))
        checked.append(replace(report, reconciliation=await _check(report, microsoft)))
    return checked
