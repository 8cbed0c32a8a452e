"""What Microsoft needs to create a tenant for an organization: the domain prefix rule, the
country's rules (from Partner Center's country validation rules), and the request body.

The registration number is sent only where the country's rules require one (and then checked
against the country's format first); elsewhere Partner Center refuses a number it does not use
(code 600002), so the organization's number simply stays in the portal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from o365portal.db.tables.organizations import Organization
from o365portal.partner_center.models.customers import (
    Address,
    AgreementContact,
    BillingProfile,
    CompanyProfile,
    CountryValidationRules,
    Customer,
)

DOMAIN_SUFFIX = ".onmicrosoft.com"
_PREFIX = re.compile(r"^[a-z0-9]{1,27}$")


@dataclass(frozen=True)
class MissingItem:
    """One thing the organization record lacks: which field, and what Microsoft wants."""

    field: str
    message: str


def prefix_problem(prefix: str) -> str | None:
    """Why `prefix` cannot be a `<prefix>.onmicrosoft.com` domain, or None if it can."""
    if not prefix:
        return "Enter a domain prefix."
    if not _PREFIX.match(prefix):
        return "Use 1 to 27 lowercase letters or digits (no spaces, dots or dashes)."
    return None


def normalize_prefix(text: str) -> str:
    """The prefix as typed, trimmed, lowercased and without a pasted suffix."""
    return text.strip().lower().removesuffix(DOMAIN_SUFFIX)


def suggested_prefix(company_name: str) -> str:
    """A first suggestion: the company name's letters and digits, at most 27."""
    return re.sub(r"[^a-z0-9]", "", company_name.lower())[:27]


def missing_items(org: Organization, rules: CountryValidationRules) -> list[MissingItem]:
    """Everything the organization's address lacks under its country's rules."""
    problems: list[MissingItem] = []
    if not org.street_address.strip():
        problems.append(MissingItem("street_address", "Street address is required."))
    if (rules.is_city_required is not False) and not org.city.strip():
        problems.append(MissingItem("city", "City is required."))
    problems += _state_problems(org, rules) + _postal_problems(org, rules)
    problems += _phone_problems(org, rules) + _registration_problems(org, rules)
    return problems


def registration_number_sent(org: Organization, rules: CountryValidationRules) -> str:
    """The registration number Microsoft receives: the organization's where the country
    requires one, else none."""
    required = rules.customer_organization_registration_number_required
    return (org.registration_number or "").strip() if required else ""


def _state_problems(org: Organization, rules: CountryValidationRules) -> list[MissingItem]:
    state = (org.state or "").strip().upper()
    if not rules.is_state_required:
        return []
    if not state:
        return [MissingItem("state", "State / province is required in this country.")]
    if rules.supported_states_list and state not in rules.supported_states_list:
        listed = ", ".join(rules.supported_states_list[:8])
        return [MissingItem("state", f"State must be a code Microsoft knows (e.g. {listed}).")]
    return []


def _postal_problems(org: Organization, rules: CountryValidationRules) -> list[MissingItem]:
    postal = (org.postal_code or "").strip()
    if not postal:
        required = rules.is_postal_code_required
        return [MissingItem("postal_code", "Postal code is required.")] if required else []
    if rules.postal_code_regex and not re.match(rules.postal_code_regex, postal):
        return [MissingItem("postal_code", "Postal code does not have this country's format.")]
    return []


def _phone_problems(org: Organization, rules: CountryValidationRules) -> list[MissingItem]:
    phone = (org.phone or "").strip()
    if not phone and rules.customer_organization_phone_number_required:
        return [MissingItem("phone", "Microsoft requires a phone number in this country.")]
    if phone and rules.phone_number_regex and not re.match(rules.phone_number_regex, phone):
        return [MissingItem("phone", "Phone number does not have this country's format.")]
    return []


def _registration_problems(org: Organization, rules: CountryValidationRules) -> list[MissingItem]:
    if not rules.customer_organization_registration_number_required:
        return []
    number = registration_number_sent(org, rules)
    pattern = rules.customer_organization_registration_number_regex
    if not number:
        message = "Microsoft requires a registration number in this country."
        return [MissingItem("registration_number", message)]
    if pattern and not re.match(pattern, number):
        sample = rules.customer_organization_registration_number_sample
        example = f" (e.g. {sample})" if sample else ""
        message = f"The registration number does not have this country's format{example}."
        return [MissingItem("registration_number", message)]
    return []


def culture_and_language(org: Organization, rules: CountryValidationRules) -> tuple[str, str]:
    """The billing culture and language Microsoft accepts, preferring the organization's."""
    language = org.language.split("-")[0].lower()
    culture = f"{language}-{org.country.upper()}"
    cultures = {c.lower(): c for c in rules.supported_cultures_list}
    chosen = cultures.get(culture.lower()) or rules.default_culture or culture
    languages = [lang.lower() for lang in rules.supported_languages_list]
    return chosen, language if language in languages or not languages else chosen.split("-")[0]


def customer_request(org: Organization, domain: str, rules: CountryValidationRules) -> Customer:
    """The create-customer body for the organization's record and the chosen domain."""
    culture, language = culture_and_language(org, rules)
    return Customer(
        company_profile=CompanyProfile(
            domain=domain,
            organization_registration_number=registration_number_sent(org, rules) or None,
        ),
        billing_profile=BillingProfile(
            email=org.email,
            culture=culture,
            language=language,
            company_name=org.company_name,
            default_address=_address(org),
        ),
    )


def _address(org: Organization) -> Address:
    return Address(
        first_name=org.contact_first_name,
        last_name=org.contact_last_name,
        address_line1=org.street_address,
        city=org.city,
        state=(org.state or "").upper() or None,
        postal_code=org.postal_code or None,
        country=org.country.upper(),
        phone_number=org.phone or None,
    )


def mca_contact(org: Organization) -> AgreementContact:
    """The organization's contact, who accepts the Microsoft Customer Agreement."""
    return AgreementContact(
        first_name=org.contact_first_name,
        last_name=org.contact_last_name,
        email=org.email,
        phone_number=org.phone or None,
    )
