"""The organization form's fields, shared by the list's dialog and the organization page."""

from __future__ import annotations

import reflex as rx

from o365portal.services import organizations
from o365portal.ui.components.forms import select_field, text_field

# The fields' labels, to name a field in a message shown away from this form.
LABELS = {
    "company_name": "Company name",
    "registration_number": "Registration number",
    "street_address": "Street address",
    "postal_code": "Postal code",
    "city": "City",
    "state": "State / province",
    "country": "Country",
    "contact_first_name": "Contact first name",
    "contact_last_name": "Contact last name",
    "email": "Contact e-mail",
    "phone": "Phone",
    "language": "Language",
}


def organization_form_fields(
    values: rx.Var[dict[str, str]], errors: rx.Var[dict[str, str]]
) -> rx.Component:
    """The organization form's fields (shared by the list's dialog and the detail page)."""
    grid = {"columns": rx.breakpoints(initial="1", sm="2"), "spacing": "3", "width": "100%"}
    return rx.vstack(
        text_field(
            "Company name", "company_name", errors, value=values["company_name"], required=True
        ),
        text_field(
            "Registration number",
            "registration_number",
            errors,
            value=values["registration_number"],
        ),
        text_field("Street address", "street_address", errors, value=values["street_address"]),
        rx.grid(
            text_field("Postal code", "postal_code", errors, value=values["postal_code"]),
            text_field("City", "city", errors, value=values["city"]),
            text_field("State / province", "state", errors, value=values["state"]),
            select_field(
                "Country", "country", organizations.COUNTRY_OPTIONS, errors, value=values["country"]
            ),
            text_field(
                "Contact first name",
                "contact_first_name",
                errors,
                value=values["contact_first_name"],
            ),
            text_field(
                "Contact last name", "contact_last_name", errors, value=values["contact_last_name"]
            ),
            text_field("Contact e-mail", "email", errors, value=values["email"], type_="email"),
            text_field("Phone", "phone", errors, value=values["phone"], type_="tel"),
            select_field(
                "Language",
                "language",
                organizations.LANGUAGE_OPTIONS,
                errors,
                value=values["language"],
            ),
            **grid,
        ),
        spacing="3",
        width="100%",
    )
