"""Invoices and NCE reconciliation line items (reference §10). Amounts are Decimal, whether
they arrive as JSON numbers or as strings."""

from __future__ import annotations

from pydantic import Field

from o365portal.partner_center.models.base import (
    Count,
    ListOf,
    Money,
    Resource,
    UtcDateTime,
    WireModel,
)


class InvoiceDetail(Resource):
    """Which line items (provider and type) an invoice has."""

    invoice_line_item_type: str | None = None
    billing_provider: str | None = None


class Invoice(Resource):
    """A partner invoice."""

    id: str
    invoice_date: UtcDateTime = None
    billing_period_start_date: UtcDateTime = None
    billing_period_end_date: UtcDateTime = None
    total_charges: Money = None
    paid_amount: Money = None
    currency_code: str | None = None
    currency_symbol: str | None = None
    pdf_download_link: str | None = None
    invoice_details: ListOf[InvoiceDetail] = Field(default_factory=list)
    document_type: str | None = None
    invoice_type: str | None = None


class InvoiceSummaryFigures(Resource):
    """Balance and dates of an invoice summary."""

    balance_amount: Money = None
    currency_code: str | None = None
    currency_symbol: str | None = None
    accounting_date: UtcDateTime = None
    first_invoice_creation_date: UtcDateTime = None
    last_payment_date: UtcDateTime = None
    last_payment_amount: Money = None
    latest_invoice_date: UtcDateTime = None


class InvoiceSummaryDetail(WireModel):
    """The summary of one invoice type."""

    invoice_type: str | None = None
    summary: InvoiceSummaryFigures | None = None


class InvoiceSummary(InvoiceSummaryFigures):
    """The partner's invoice summary, with one entry per invoice type."""

    details: ListOf[InvoiceSummaryDetail] = Field(default_factory=list)


class ReconLineItem(Resource):
    """One NCE reconciliation line (billed or unbilled, `OneTimeInvoiceLineItem`)."""

    partner_id: str | None = None
    customer_id: str | None = None
    customer_name: str | None = None
    customer_domain_name: str | None = None
    invoice_number: str | None = None
    order_id: str | None = None
    order_date: UtcDateTime = None
    product_id: str | None = None
    sku_id: str | None = None
    availability_id: str | None = None
    product_name: str | None = None
    sku_name: str | None = None
    charge_type: str | None = None
    unit_price: Money = None
    effective_unit_price: Money = None
    unit_type: str | None = None
    quantity: Count = None
    billable_quantity: Money = None
    subtotal: Money = None
    tax_total: Money = None
    total_for_customer: Money = None
    currency: str | None = None
    subscription_id: str | None = None
    subscription_description: str | None = None
    subscription_start_date: UtcDateTime = None
    subscription_end_date: UtcDateTime = None
    charge_start_date: UtcDateTime = None
    charge_end_date: UtcDateTime = None
    term_and_billing_cycle: str | None = None
    billing_frequency: str | None = None
    reference_id: str | None = None
    alternate_id: str | None = None
