"""State of the add-subscription page: the choices, the live price, and placing the order.

The price comes from `ordering.quote_order` in words: customers get a `QuoteView`, which has no
cost or margin fields at all, so a customer's state never holds them (brokers get a
`BrokerQuoteView`). Placing awaits Partner Center, so it runs as a background event. While the
customer has not accepted the Microsoft Customer Agreement, the form carries the acceptance
(`AgreementForm`) and the order records it first.
"""

from __future__ import annotations

import reflex as rx

from o365portal.services import clock, ordering
from o365portal.services.errors import InvalidInput, ServiceError
from o365portal.services.ordering import OrderInput, OrderOutcome, cycle_label
from o365portal.services.principal import Principal
from o365portal.services.tenants import ACCEPTANCE_FIELDS
from o365portal.ui import routes
from o365portal.ui.components.forms import errors_not_shown
from o365portal.ui.events import data_event
from o365portal.ui.session import SessionState
from o365portal.ui.tenants.agreement import AgreementForm

_SHOWN = {
    *OrderInput.model_fields,
    "category",
    "billing_cycle",
    "product_group",
    *ACCEPTANCE_FIELDS,
}
_LABELS = {"mca": "Microsoft Customer Agreement"}


def _within(
    choices: list[ordering.CatalogChoice], category: str, cycle: str
) -> list[ordering.CatalogChoice]:
    return [c for c in choices if c.category == category and c.billing_cycle == cycle]


class AddSubscriptionState(AgreementForm, SessionState):
    """The form's choices and values; `quote` has cost and margin only for brokers."""

    org_id: int = 0
    missing: bool = False
    choices: list[ordering.CatalogChoice] = []
    cycles: list[str] = []
    approvals_apply: bool = False
    has_tenant: bool = True
    category: str = ""
    billing_cycle: str = ""
    product_group: str = ""
    item: str = ""
    quantity: str = "1"
    friendly_name: str = ""
    po_number: str = ""
    when: str = "now"
    go_live_date: str = ""
    earliest_date: str = ""
    latest_date: str = ""
    quote: ordering.QuoteView | None = None  # a broker's: BrokerQuoteView
    price_message: str = ""
    errors: dict[str, str] = {}
    show_details: bool = False
    placing: bool = False

    @rx.var
    def categories(self) -> list[str]:
        """Categories of the products the broker offers."""
        return sorted({c.category for c in self.choices})

    @rx.var
    def cycle_options(self) -> list[list[str]]:
        """The allowed billing cycles as [value, label] pairs."""
        return [[cycle, cycle_label(cycle)] for cycle in self.cycles]

    @rx.var
    def groups(self) -> list[str]:
        """Product groups of the chosen category and cycle."""
        return sorted(
            {c.product_group for c in _within(self.choices, self.category, self.billing_cycle)}
        )

    @rx.var
    def products(self) -> list[ordering.CatalogChoice]:
        """The products that follow the three choices."""
        within = _within(self.choices, self.category, self.billing_cycle)
        return [c for c in within if c.product_group == self.product_group]

    @rx.var
    def selected(self) -> ordering.CatalogChoice | None:
        """The chosen product (None when none)."""
        return next((c for c in self.choices if c.key == self.item), None)

    @rx.var
    def other_errors(self) -> list[str]:
        """Messages whose field is not on the form (e.g. the agreement, before it is shown)."""
        return errors_not_shown(self.errors, _SHOWN, _LABELS)

    def _agreement_organization(self) -> int:
        return self.org_id

    @rx.var
    def schedules(self) -> bool:
        """Whether the order waits for its go-live date (a date after today), else is placed now."""
        return self.when == "later" and self.go_live_date != self.earliest_date

    @rx.var
    def list_url(self) -> str:
        """Back to the subscription list."""
        return routes.subscriptions_url(self.org_id)

    @data_event(show_in="missing")
    def load(self, principal: Principal) -> rx.event.EventHandler | None:
        """on_load: the choices the organization may order, first category preselected."""
        self.missing, self.errors, self.quote, self.price_message = False, {}, None, ""
        self.item, self.quantity, self.friendly_name, self.po_number = "", "1", "", ""
        self.when, self.go_live_date, self.placing, self.show_details = "now", "", False, False
        self._forget_agreement()
        self.org_id, self.choices = routes.organization_id(self), []
        options = ordering.order_options(actor=principal, organization_id=self.org_id)
        self.choices = options.choices
        self.cycles = options.billing_cycles
        self.approvals_apply = options.approvals_required and not principal.is_broker
        self.has_tenant = options.has_tenant
        today = clock.today()
        self.earliest_date = today.isoformat()
        self.latest_date = ordering.latest_go_live_date(today).isoformat()
        self.billing_cycle = self.cycles[0] if self.cycles else ""
        self._pick_category(self.categories[0] if self.categories else "")
        return AddSubscriptionState.check_agreement if self.has_tenant else None

    def _pick_category(self, category: str) -> None:
        self.category = category
        self.product_group = self.groups[0] if self.groups else ""
        self.item, self.quote, self.price_message = "", None, ""

    @rx.event
    def set_category(self, value: str) -> None:
        """Choose a category; the product groups and products follow."""
        self._pick_category(value)

    @rx.event
    def set_billing_cycle(self, value: str) -> None:
        """Choose a billing cycle; the products follow."""
        self.billing_cycle = value
        self._pick_category(self.category)

    @rx.event
    def set_product_group(self, value: str) -> None:
        """Choose a product group; the products follow."""
        self.product_group, self.item, self.quote = value, "", None

    @data_event
    def choose(self, principal: Principal, key: str) -> None:
        """Choose a product: the quantity starts at its minimum and the price follows."""
        self.item = key
        chosen = self.selected
        self.quantity = str(chosen.min_quantity) if chosen else "1"
        self.errors = {}
        self._requote(principal)

    @data_event
    def set_quantity(self, principal: Principal, value: str) -> None:
        """Change the quantity; the price follows."""
        self.quantity = value
        self._requote(principal)

    def _field_error(self, name: str, message: str = "") -> None:
        """Set (or, without a message, clear) the message at one field."""
        others = {key: text for key, text in self.errors.items() if key != name}
        self.errors = others | ({name: message} if message else {})

    def _requote(self, principal: Principal) -> None:
        self.quote, self.price_message = None, ""
        self._field_error("quantity")
        if not self.item:
            return
        try:
            quote = ordering.quote_order(
                actor=principal,
                organization_id=self.org_id,
                item=self.item,
                quantity=self.quantity,
            )
        except InvalidInput as invalid:
            if "quantity" in invalid.field_errors:
                self._field_error("quantity", invalid.field_errors["quantity"])
                self.price_message = "The price shows once the quantity is corrected."
            else:
                self.price_message = next(iter(invalid.field_errors.values()))
            return
        except ServiceError:  # any other refusal to quote: the price panel says so
            self.price_message = "This product has no price yet; ask your broker."
            return
        self.quote = quote

    @rx.event
    def set_friendly_name(self, value: str) -> None:
        """Type the friendly name."""
        self.friendly_name = value

    @rx.event
    def set_po_number(self, value: str) -> None:
        """Type the PO number."""
        self.po_number = value

    @rx.event
    def set_when(self, value: str | list[str]) -> None:
        """Provision now or on a date."""
        self.when = value if isinstance(value, str) else value[0]
        if self.when == "now":
            self._field_error("go_live_date")

    @rx.event
    def set_go_live_date(self, value: str) -> None:
        """Pick the provisioning date; a day the order can't have is said at once."""
        self.go_live_date = value
        self._field_error("go_live_date")
        try:
            ordering.check_go_live_date(value=value)
        except InvalidInput as invalid:
            self._field_error("go_live_date", invalid.field_errors["go_live_date"])

    @rx.event
    def toggle_details(self) -> None:
        """Show or hide the item's details."""
        self.show_details = not self.show_details

    def _form(self) -> dict[str, object]:
        return {
            "item": self.item,
            "quantity": self.quantity,
            "friendly_name": self.friendly_name,
            "po_number": self.po_number,
            "go_live_date": self.go_live_date if self.when == "later" else "",
        } | (self._acceptance() if self.mca_needed else {})

    @data_event(background=True)
    async def place(
        self, principal: Principal
    ) -> rx.event.EventSpec | list[rx.event.EventSpec] | None:
        """Validate and order; messages at the fields, Partner Center's answer in a toast."""
        async with self:
            if self.placing:
                return None
            if self.when == "later" and not self.go_live_date:
                self.errors = {"go_live_date": "Choose the provisioning date."}
                return None
            self.placing, self.errors, form, org_id = True, {}, self._form(), self.org_id
        try:
            outcome = await ordering.place_order(actor=principal, organization_id=org_id, form=form)
        except InvalidInput as invalid:
            if "mca" not in invalid.field_errors:
                raise
            async with self:  # Partner Center says the agreement is missing: show its fields
                self.errors = invalid.field_errors
            return AddSubscriptionState.check_agreement
        finally:
            async with self:
                self.placing = False
        return _done(outcome, routes.subscriptions_url(org_id))


def _done(outcome: OrderOutcome, list_url: str) -> list[rx.event.EventSpec]:
    return [rx.toast.success(outcome.message, duration=8000), rx.redirect(list_url)]
