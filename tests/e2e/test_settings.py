"""My Services -> Settings: saved with a confirmation and shown again after a reload."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.builders import new_broker, unique
from tests.e2e.journeys import sign_in


def test_a_broker_saves_settings_and_sees_them_after_a_reload(page: Page) -> None:
    sign_in(page, new_broker())
    page.goto("/settings")
    name = unique("Contoso Cloud ")
    page.get_by_label("Broker name").fill(name)
    page.get_by_label("Billing cycles offered to customers").select_option("monthly")
    page.get_by_label("Microsoft billing cycle day").select_option("15")
    page.get_by_label("Currency").select_option("EUR")
    approvals = page.get_by_label("Customer transactions need the broker's approval")
    approvals.check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    page.reload()
    expect(page.get_by_label("Broker name")).to_have_value(name)
    expect(page.get_by_label("Billing cycles offered to customers")).to_have_value("monthly")
    expect(page.get_by_label("Microsoft billing cycle day")).to_have_value("15")
    expect(page.get_by_label("Currency")).to_have_value("EUR")
    expect(approvals).to_be_checked()
    approvals.uncheck()
    page.get_by_label("Billing cycles offered to customers").select_option("both")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()


def test_bad_settings_get_a_message_at_the_field(page: Page) -> None:
    sign_in(page, new_broker())
    page.goto("/settings")
    page.get_by_label("Broker name").fill("")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Enter the broker's company name.")).to_be_visible()
