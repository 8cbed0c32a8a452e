"""Audit records and `subscription-updated` webhooks of commerce changes (reference §9).

`create_order` records carry `OrderId, AlternateId, BillingCycle` and per line i
`OfferId-i, SubscriptionId-i, SubscriptionName-i, Quantity-i, PartnerOnRecord-i`;
`update_subscription` records carry `SubscriptionId, OfferId, SubscriptionName, Quantity,
Status, PartnerOnRecord, ActionTaken` (the keys of Microsoft's samples, reference §9.1).
"""

from __future__ import annotations

from typing import Any

from o365portal.sandbox.core.audit import record_audit
from o365portal.sandbox.core.identity import Caller
from o365portal.sandbox.core.rows import AuditRecordRow, OrderRow, StoredCaller
from o365portal.sandbox.core.state import SandboxState
from o365portal.sandbox.core.webhooks import notify


def caller_of(record: OrderRow) -> Caller:
    """The caller stored with an order by `remember_caller`."""
    who = record["_sandbox"]["caller"]
    return Caller(who["clientId"], who["appOnly"], who.get("userPrincipalName"))


def remember_caller(who: Caller) -> StoredCaller:
    """A JSON-able form of a caller, for work finished later by a time processor."""
    return {
        "clientId": who.client_id,
        "appOnly": who.app_only,
        "userPrincipalName": who.user_principal_name,
    }


def _order_data(order: OrderRow) -> dict[str, str]:
    data = {
        "OrderId": order["id"],
        "AlternateId": order["alternateId"],
        "BillingCycle": order["billingCycle"],
    }
    for line in order["lineItems"]:
        index = line["lineItemNumber"]
        data |= {
            f"OfferId-{index}": line["offerId"],
            f"SubscriptionId-{index}": line.get("subscriptionId", ""),
            f"SubscriptionName-{index}": line["friendlyName"],
            f"Quantity-{index}": str(line["quantity"]),
            f"PartnerOnRecord-{index}": "None",
        }
    return data


def order_created(state: SandboxState, who: Caller, order: OrderRow) -> AuditRecordRow:
    """Audit a completed order (`create_order`, resource type `order`)."""
    public = {key: value for key, value in order.items() if not key.startswith("_")}
    return record_audit(
        state,
        who,
        operation_type="create_order",
        resource_type="order",
        customer_id=order["referenceCustomerId"],
        new=public,
        customized_data=_order_data(order),
    )


def subscription_changed(
    state: SandboxState,
    who: Caller | None,
    old: dict[str, Any] | None,
    new: dict[str, Any],
    customer_id: str,
) -> str | None:
    """Audit (when a caller made it) and announce one subscription change; the audit id."""
    audit_id = None
    if who is not None:
        record = record_audit(
            state,
            who,
            operation_type="update_subscription",
            resource_type="subscription",
            customer_id=customer_id,
            old=old,
            new=new,
            customized_data={
                "SubscriptionId": new["id"],
                "OfferId": new["offerId"],
                "SubscriptionName": new["friendlyName"],
                "Quantity": str(new["quantity"]),
                "Status": new["status"],
                "PartnerOnRecord": "None",
                "ActionTaken": "None",
            },
        )
        audit_id = record["id"]
    announce(state, customer_id, new["id"], audit_id)
    return audit_id


def announce(
    state: SandboxState, customer_id: str, subscription_id: str, audit_id: str | None
) -> None:
    """Send the `subscription-updated` webhook for one subscription."""
    notify(
        state,
        "subscription-updated",
        f"/webhooks/v1/customers/{customer_id}/subscriptions/{subscription_id}",
        "subscription",
        audit_id,
    )
