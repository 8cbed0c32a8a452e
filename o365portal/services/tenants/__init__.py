"""Microsoft 365 tenants: create, link, the organization record Microsoft needs, and the
Microsoft Customer Agreement."""

from __future__ import annotations

from o365portal.services.tenants._address import MissingItem
from o365portal.services.tenants._agreements import (
    ACCEPTANCE_FIELDS,
    AgreementView,
    accept_agreement,
    agreement_status,
)
from o365portal.services.tenants._errors import AddressIncomplete, DomainTaken
from o365portal.services.tenants._links import (
    UnlinkedCustomer,
    link_by_domain,
    link_customer,
    relationship_link,
    unlinked_count,
    unlinked_customers,
)
from o365portal.services.tenants._records import TenantView
from o365portal.services.tenants._tenants import (
    NewTenantForm,
    check_domain,
    create_tenant,
    get_tenant,
    issue_admin_password,
    new_tenant_form,
)

__all__ = [
    "ACCEPTANCE_FIELDS",
    "AddressIncomplete",
    "AgreementView",
    "DomainTaken",
    "MissingItem",
    "NewTenantForm",
    "TenantView",
    "UnlinkedCustomer",
    "accept_agreement",
    "agreement_status",
    "check_domain",
    "create_tenant",
    "get_tenant",
    "issue_admin_password",
    "link_by_domain",
    "link_customer",
    "new_tenant_form",
    "relationship_link",
    "unlinked_count",
    "unlinked_customers",
]
