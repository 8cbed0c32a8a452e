"""Customer-side wire models: customer, company and billing profiles, address, country rules,
relationship request link and Microsoft Customer Agreement (reference §4)."""

from __future__ import annotations

from pydantic import Field

from o365portal.partner_center.models.base import (
    ListOf,
    OpenEnum,
    Resource,
    UtcDateTime,
    WireModel,
    WireSecret,
)


class RelationshipToPartner(OpenEnum):
    """How the customer relates to the partner."""

    NONE = "none"
    RESELLER = "reseller"
    ADVISOR = "advisor"
    SYNDICATION = "syndication"
    MICROSOFT_SUPPORT = "microsoft_support"
    UNKNOWN = "unknown"


class Address(WireModel):
    """A postal address (customer default address, MCA contact)."""

    country: str | None = None
    region: str | None = None
    city: str | None = None
    state: str | None = None
    district: str | None = None
    address_line1: str | None = None
    address_line2: str | None = None
    address_line3: str | None = None
    postal_code: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    middle_name: str | None = None
    email_address: str | None = None
    phone_number: str | None = None


class CompanyProfile(Resource):
    """The customer's tenant identity: tenant id, primary domain, company name."""

    tenant_id: str | None = None
    domain: str | None = None
    company_name: str | None = None
    email: str | None = None
    organization_registration_number: str | None = None
    address: Address | None = None


class BillingProfile(Resource):
    """The customer's billing contact and default address."""

    id: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    culture: str | None = None
    language: str | None = None
    company_name: str | None = None
    default_address: Address | None = None


class UserCredentials(WireModel):
    """The first admin's credentials, returned only when a customer is created."""

    user_name: str | None = None
    password: WireSecret | None = None


class Customer(Resource):
    """A customer (its id is the tenant id); also the create-customer request body."""

    id: str | None = None
    commerce_id: str | None = None
    company_profile: CompanyProfile | None = None
    billing_profile: BillingProfile | None = None
    relationship_to_partner: RelationshipToPartner | None = None
    allow_delegated_access: bool | None = None
    user_credentials: UserCredentials | None = None
    custom_domains: list[str] | None = None
    associated_partner_id: str | None = None
    enable_gdap_by_default: bool | None = Field(None, alias="enableGDAPByDefault")


class RelationshipRequest(Resource):
    """The link a customer follows to accept the partner as its reseller."""

    url: str | None = None


class CountryValidationRules(Resource):
    """Address and tax rules of one country (`GET /v1/countryvalidationrules/{iso2}`)."""

    iso2_code: str | None = None
    default_culture: str | None = None
    is_state_required: bool | None = None
    supported_states_list: ListOf[str] = Field(default_factory=list)
    supported_languages_list: ListOf[str] = Field(default_factory=list)
    supported_cultures_list: ListOf[str] = Field(default_factory=list)
    is_postal_code_required: bool | None = None
    postal_code_regex: str | None = None
    is_city_required: bool | None = None
    is_vat_id_supported: bool | None = None
    tax_id_format: str | None = None
    tax_id_sample: str | None = None
    vat_id_regex: str | None = None
    phone_number_regex: str | None = None
    is_tax_id_supported: bool | None = None
    is_tax_id_optional: bool | None = None
    customer_organization_registration_number_regex: str | None = None
    customer_organization_registration_number_sample: str | None = None
    customer_organization_registration_number_required: bool | None = None
    customer_organization_phone_number_required: bool | None = None
    country_calling_codes_list: ListOf[str] = Field(default_factory=list)


class AgreementTemplate(Resource):
    """Agreement metadata: the current template of an agreement type."""

    template_id: str | None = None
    agreement_type: str | None = None
    agreement_link: str | None = None
    version_rank: int | None = None


class AgreementContact(WireModel):
    """The customer person who accepted an agreement."""

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone_number: str | None = None


class Agreement(Resource):
    """A customer's acceptance of an agreement (e.g. the Microsoft Customer Agreement)."""

    template_id: str | None = None
    type: str | None = None
    date_agreed: UtcDateTime = None
    primary_contact: AgreementContact | None = None
    user_id: str | None = None
    partner_id: str | None = None
