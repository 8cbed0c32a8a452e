"""Add subscription: the form's choices, the live price, and placing the order.

`place_order()` validates everything first (tenant, billing cycle allowed by the broker, product
in the catalog, quantity within the item's range, a go-live date from today to a year ahead, a
price in force; the field rules live in services/ordering_rules.py), makes sure the customer
accepted the Microsoft Customer Agreement (recording the acceptance the form carries, else asking
for it; `tenant_agreements`), and then does exactly one of three things: a go-live date after
today stores a scheduled order; a customer's order when the broker requires approvals stores an
approval request; anything else is ordered in Partner Center at once and recorded with its seat
lot and history as `provisioning`, without waiting for Microsoft (the `order-provisioning` job
turns it active). A failure leaves nothing behind and says why, at the field when a field is to
blame.
"""

from __future__ import annotations

from functools import partial

from sqlmodel import Session, col, select

from o365portal.db.engine import session_scope
from o365portal.db.enums import AllowedBillingCycles, ChangeOrigin, TenantStatus
from o365portal.db.tables.broker import BROKER_SETTINGS_ID, BrokerSettings
from o365portal.db.tables.catalog import CatalogItem
from o365portal.db.tables.tenants import Tenant
from o365portal.partner_center import PartnerCenterClient
from o365portal.services import clock
from o365portal.services.errors import InvalidInput, NoTenant, NotForSale, NotFound
from o365portal.services.ordering import _approvals as approvals
from o365portal.services.ordering import _scheduling as scheduling
from o365portal.services.ordering._input import (
    CatalogChoice,
    InTransaction,
    OrderInput,
    OrderOptions,
    OrderOutcome,
    PreparedOrder,
    cycle_label,
    seats_label,
)
from o365portal.services.ordering._partner_center import cart_line
from o365portal.services.ordering._price_words import QuoteView, quote_view
from o365portal.services.ordering._provisioning import order_now
from o365portal.services.ordering._records import Purchase
from o365portal.services.ordering._rules import (
    addon_error,
    catalog_row,
    go_live_error,
    quantity_error,
)
from o365portal.services.partner_center import partner_center
from o365portal.services.pricing import _quote as pricing
from o365portal.services.principal import Principal
from o365portal.services.tenants import _agreements as tenant_agreements
from o365portal.services.validation import parse_input

_ALLOWED = {
    AllowedBillingCycles.BOTH: ("monthly", "annual"),
    AllowedBillingCycles.MONTHLY: ("monthly",),
    AllowedBillingCycles.ANNUAL: ("annual",),
}


def _settings(session: Session) -> BrokerSettings:
    return session.get(BrokerSettings, BROKER_SETTINGS_ID) or BrokerSettings(
        broker_name="", currency="USD"
    )


def allowed_cycles(session: Session) -> tuple[str, ...]:
    """The billing cycles the broker offers (Settings)."""
    return _ALLOWED[AllowedBillingCycles(_settings(session).allowed_billing_cycles)]


def approvals_required(session: Session) -> bool:
    """Whether customers' orders wait for the broker (Settings)."""
    return _settings(session).approvals_required


def _check_organization(actor: Principal, organization_id: int) -> None:
    if not actor.may_see_organization(organization_id):
        raise NotFound("organization")


def order_options(*, actor: Principal, organization_id: int) -> OrderOptions:
    """The products the form may offer: base items in the allowed billing cycles."""
    _check_organization(actor, organization_id)
    with session_scope() as session:
        cycles = allowed_cycles(session)
        rows = session.exec(
            select(CatalogItem)
            .where(col(CatalogItem.is_addon).is_(False))
            .order_by(col(CatalogItem.category), col(CatalogItem.title), col(CatalogItem.term))
        ).all()
        choices = [CatalogChoice.of(r) for r in rows if r.billing_cycle.lower() in cycles]
        ready = _has_tenant(session, organization_id)
        return OrderOptions(list(cycles), choices, approvals_required(session), ready)


def quote_order(
    *, actor: Principal, organization_id: int, item: str, quantity: int | str
) -> QuoteView:
    """Today's price of the form's product and quantity, in words (a BrokerQuoteView with cost
    and margin for brokers only).

    The quantity is checked as it is typed: a whole number within the item's range, else
    InvalidInput at `quantity` saying why.
    """
    data = parse_input(OrderInput, {"item": item, "quantity": quantity})
    with session_scope() as session:
        row = catalog_row(session, data.ref)
        message = quantity_error(row, data.quantity) if row is not None else None
    if message:
        raise InvalidInput({"quantity": message})
    quote = pricing.quote(
        actor=actor,
        organization_id=organization_id,
        item=data.ref,
        quantity=data.quantity,
        on=clock.today(),
    )
    return quote_view(quote)


def _tenant(session: Session, organization_id: int) -> Tenant:
    tenant = session.exec(
        select(Tenant)
        .where(Tenant.organization_id == organization_id)
        .where(Tenant.status == TenantStatus.ACTIVE)
    ).first()
    if tenant is None or tenant.customer_id is None:
        raise NoTenant()
    return tenant


def _has_tenant(session: Session, organization_id: int) -> bool:
    try:
        _tenant(session, organization_id)
    except NoTenant:
        return False
    return True


def _item_errors(session: Session, data: OrderInput, row: CatalogItem | None) -> dict[str, str]:
    cycles = allowed_cycles(session)
    if row is None:
        return {"item": "This product is not in the catalog; choose another one."}
    if row.billing_cycle.lower() not in cycles:
        offered = " or ".join(cycle_label(c).lower() for c in cycles)
        return {
            "billing_cycle": f"Billing {cycle_label(row.billing_cycle).lower()} is not "
            f"offered; choose {offered}."
        }
    message = quantity_error(row, data.quantity)
    return {"quantity": message} if message else {}


def _date_errors(data: OrderInput) -> dict[str, str]:
    message = go_live_error(data.go_live_date, clock.today())
    return {"go_live_date": message} if message else {}


def prepare_order(
    *, actor: Principal, organization_id: int, form: dict[str, object]
) -> PreparedOrder:
    """Validate an order completely (no Partner Center call); raise InvalidInput or NoTenant."""
    _check_organization(actor, organization_id)
    data = parse_input(OrderInput, dict(form))
    with session_scope() as session:
        tenant = _tenant(session, organization_id)
        row = catalog_row(session, data.ref)
        base_name, addon = (
            addon_error(session, tenant.id or 0, row, data.base_subscription_id)
            if row
            else ("", None)
        )
        errors = ({"item": addon} if addon else {}) | _item_errors(session, data, row)
        errors |= _date_errors(data)
        if errors or row is None:
            raise InvalidInput(errors)
        title = row.title
    try:
        quote = pricing.quote(
            actor=actor,
            organization_id=organization_id,
            item=data.ref,
            quantity=data.quantity,
            on=data.go_live_date or clock.today(),
        )
    except NotForSale:
        raise InvalidInput({"item": "This product has no price yet; ask your broker."}) from None
    assert tenant.id is not None and tenant.customer_id is not None
    return PreparedOrder(
        data, organization_id, tenant.id, tenant.customer_id, title, quote, base_name
    )


def _needs_approval(actor: Principal) -> bool:
    with session_scope() as session:
        return not actor.is_broker and approvals_required(session)


async def place_order(
    *,
    actor: Principal,
    organization_id: int,
    form: dict[str, object],
    pc: PartnerCenterClient | None = None,
) -> OrderOutcome:
    """Order a new subscription now, on a future date, or as a request for the broker; a
    customer that has not accepted the Microsoft Customer Agreement accepts it first."""
    order = prepare_order(actor=actor, organization_id=organization_id, form=form)
    await tenant_agreements.require_accepted(
        actor=actor, organization_id=organization_id, form=form, pc=pc
    )
    if _needs_approval(actor):
        return approvals.request_order(actor=actor, order=order)
    return await execute_order(order=order, actor=actor, pc=pc)


async def execute_order(
    *,
    order: PreparedOrder,
    actor: Principal,
    pc: PartnerCenterClient | None = None,
    note: str = "",
    also: InTransaction | None = None,
) -> OrderOutcome:
    """Schedule a future-dated order, or place it now and record it while Microsoft provisions;
    `also` runs in the transaction that stores it (after the cart exists, before checkout)."""
    go_live = order.data.go_live_date
    if go_live is not None and go_live > clock.today():
        return scheduling.schedule_order(order=order, actor=actor, also=also)
    line = cart_line(order.data.ref, order.data.quantity, order.friendly_name)
    purchase = purchase_of(order, actor, note)
    name, seats = order.friendly_name, seats_label(order.data.quantity)
    ordered = f"{name} ({seats}) is ordered: waiting for Microsoft to provision it."
    recording = None if also is None else partial(_with_message, also, ordered)
    if pc is None:
        async with partner_center() as client:
            placed = await order_now(client, order.customer_id, line, purchase, recording)
    else:
        placed = await order_now(pc, order.customer_id, line, purchase, recording)
    if placed.confirmed:
        message = ordered
    else:
        message = (
            f"{name} ({seats}) is recorded, but Partner Center has not confirmed the "
            "order yet; the portal keeps trying: waiting for Microsoft."
        )
    return OrderOutcome("placed", message, placed.subscription_id)


def _with_message(also: InTransaction, message: str, session: Session) -> None:
    also(session, message)


def purchase_of(order: PreparedOrder, actor: Principal, note: str) -> Purchase:
    """The portal's side of a purchase of `order`."""
    return Purchase(
        tenant_id=order.tenant_id,
        ref=order.data.ref,
        friendly_name=order.friendly_name,
        po_number=order.data.po_number or None,
        quantity=order.data.quantity,
        actor_account_id=actor.account_id or None,
        origin=ChangeOrigin.PORTAL,
        unit_price=order.quote.unit_price,
        currency=order.quote.currency,
        note=note,
        base_subscription_id=order.data.base_subscription_id,
    )
