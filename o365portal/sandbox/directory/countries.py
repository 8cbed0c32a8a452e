"""Country validation rules (`GET /v1/countryvalidationrules/{cc}`, reference §4.1).

US, GB and DE are copied from real recorded responses; NL, FR, CA, AU, IN and BR are modelled
on them from public postal/VAT formats ([UNVERIFIED] in detail). Organisation registration
numbers (required for IN and BR here) and mandatory phone numbers follow the reference's
country list. `validate_address(...)` applies the rules to a customer's billing address.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from o365portal.sandbox.core.identity import caller
from o365portal.sandbox.core.wire import CIDict, PartnerCenterError, pc_json


def _codes(text: str) -> list[str]:
    return text.split()


PHONE_REQUIRED = frozenset(
    _codes("AM AZ BY HU KZ KG MD RU TJ UZ UA IN BR ZA PL AE SA TR TH VN MM IQ SS VE")
)
_NANP_PHONE = r"^(1[ \-\/\.]?)?(\((\d{3})\)|(\d{3}))[ \-\/\.]?(\d{3})[ \-\/\.]?(\d{4})$"


def _rules(iso2: str, culture: str, languages: str, cultures: str, **extra: Any) -> dict[str, Any]:
    rules: dict[str, Any] = {
        "iso2Code": iso2,
        "defaultCulture": culture,
        "isStateRequired": False,
        "supportedStatesList": [],
        "supportedLanguagesList": languages.split(),
        "supportedCulturesList": cultures.split(),
        "isPostalCodeRequired": True,
        "isCityRequired": True,
        "isVatIdSupported": False,
        "isTaxIdSupported": False,
        "isTaxIdOptional": True,
    }
    rules.update(extra)
    return rules


RULES: dict[str, dict[str, Any]] = {
    "US": _rules(
        "US",
        "en-US",
        "en es",
        "en-US es-US",
        isStateRequired=True,
        supportedStatesList=_codes(
            "AK AL AR AZ CA CO CT DC DE FL GA HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS "
            "MT NC ND NE NH NJ NM NV NY OH OK OR PA RI SC SD TN TX UT VA VT WA WI WV WY"
        ),
        postalCodeRegex=r"^\d{5}(-\d{4})?$",
        phoneNumberRegex=_NANP_PHONE,
        isTaxIdSupported=True,
        countryCallingCodesList=["1"],
    ),
    "GB": _rules(
        "GB",
        "en-GB",
        "en",
        "en-GB en-US",
        postalCodeRegex=(
            r"^([gG][iI][rR][ ]?0[aA]{2,2}|[a-zA-Z]([0-9][0-9a-zA-Z]?|[a-zA-Z][0-9][0-9a-zA-Z]?)"
            r"[ ]?[0-9][a-zA-Z]{2,2})$"
        ),
        isVatIdSupported=True,
        taxIdFormat="GB#########",
        vatIdRegex=r"^GB(([\d]{3,3}[\d]{4,4}[\d]{2,2}([\d]{3,3})?)|((GD|HA)[\d]{3,3}))$",
        countryCallingCodesList=["44"],
    ),
    "DE": _rules(
        "DE",
        "de-DE",
        "en de",
        "de-DE en-US",
        postalCodeRegex=r"^[0-9]{5,5}$",
        isVatIdSupported=True,
        taxIdFormat="DE#########",
        vatIdRegex=r"^DE[\d]{9,9}$",
        countryCallingCodesList=["49"],
    ),
    "NL": _rules(
        "NL",
        "nl-NL",
        "nl en",
        "nl-NL en-US",
        postalCodeRegex=r"^[1-9][0-9]{3}[ ]?[a-zA-Z]{2}$",
        isVatIdSupported=True,
        taxIdFormat="NL#########B##",
        vatIdRegex=r"^NL[\d]{9,9}B[\d]{2,2}$",
        countryCallingCodesList=["31"],
    ),
    "FR": _rules(
        "FR",
        "fr-FR",
        "fr en",
        "fr-FR en-US",
        postalCodeRegex=r"^[0-9]{5,5}$",
        isVatIdSupported=True,
        taxIdFormat="FR###########",
        vatIdRegex=r"^FR[0-9A-Z]{2,2}[\d]{9,9}$",
        countryCallingCodesList=["33"],
    ),
    "CA": _rules(
        "CA",
        "en-CA",
        "en fr",
        "en-CA fr-CA",
        isStateRequired=True,
        supportedStatesList=_codes("AB BC MB NB NL NS NT NU ON PE QC SK YT"),
        postalCodeRegex=r"^[ABCEGHJ-NPRSTVXYabceghj-nprstvxy]\d[A-Za-z][ -]?\d[A-Za-z]\d$",
        phoneNumberRegex=_NANP_PHONE,
        countryCallingCodesList=["1"],
    ),
    "AU": _rules(
        "AU",
        "en-AU",
        "en",
        "en-AU en-US",
        isStateRequired=True,
        supportedStatesList=_codes("ACT NSW NT QLD SA TAS VIC WA"),
        postalCodeRegex=r"^\d{4}$",
        isTaxIdSupported=True,
        taxIdFormat="###########",
        countryCallingCodesList=["61"],
    ),
    "IN": _rules(
        "IN",
        "en-IN",
        "en hi",
        "en-IN hi-IN en-US",
        isStateRequired=True,
        supportedStatesList=_codes(
            "AN AP AR AS BR CH CT DD DL DN GA GJ HP HR JH JK KA KL LA LD MH ML MN MP MZ NL "
            "OR PB PY RJ SK TG TN TR UP UT WB"
        ),
        postalCodeRegex=r"^[1-9][0-9]{5}$",
        isTaxIdSupported=True,
        taxIdFormat="##AAAAA####A#Z#",
        customerOrganizationRegistrationNumberRegex=r"^[A-Z]{5}[0-9]{4}[A-Z]$",
        customerOrganizationRegistrationNumberSample="AAAPL1234C",
        customerOrganizationRegistrationNumberRequired=True,
        customerOrganizationPhoneNumberRequired=True,
        countryCallingCodesList=["91"],
    ),
    "BR": _rules(
        "BR",
        "pt-BR",
        "pt en",
        "pt-BR en-US",
        isStateRequired=True,
        supportedStatesList=_codes(
            "AC AL AM AP BA CE DF ES GO MA MG MS MT PA PB PE PI PR RJ RN RO RR RS SC SE SP TO"
        ),
        postalCodeRegex=r"^\d{5}-?\d{3}$",
        isTaxIdSupported=True,
        isTaxIdOptional=False,
        taxIdFormat="##.###.###/####-##",
        customerOrganizationRegistrationNumberRegex=r"^\d{2}\.?\d{3}\.?\d{3}/?\d{4}-?\d{2}$",
        customerOrganizationRegistrationNumberSample="12.345.678/0001-95",
        customerOrganizationRegistrationNumberRequired=True,
        customerOrganizationPhoneNumberRequired=True,
        countryCallingCodesList=["55"],
    ),
}


def rules_for(country: str) -> dict[str, Any]:
    """The rules of an ISO-2 country, or a 400 (code 2000) when the sandbox does not know it."""
    rules = RULES.get(country.strip().upper())
    if rules is None:
        raise PartnerCenterError(
            400, 2000, f"The country '{country}' is not a supported ISO 3166-1 alpha-2 code."
        )
    return rules


def _invalid(field: str, why: str) -> PartnerCenterError:
    return PartnerCenterError(400, 2000, f"The address field '{field}' {why}.")


def _check_lengths(address: CIDict) -> None:
    for field, low, high in (
        ("firstName", 1, 50),
        ("lastName", 1, 50),
        ("addressLine1", 1, 200),
        ("addressLine2", 0, 200),
        ("addressLine3", 0, 200),
    ):
        if not low <= len(address.text(field)) <= high:
            raise _invalid(field, f"must be {low} to {high} characters long")


def validate_address(address: CIDict, culture: str, language: str) -> dict[str, Any]:
    """Check a billing address (+ culture/language) against its country's rules; return them."""
    rules = rules_for(address.text("country"))
    _check_lengths(address)
    if rules["isCityRequired"] and not address.text("city"):
        raise _invalid("city", "is required")
    state = address.text("state").upper()
    if rules["isStateRequired"] and state not in rules["supportedStatesList"]:
        raise _invalid("state", f"must be one of {', '.join(rules['supportedStatesList'])}")
    postal = address.text("postalCode")
    if rules["isPostalCodeRequired"] and not re.match(rules["postalCodeRegex"], postal):
        raise _invalid("postalCode", "does not have the country's format")
    if rules["iso2Code"] in PHONE_REQUIRED and not address.text("phoneNumber"):
        raise PartnerCenterError(400, 600051, "The phone number is required for this country.")
    if culture.lower() not in (c.lower() for c in rules["supportedCulturesList"]):
        raise PartnerCenterError(400, 2000, f"The culture '{culture}' is not supported here.")
    if language.lower() not in rules["supportedLanguagesList"]:
        raise PartnerCenterError(400, 2000, f"The language '{language}' is not supported here.")
    return rules


def validate_registration_number(rules: dict[str, Any], number: str) -> None:
    """Codes 600002 (not supported), 600049 (missing), 600050 (wrong format)."""
    pattern = rules.get("customerOrganizationRegistrationNumberRegex")
    if not pattern:
        if number:
            raise PartnerCenterError(
                400, 600002, "Organization registration number is not supported for this country."
            )
        return
    if not number:
        if rules.get("customerOrganizationRegistrationNumberRequired"):
            raise PartnerCenterError(400, 600049, "Organization registration number is required.")
        return
    if not re.match(pattern, number):
        raise PartnerCenterError(400, 600050, "Organization registration number is invalid.")


async def country_rules(request: Request) -> Response:
    """`GET /v1/countryvalidationrules/{cc}`."""
    caller(request)
    rules = rules_for(request.path_params["country"])
    return pc_json({**rules, "attributes": {"objectType": "CountryValidationRules"}})


routes: list[BaseRoute] = [Route("/v1/countryvalidationrules/{country}", country_rules)]
