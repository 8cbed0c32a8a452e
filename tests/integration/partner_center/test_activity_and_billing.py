"""Audit records, webhooks, invoices and reconciliation lines against the sandbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from o365portal.partner_center import PartnerCenterClient
from o365portal.sandbox.core.server import SandboxInfo
from tests.integration.partner_center.builders import (
    buy,
    create_customer,
    new_customer_request,
    unique_domain,
)
from tests.integration.partner_center.conftest import SandboxControl


def sandbox_today(sandbox: SandboxInfo) -> datetime:
    return sandbox.state.now().astimezone(UTC)


async def test_audit_records_of_a_window_are_read_across_pages(
    pc: PartnerCenterClient, sandbox: SandboxInfo
) -> None:
    created = [await pc.customers.create(new_customer_request(unique_domain())) for _ in range(5)]
    today = sandbox_today(sandbox).date()
    records = [r async for r in pc.audit.iterate(today - timedelta(days=1), today, size=2)]
    added = [r for r in records if r.operation_type == "add_customer"]
    assert {r.customer_id for r in added} == {c.id for c in created}
    assert all(r.operation_date and r.operation_date.tzinfo is UTC for r in records)
    one_customer = created[0].id
    assert one_customer
    mine = [r async for r in pc.audit.iterate(today, today, customer_id=one_customer)]
    assert mine and {r.customer_id for r in mine} == {one_customer}


async def test_subscription_changes_are_audited_with_old_and_new_values(
    pc: PartnerCenterClient, control: SandboxControl, sandbox: SandboxInfo
) -> None:
    customer = await create_customer(pc)
    assert customer.id
    subscription = await buy(pc, control, customer.id, quantity=3)
    await pc.subscriptions.set_quantity(customer.id, subscription.id, 4)
    today = sandbox_today(sandbox).date()
    updates = [
        r
        async for r in pc.audit.iterate(
            today - timedelta(days=1), today, resource_type="subscription"
        )
        if r.operation_type == "update_subscription"
    ]
    assert updates
    last = updates[-1]
    assert last.old_value()["Quantity"] == 3 and last.new_value()["Quantity"] == 4


async def test_the_webhook_is_registered_replaced_and_validated(pc: PartnerCenterClient) -> None:
    names = await pc.webhooks.event_names()
    assert "subscription-updated" in names and "test-created" in names
    registered = await pc.webhooks.register("https://portal.example/api/pc", ["test-created"])
    assert registered.webhook_url == "https://portal.example/api/pc"
    again = await pc.webhooks.register(
        "https://portal.example/api/pc2", ["test-created", "subscription-updated"]
    )
    assert again.webhook_events == ["test-created", "subscription-updated"]
    assert (await pc.webhooks.get()).webhook_url == "https://portal.example/api/pc2"
    correlation_id = await pc.webhooks.send_validation_event()
    status = await pc.webhooks.validation_event(correlation_id)
    assert status.correlation_id == correlation_id


async def test_unbilled_reconciliation_lines_are_read_across_pages(
    pc: PartnerCenterClient, control: SandboxControl
) -> None:
    customer = await create_customer(pc)
    assert customer.id
    bought = [await buy(pc, control, customer.id, quantity=n) for n in (2, 3, 4)]
    lines = [line async for line in pc.billing.unbilled_line_items("USD", size=1)]
    new_lines = [line for line in lines if line.charge_type == "new"]
    assert {line.subscription_id for line in new_lines} == {s.id for s in bought}
    assert sorted(line.quantity or 0 for line in new_lines) == [2, 3, 4]
    assert all(line.unit_price is not None and line.unit_price > 0 for line in new_lines)


async def test_a_month_later_the_invoice_and_its_billed_lines_are_available(
    pc: PartnerCenterClient, control: SandboxControl
) -> None:
    customer = await create_customer(pc)
    assert customer.id
    subscription = await buy(pc, control, customer.id, quantity=2)
    control.advance("P45D")
    invoices = [invoice async for invoice in pc.billing.invoices(size=1)]
    assert invoices
    invoice = await pc.billing.invoice(invoices[0].id)
    assert invoice.total_charges is not None and invoice.currency_code == "USD"
    billed = [line async for line in pc.billing.billed_line_items(invoice.id, size=1)]
    assert any(line.subscription_id == subscription.id for line in billed)
    assert all(line.invoice_number == invoice.id for line in billed)
