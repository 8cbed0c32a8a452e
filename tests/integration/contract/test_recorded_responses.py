"""Every recorded real Partner Center response parses into the client's wire models, quirks
included (byte-order marks, "04" counts, 7-digit fractions, PascalCase audit values)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from o365portal.partner_center.models import (
    AuditRecord,
    Availability,
    Collection,
    CountryValidationRules,
    CustomerUser,
    DirectoryRole,
    Invoice,
    InvoiceSummary,
    License,
    LicenseUpdate,
    Offer,
    OfferCategory,
    Order,
    Product,
    RelationshipRequest,
    Sku,
    SubscribedSku,
    Subscription,
    SubscriptionStatus,
    UserState,
    parse_json,
)
from o365portal.partner_center.paging import link_path
from tests.integration.contract.conftest import response_body, session_exchanges

COVERED_RESPONSES = {
    "GetAuditRecord", "GetCountryValidationRules-DE", "GetCountryValidationRules-GB",
    "GetCountryValidationRules-US", "GetCustomerLicense", "GetCustomerLicenseByGroup",
    "GetCustomerLicenseUser", "GetCustomerSubscription", "GetCustomerUserAll",
    "GetCustomerUserAllDeleted", "GetCustomerUserById", "GetCustomerUserRoleById", "GetInvoice",
    "GetInvoiceById", "GetInvoiceSummary", "GetOfferAddon", "GetProduct",
    "GetProductAvailability", "GetProductAvailabilityById", "GetProductByProductId",
    "GetProductSku", "GetResellerRelationshipLink", "UpdateUserLicense",
}  # fmt: skip
COVERED_SESSIONS = {
    "GetPartnerCountryValidation",
    "GetPartnerOffer",
    "GetPartnerOfferByOfferId",
    "GetPartnerOfferCategory",
}


def test_every_recorded_file_has_a_contract_test(recorded: Path) -> None:
    assert {p.stem for p in (recorded / "responses").glob("*.json")} == COVERED_RESPONSES
    assert {p.stem for p in (recorded / "sessions").glob("*.json")} == COVERED_SESSIONS


def test_audit_records_parse_with_their_pascal_case_resource_values(recorded: Path) -> None:
    page = Collection[AuditRecord].model_validate(response_body(recorded, "GetAuditRecord"))
    assert page.total_count == 2  # the recording says 2 and holds 3: trust the items
    assert [r.operation_type for r in page.items] == [
        "create_order",
        "create_order",
        "update_subscription",
    ]
    order_record, _, update = page.items
    assert order_record.operation_date == datetime(2018, 7, 23, 17, 20, 43, 346652, tzinfo=UTC)
    order = Order.model_validate(order_record.new_value())
    assert order.id == "6cd23b3f-453c-4d55-881e-eeadf793b9ab"
    assert order.line_items[0].subscription_id == "85AD7186-42E3-42A0-BA53-10EF49115C7B"
    assert order.creation_date == datetime(2018, 7, 23, 17, 20, 42, 810000, tzinfo=UTC)
    assert order.etag is not None
    assert order_record.data["Quantity-0"] == "1"
    assert order_record.data["PartnerOnRecord-0"] is None
    before = Subscription.model_validate(update.old_value())
    after = Subscription.model_validate(update.new_value())
    assert before.id == after.id == "58968085-83C6-49C1-B91A-7CFA117DF168"
    assert update.data["Status"] == "Active"


def test_country_rules_of_us_gb_and_de(recorded: Path) -> None:
    us = CountryValidationRules.model_validate(
        response_body(recorded, "GetCountryValidationRules-US")
    )
    assert us.is_state_required and "WA" in us.supported_states_list
    assert us.postal_code_regex == r"^\d{5}(-\d{4})?$"
    gb = CountryValidationRules.model_validate(
        response_body(recorded, "GetCountryValidationRules-GB")
    )
    assert (gb.iso2_code, gb.is_state_required, gb.country_calling_codes_list) == (
        "GB",
        False,
        ["44"],
    )
    de = CountryValidationRules.model_validate(
        response_body(recorded, "GetCountryValidationRules-DE")
    )
    assert de.vat_id_regex == r"^DE[\d]{9,9}$" and de.supported_languages_list == ["en", "de"]


def test_subscribed_skus_count_seats_and_tolerate_a_string_total(recorded: Path) -> None:
    skus = Collection[SubscribedSku].model_validate(response_body(recorded, "GetCustomerLicense"))
    ems = skus.items[0]
    assert (ems.product_sku.sku_part_number, ems.active_units, ems.consumed_units) == ("EMS", 5, 1)
    assert ems.available_units == ems.total_units - ems.consumed_units  # type: ignore[operator]
    assert len(ems.service_plans) == 5
    grouped = Collection[SubscribedSku].model_validate(
        response_body(recorded, "GetCustomerLicenseByGroup")
    )
    assert grouped.total_count == 4 == len(grouped.items)
    assert {s.product_sku.license_group_id for s in grouped.items} == {"group1", "group2"}


def test_user_licences_and_a_licence_update(recorded: Path) -> None:
    licences = Collection[License].model_validate(response_body(recorded, "GetCustomerLicenseUser"))
    assert licences.items[0].product_sku.id == "efccb6f7-5641-4e0e-bd10-b4976e1bf68e"
    assert {p.capability_status for p in licences.items[0].service_plans} == {"Assigned"}
    update = LicenseUpdate.model_validate(response_body(recorded, "UpdateUserLicense"))
    assert [a.sku_id for a in update.licenses_to_assign] == ["f8a1db68-be16-40ed-86d5-cb42ce701560"]
    assert update.license_warnings == []


def test_legacy_subscriptions_including_a_suspended_one(recorded: Path) -> None:
    page = Collection[Subscription].model_validate(
        response_body(recorded, "GetCustomerSubscription")
    )
    azure, essentials = page.items
    assert azure.offer_id == "MS-AZR-0145P" and azure.status == SubscriptionStatus.ACTIVE
    assert azure.commitment_end_date == datetime(9999, 12, 14, tzinfo=UTC)
    assert essentials.status == SubscriptionStatus.SUSPENDED
    assert essentials.suspension_reasons == ["CustomerCancellation"]
    assert essentials.etag == "removed"
    assert essentials.model_extra is not None and "attentionNeeded" in essentials.model_extra


def test_customer_users_active_deleted_and_by_id(recorded: Path) -> None:
    users = Collection[CustomerUser].model_validate(response_body(recorded, "GetCustomerUserAll"))
    assert [u.user_principal_name for u in users.items][1] == (
        "admin@dtdemocspcustomer005.onmicrosoft.com"
    )
    assert users.items[0].usage_location == "US" and users.items[1].usage_location is None
    deleted = Collection[CustomerUser].model_validate(
        response_body(recorded, "GetCustomerUserAllDeleted")
    )
    gone = deleted.items[0]
    assert gone.state == UserState.INACTIVE
    assert gone.soft_deletion_time == datetime(2017, 1, 20, 0, 33, 34, tzinfo=UTC)
    assert deleted.links is not None
    assert link_path(deleted.links["self"].uri or "").startswith(
        "/v1/customers/46a62ece-10ad-42e5-b3f1-b2ed53e6fc08/users?size=500&filter="
    )
    one = CustomerUser.model_validate(response_body(recorded, "GetCustomerUserById"))
    assert (one.display_name, one.state) == ("Jade Azul", UserState.ACTIVE)


def test_directory_roles_of_a_user(recorded: Path) -> None:
    roles = Collection[DirectoryRole].model_validate(
        response_body(recorded, "GetCustomerUserRoleById")
    )
    assert [r.name for r in roles.items] == ["Helpdesk Administrator", "User Account Administrator"]


def test_invoices_amounts_are_exact_decimals(recorded: Path) -> None:
    page = Collection[Invoice].model_validate(response_body(recorded, "GetInvoice"))
    first = page.items[0]
    assert (first.id, first.total_charges, first.paid_amount) == (
        "D030001TFO",
        Decimal("-87993.07"),
        Decimal("0.0"),
    )
    assert [d.billing_provider for d in first.invoice_details] == ["office", "azure", "azure"]
    assert page.items[1].total_charges == Decimal("90053.74")
    one = Invoice.model_validate(response_body(recorded, "GetInvoiceById"))
    assert one.invoice_date == datetime(2018, 7, 15, tzinfo=UTC) and one.invoice_type == "Recurring"


def test_the_invoice_summary_and_its_zero_dates(recorded: Path) -> None:
    page = Collection[InvoiceSummary].model_validate(response_body(recorded, "GetInvoiceSummary"))
    summary = page.items[0]
    assert summary.balance_amount == Decimal("68474.95")
    assert summary.last_payment_date == datetime(1, 1, 1, tzinfo=UTC)
    assert summary.details[0].summary is not None
    assert summary.details[0].summary.currency_code == "USD"


def test_legacy_offer_add_ons(recorded: Path) -> None:
    page = Collection[Offer].model_validate(response_body(recorded, "GetOfferAddon"))
    archiving = page.items[0]
    assert archiving.is_add_on and archiving.maximum_quantity == 10_000_000
    assert "BD938F12-058F-4927-BBA3-AE36B1D2501C" in archiving.prerequisite_offers


def test_products_skus_and_availabilities(recorded: Path) -> None:
    products = Collection[Product].model_validate(response_body(recorded, "GetProduct"))
    assert products.total_count == 25 == len(products.items)
    assert {p.product_type.id for p in products.items if p.product_type} == {"Azure", "Software"}
    one = Product.model_validate(response_body(recorded, "GetProductByProductId"))
    assert one.id == "DZH318Z0BQ4C" and one.links is not None
    assert link_path(one.links["skus"].uri or "") == "/v1/products/DZH318Z0BQ4C/skus?country=US"
    skus = Collection[Sku].model_validate(response_body(recorded, "GetProductSku"))
    assert skus.items[0].supported_billing_cycles == ["one_time"]
    assert skus.items[0].dynamic_attributes["armSkuName"] == "Standard_DS5_v2"
    availabilities = Collection[Availability].model_validate(
        response_body(recorded, "GetProductAvailability")
    )
    assert availabilities.items[0].catalog_item_id == "DZH318Z0BQ4C:00FF:DZH318Z0RFQB"
    one_availability = Availability.model_validate(
        response_body(recorded, "GetProductAvailabilityById")
    )
    assert one_availability.default_currency is not None
    assert one_availability.default_currency.code == "USD" and one_availability.is_purchasable


def test_the_reseller_relationship_link(recorded: Path) -> None:
    link = RelationshipRequest.model_validate(
        response_body(recorded, "GetResellerRelationshipLink")
    )
    assert link.url is not None and link.url.startswith("https://portal.office.com/partner/")
    assert link.attributes is not None and link.attributes.object_type == "RelationshipRequest"


def test_recorded_sessions_parse_and_match_their_requests(recorded: Path) -> None:
    (rules,) = session_exchanges(recorded, "GetPartnerCountryValidation")
    assert base64.b64decode(rules["EncodedReqeustAddress"]) == b"/v1/countryvalidationrules/US"
    us = CountryValidationRules.model_validate(parse_json(rules["ResponseBody"]))
    assert us.iso2_code == "US" and len(us.supported_states_list) == 51

    (offers,) = session_exchanges(recorded, "GetPartnerOffer")
    catalog = Collection[Offer].model_validate(parse_json(offers["ResponseBody"]))
    assert catalog.total_count == 274 == len(catalog.items)
    assert sum(1 for offer in catalog.items if offer.is_add_on) == 75
    assert sum(1 for offer in catalog.items if offer.is_trial) == 17
    assert catalog.items[0].links is not None and catalog.items[0].links["learnMore"].uri is None

    (one,) = session_exchanges(recorded, "GetPartnerOfferByOfferId")
    e5 = Offer.model_validate(parse_json(one["ResponseBody"]))
    assert (e5.name, e5.category.name if e5.category else None) == (
        "Microsoft 365 E5",
        "Enterprise",
    )

    (categories,) = session_exchanges(recorded, "GetPartnerOfferCategory")
    names = Collection[OfferCategory].model_validate(parse_json(categories["ResponseBody"]))
    assert [c.name for c in names.items] == ["Enterprise", "Small business", "Nonprofit", "Trial"]
