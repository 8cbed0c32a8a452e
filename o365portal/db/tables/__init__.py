"""Every portal table, imported here so `SQLModel.metadata` is complete for Alembic and tests.

Import tables from their modules (`from o365portal.db.tables.subscriptions import Subscription`)
or from this package; importing the package registers all of them.
"""

from o365portal.db.tables.accounts import PortalAccount, PortalSession, SignInFailure
from o365portal.db.tables.approvals import ApprovalRequest
from o365portal.db.tables.audit import AuditLogEntry
from o365portal.db.tables.billing import (
    BILLING_INPUTS_ID,
    BillingInputs,
    BillingRatedLine,
    BillingRating,
)
from o365portal.db.tables.broker import BROKER_SETTINGS_ID, BrokerSettings
from o365portal.db.tables.catalog import CatalogItem, CatalogItemColumns
from o365portal.db.tables.clock import PORTAL_CLOCK_ID, PortalClock
from o365portal.db.tables.m365_users import LicenceAssignment, M365User, SubscribedSku
from o365portal.db.tables.mail import OutboxMessage
from o365portal.db.tables.organizations import Organization
from o365portal.db.tables.pricing import MicrosoftCost, PriceList, PriceListEntry
from o365portal.db.tables.scheduled_orders import ScheduledOrder
from o365portal.db.tables.subscriptions import (
    SeatLot,
    Subscription,
    SubscriptionHistory,
    SubscriptionPrice,
)
from o365portal.db.tables.sync import (
    DriftAlert,
    JobLease,
    PartnerCustomer,
    SyncCursor,
    SyncRun,
    TenantSync,
)
from o365portal.db.tables.tenants import Tenant

__all__ = [
    "BILLING_INPUTS_ID",
    "BROKER_SETTINGS_ID",
    "PORTAL_CLOCK_ID",
    "ApprovalRequest",
    "AuditLogEntry",
    "BillingInputs",
    "BillingRatedLine",
    "BillingRating",
    "BrokerSettings",
    "CatalogItem",
    "CatalogItemColumns",
    "DriftAlert",
    "JobLease",
    "LicenceAssignment",
    "M365User",
    "MicrosoftCost",
    "Organization",
    "OutboxMessage",
    "PartnerCustomer",
    "PortalAccount",
    "PortalClock",
    "PortalSession",
    "PriceList",
    "PriceListEntry",
    "ScheduledOrder",
    "SeatLot",
    "SignInFailure",
    "SubscribedSku",
    "Subscription",
    "SubscriptionHistory",
    "SubscriptionPrice",
    "SyncCursor",
    "SyncRun",
    "Tenant",
    "TenantSync",
]
