"""The wire models read what Partner Center really sends and write what it expects."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from pydantic import SecretStr

from o365portal.partner_center.models import (
    AuditRecord,
    Collection,
    Customer,
    CustomerUser,
    PasswordProfile,
    ReconLineItem,
    Subscription,
    SubscriptionStatus,
    WebhookEvent,
    parse_json,
)
from o365portal.partner_center.models.subscriptions import ScheduledNextTermInstructions


def test_an_open_enum_ignores_case_and_keeps_values_it_does_not_know() -> None:
    sub = Subscription.model_validate({"id": "s", "status": "Suspended"})
    assert sub.status == SubscriptionStatus.SUSPENDED
    assert sub.status == "SUSPENDED"
    assert str(sub.status) == "suspended"
    assert sub.status.is_known
    odd = Subscription.model_validate({"id": "s", "status": "pendingRenewal"})
    assert odd.status == "pendingrenewal"
    assert str(odd.status) == "pendingRenewal"
    assert not odd.status.is_known


def test_unknown_fields_are_kept_and_sent_back() -> None:
    sub = Subscription.model_validate({"id": "s", "attentionNeeded": False, "newThing": {"a": 1}})
    assert sub.model_extra == {"attentionNeeded": False, "newThing": {"a": 1}}
    assert sub.to_wire()["newThing"] == {"a": 1}


def test_numbers_as_strings_and_money_are_parsed_exactly() -> None:
    page = Collection[ReconLineItem].model_validate(
        {
            "totalCount": "04",
            "items": [{"unitPrice": "16", "quantity": "50", "subtotal": 94.2, "taxTotal": ""}],
        }
    )
    line = page.items[0]
    assert page.total_count == 4
    assert (line.unit_price, line.quantity, line.subtotal) == (Decimal("16"), 50, Decimal("94.2"))
    assert line.tax_total is None


def test_dates_with_seven_fractional_digits_offsets_or_no_zone_become_utc() -> None:
    record = AuditRecord.model_validate(
        {"id": "a", "operationDate": "2018-07-23T17:20:43.3466529Z"}
    )
    assert record.operation_date == datetime(2018, 7, 23, 17, 20, 43, 346652, tzinfo=UTC)
    sub = Subscription.model_validate(
        {
            "id": "s",
            "creationDate": "2018-07-23T10:20:42.81-07:00",
            "effectiveStartDate": "2021-01-14T16:57:14",
        }
    )
    assert sub.creation_date == datetime(2018, 7, 23, 17, 20, 42, 810000, tzinfo=UTC)
    assert sub.effective_start_date is not None and sub.effective_start_date.tzinfo is UTC


def test_a_byte_order_mark_and_pascal_case_are_read() -> None:
    body = (
        '\ufeff{"Id":"C1","CompanyProfile":{"Domain":"x.onmicrosoft.com"},'
        '"Attributes":{"Etag":"e1","ObjectType":"Customer"}}'
    )
    customer = Customer.model_validate(parse_json(body.encode()))
    assert customer.id == "C1"
    assert customer.company_profile is not None
    assert customer.company_profile.domain == "x.onmicrosoft.com"
    assert customer.etag == "e1"


def test_request_bodies_are_camel_case_and_leave_out_what_is_unset() -> None:
    instructions = ScheduledNextTermInstructions.model_validate(
        {
            "product": {"productId": "CFQ7TTC0LH18", "skuId": "0001", "billingCycle": "Annual"},
            "quantity": 3,
        }
    )
    assert instructions.to_wire() == {
        "product": {"productId": "CFQ7TTC0LH18", "skuId": "0001", "billingCycle": "annual"},
        "quantity": 3,
    }
    customer = Customer(enable_gdap_by_default=False)
    assert customer.to_wire() == {"enableGDAPByDefault": False}


def test_passwords_are_hidden_in_repr_but_sent_in_the_body() -> None:
    user = CustomerUser(password_profile=PasswordProfile(password=SecretStr("abCD123*")))
    assert "abCD123*" not in repr(user)
    assert user.to_wire()["passwordProfile"] == {
        "password": "abCD123*",
        "forceChangePassword": True,
    }


def test_webhook_events_are_read_in_pascal_case() -> None:
    event = WebhookEvent.model_validate(
        {
            "EventName": "subscription-updated",
            "ResourceUri": "http://api.partnercenter.microsoft.com/webhooks/v1/customers/c/subscriptions/s",
            "ResourceName": "subscription",
            "AuditUri": None,
            "ResourceChangeUtcDate": "2017-11-16T16:19:06.3520276+00:00",
        }
    )
    assert event.event_name == "subscription-updated"
    assert event.resource_change_utc_date == datetime(2017, 11, 16, 16, 19, 6, 352027, tzinfo=UTC)
