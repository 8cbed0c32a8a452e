"""The sandbox's tables and the shape of their rows, one `TypedDict` per row type.

`state.table(CUSTOMERS)` is a `dict[str, CustomerRow]`, so mypy refuses a misspelt key where a
row is read or written. Keys are camelCase as stored: the wire names of Partner Center's
resources, plus the sandbox's own keys that the routes leave out of responses (`customerId`
on rows of a customer, `createdAt`, `mcaAccepted`, and keys starting with `_`). Keys a row
gets later in its life (a subscription's term, a user's deletion time) are `NotRequired`.
Nested objects the sandbox only passes through (links, attributes, pricing, addresses) stay
`JSONObject`; the nested objects it reads by key have their own types.

The area that writes a table owns its rules; this module only says what a row holds, so that
readers in other areas (audit and billing read customers, licences read subscriptions) agree
with the writer.
"""

# No `from __future__ import annotations` here: with evaluated annotations Python 3.11 records
# `NotRequired` keys in `__optional_keys__`, which tests/integration/sandbox_commerce/
# test_row_types.py reads to hold these types to the rows the sandbox really stores.
from typing import Any, NotRequired, TypedDict

from o365portal.sandbox.core.state import Table

JSONObject = dict[str, Any]
"""A nested JSON object that the sandbox stores and returns but does not read by key."""


class CompanyProfile(TypedDict):
    """A customer's `companyProfile` (Partner Center's CustomerCompanyProfile)."""

    tenantId: str
    domain: str
    companyName: str
    links: JSONObject
    attributes: JSONObject
    organizationRegistrationNumber: NotRequired[str]


class BillingProfile(TypedDict):
    """A customer's `billingProfile`; `defaultAddress` holds the address fields given."""

    id: str
    firstName: str
    lastName: str
    email: str
    culture: str
    language: str
    companyName: str
    defaultAddress: dict[str, str]
    links: JSONObject
    attributes: JSONObject


class CustomerRow(TypedDict):
    """Table `customers`: the wire Customer plus `mcaAccepted`, `createdAt`, `createdBy`."""

    id: str
    commerceId: str
    companyProfile: CompanyProfile
    billingProfile: BillingProfile
    relationshipToPartner: str
    allowDelegatedAccess: bool
    customDomains: list[str]
    enableGDAPByDefault: bool
    links: JSONObject
    attributes: JSONObject
    mcaAccepted: bool
    createdAt: str
    createdBy: str


class UserRow(TypedDict):
    """Table `users`: the wire CustomerUser plus `customerId`, `licenses` and `createdAt`."""

    id: str
    customerId: str
    userPrincipalName: str
    userDomainType: str
    state: str
    licenses: list[JSONObject]  # assigned SKUs: a SubscribedSku's productSku + excludedPlans
    createdAt: str
    firstName: NotRequired[str]
    lastName: NotRequired[str]
    displayName: NotRequired[str]
    usageLocation: NotRequired[str]
    phoneNumber: NotRequired[str]
    immutableId: NotRequired[str]
    softDeletionTime: NotRequired[str]


class AgreementRow(TypedDict):
    """Table `agreements` (keyed by customer id): the wire Agreement plus `customerId`."""

    customerId: str
    primaryContact: dict[str, str]
    templateId: str
    dateAgreed: str
    type: str
    agreementLink: str
    attributes: JSONObject


class SubscriptionBook(TypedDict):
    """A subscription's sandbox-only bookkeeping (`_sandbox`); the term keys come with the
    first term (`nce_subscription.start_term`)."""

    purchaseDay: int
    currency: str
    country: str
    anchorDay: NotRequired[int]
    productId: NotRequired[str]
    skuId: NotRequired[str]
    availabilityId: NotRequired[str]
    productName: NotRequired[str]
    isAddon: NotRequired[bool]
    minimumQuantity: NotRequired[int]
    maximumQuantity: NotRequired[int]
    termStart: NotRequired[str]
    windowStart: NotRequired[str]
    unitPrice: NotRequired[str]
    chargedThrough: NotRequired[str]
    lots: NotRequired[list[JSONObject]]


class SubscriptionRow(TypedDict):
    """Table `subscriptions`: the wire Subscription (without its time-dependent fields) plus
    `customerId`, `provisioningSkuId`, `skuPartNumber`, `skuName` (read by the licence routes)
    and `_sandbox`. The keys of a term come with the first term."""

    id: str
    customerId: str
    friendlyName: str
    productType: JSONObject
    unitType: str
    hasPurchasableAddons: bool
    creationDate: str
    status: str
    autoRenewEnabled: bool
    isTrial: bool
    billingType: str
    renewalTermDuration: str
    isMicrosoftProduct: bool
    partnerId: str
    attentionNeeded: bool
    actionTaken: bool
    contractType: str
    publisherName: str
    orderId: str
    _sandbox: SubscriptionBook
    offerId: NotRequired[str]
    offerName: NotRequired[str]
    quantity: NotRequired[int]
    termDuration: NotRequired[str]
    billingCycle: NotRequired[str]
    effectiveStartDate: NotRequired[str]
    commitmentEndDate: NotRequired[str]
    commitmentEndDateTime: NotRequired[str]
    cancellationAllowedUntilDate: NotRequired[str]
    provisioningSkuId: NotRequired[str]
    skuPartNumber: NotRequired[str]
    skuName: NotRequired[str]
    scheduledNextTermInstructions: NotRequired[JSONObject]


class CartLine(TypedDict):
    """A cart's line item; a valid line has `orderGroup` and `pricing`, a refused one `error`."""

    id: Any
    catalogItemId: str
    quantity: Any
    currencyCode: str
    billingCycle: str
    termDuration: str
    friendlyName: str
    participants: list[Any]
    provisioningContext: JSONObject
    orderGroup: NotRequired[str]
    pricing: NotRequired[JSONObject]
    error: NotRequired[JSONObject]


class CartBook(TypedDict, total=False):
    """A cart's sandbox-only state (`_sandbox`): a checkout running, and its stored result."""

    inProgress: bool
    result: JSONObject


class CartRow(TypedDict):
    """Table `carts`: the wire Cart plus `customerId` and `_sandbox`."""

    id: str
    creationTimestamp: str
    lastModifiedTimestamp: str
    expirationTimestamp: str
    lastModifiedUser: str
    lineItems: list[CartLine]
    status: str
    links: JSONObject
    attributes: JSONObject
    customerId: str
    _sandbox: CartBook


class OrderLine(TypedDict):
    """An order's line item; `subscriptionId` once the order is provisioned."""

    lineItemNumber: int
    offerId: str
    termDuration: str
    transactionType: str
    friendlyName: str
    quantity: Any
    pricing: JSONObject
    links: JSONObject
    subscriptionId: NotRequired[str]


class StoredCaller(TypedDict):
    """Who placed an order, kept for the audit record written when it completes."""

    clientId: str
    appOnly: bool
    userPrincipalName: str | None


class OrderBook(TypedDict):
    """An order's sandbox-only keys (`_sandbox`)."""

    caller: StoredCaller
    country: str


class OrderRow(TypedDict):
    """Table `orders`: the wire Order plus `customerId` and `_sandbox`."""

    id: str
    alternateId: str
    referenceCustomerId: str
    billingCycle: str
    currencyCode: str
    currencySymbol: str
    lineItems: list[OrderLine]
    creationDate: str
    status: str
    transactionType: str
    links: JSONObject
    totalPrice: float
    client: JSONObject
    attributes: JSONObject
    customerId: str
    _sandbox: OrderBook


class AuditRecordRow(TypedDict):
    """Table `auditRecords`: the wire AuditRecord (reference §9.1)."""

    id: str
    partnerId: str
    customerId: str
    customerName: str
    userPrincipalName: str
    applicationId: str
    sessionId: str
    resourceType: str
    resourceOldValue: str | None
    resourceNewValue: str | None
    operationType: str
    originalCorrelationId: str
    operationDate: str
    operationStatus: str
    customizedData: list[dict[str, str]]
    attributes: JSONObject


class WebhookRegistrationRow(TypedDict):
    """Table `webhookRegistrations` (keyed by the partner tenant id)."""

    subscriberId: str
    webhookUrl: str
    webhookEvents: list[str]
    signatureTokenToMsSignatureHeader: bool
    lastModifiedTimestamp: str


class DeliveryAttempt(TypedDict):
    """One try of a webhook delivery; the wire result is this without `ok`."""

    ok: bool
    responseCode: str | None
    responseMessage: str
    systemError: str | None
    dateTimeUtc: NotRequired[str]


class WebhookDeliveryRow(TypedDict):
    """Table `webhookDeliveries`: one event sent to the registered URL, with its attempts."""

    id: str
    webhookUrl: str
    payload: JSONObject
    attempts: list[DeliveryAttempt]
    status: str


class ValidationEventRow(TypedDict):
    """Table `webhookValidationEvents` (keyed by correlation id): the test event's delivery."""

    deliveryId: str


class ReplayRow(TypedDict):
    """Table `replays`: a stored response to a mutating request, replayed when it repeats."""

    storedAt: str
    status: int
    headers: list[list[str]]
    body: str


class ReconParty(TypedDict):
    """Who a reconciliation line is about: the partner and the customer."""

    partnerId: str
    customerId: str
    customerName: str
    customerDomainName: str
    customerCountry: str


class ReconProduct(TypedDict):
    """What a reconciliation line bills: the order, catalog item and subscription term."""

    orderId: str
    alternateId: str
    productId: str
    skuId: str
    availabilityId: str
    productName: str
    skuName: str
    productQualifiers: list[str]
    unitType: str
    publisherName: str
    subscriptionDescription: str
    subscriptionId: str
    subscriptionStartDate: str
    subscriptionEndDate: str
    termAndBillingCycle: str
    billingFrequency: str
    currency: str
    pricingCurrency: str
    pcToBCExchangeRate: str


class ReconCharge(TypedDict):
    """The charge of a reconciliation line (amounts are decimal strings, as on the wire)."""

    orderDate: str
    chargeType: str
    unitPrice: str
    effectiveUnitPrice: str
    quantity: str
    billableQuantity: str
    subtotal: str
    taxTotal: str
    totalForCustomer: str
    chargeStartDate: str
    chargeEndDate: str
    referenceId: str
    pcToBCExchangeRateDate: str


class ReconBlanks(TypedDict):
    """Fields of a reconciliation line that the sandbox leaves empty, but for `invoiceNumber`
    (and the sandbox's `_invoiceId`) once the month's invoice is issued."""

    invoiceNumber: str
    _invoiceId: NotRequired[str]
    mpnId: str
    resellerMpnId: str
    publisherId: str
    priceAdjustmentDescription: str
    discountDetails: str
    meterDescription: str
    reservationOrderId: str
    creditReasonCode: str
    promotionId: str


class ReconLineRow(ReconBlanks, ReconParty, ReconProduct, ReconCharge):
    """Table `reconLineItems`: the wire OneTimeInvoiceLineItem plus keys starting with `_`
    (billing month, when recorded, order of recording, id; `_invoiceId` once invoiced)."""

    invoiceLineItemType: str
    billingProvider: str
    attributes: JSONObject
    _billingMonth: str
    _recordedAt: str
    _sequence: int
    _id: str


class InvoiceRow(TypedDict):
    """Table `invoices`: the wire Invoice of one month and currency."""

    id: str
    invoiceDate: str
    billingPeriodStartDate: str
    billingPeriodEndDate: str
    totalCharges: float
    paidAmount: float
    currencyCode: str
    currencySymbol: str
    pdfDownloadLink: str
    taxReceipts: list[Any]
    invoiceDetails: list[JSONObject]
    amendments: list[Any]
    documentType: str
    invoiceType: str
    links: JSONObject
    attributes: JSONObject


CUSTOMERS: Table[CustomerRow] = Table("customers")
USERS: Table[UserRow] = Table("users")
AGREEMENTS: Table[AgreementRow] = Table("agreements")
SUBSCRIPTIONS: Table[SubscriptionRow] = Table("subscriptions")
CARTS: Table[CartRow] = Table("carts")
ORDERS: Table[OrderRow] = Table("orders")
AUDIT_RECORDS: Table[AuditRecordRow] = Table("auditRecords")
WEBHOOK_REGISTRATIONS: Table[WebhookRegistrationRow] = Table("webhookRegistrations")
WEBHOOK_DELIVERIES: Table[WebhookDeliveryRow] = Table("webhookDeliveries")
WEBHOOK_VALIDATIONS: Table[ValidationEventRow] = Table("webhookValidationEvents")
REPLAYS: Table[ReplayRow] = Table("replays")
RECON_LINES: Table[ReconLineRow] = Table("reconLineItems")
INVOICES: Table[InvoiceRow] = Table("invoices")
