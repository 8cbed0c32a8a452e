"""The embedded default's demo data: accounts, organizations and sales prices to sell at once,
and both demo customers can add their tenant without editing anything.

Runs on its own fresh database: the demo prices every catalog item, which the shared session
database of the pricing tests must not see.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from o365portal.config import get_settings
from o365portal.db.engine import dispose_engine
from o365portal.db.migrate import upgrade
from o365portal.demo import DEMO_SIGN_INS, seed_demo_data, seed_demo_prices
from o365portal.services import clock
from o365portal.services.accounts import _sign_in as auth
from o365portal.services.errors import NotForSale
from o365portal.services.pricing import _quote as pricing
from o365portal.services.tenants import _tenants as tenants
from tests.fakes.partner_center import PartnerCenterFake
from tests.services.helpers import customers_with_domain
from tests.services.pricing_support import add_cost, new_catalog_item


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A fresh database per test here (instead of the session's shared one)."""
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    upgrade(url)
    yield url
    dispose_engine(url)


@pytest.fixture
def demo_database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()


def test_the_demo_signs_in_and_sells_every_item_at_cost_plus_twenty_percent(
    demo_database: str,
) -> None:
    sign_ins = seed_demo_data()
    assert sign_ins == DEMO_SIGN_INS and seed_demo_data() == DEMO_SIGN_INS  # idempotent
    for demo in sign_ins:
        assert auth.sign_in(email=demo.email, password=demo.password).principal.email == demo.email
    broker = auth.sign_in(email=sign_ins[0].email, password=sign_ins[0].password).principal
    customer = auth.sign_in(email=sign_ins[1].email, password=sign_ins[1].password).principal
    priced, unpriced = new_catalog_item(), new_catalog_item(term="P1M")
    add_cost(priced, "10.05", "2020-01-01")

    assert seed_demo_prices() == 1
    assert seed_demo_prices() == 0  # idempotent

    quote = pricing.quote(
        actor=customer,
        organization_id=customer.organization_id or 0,
        item=priced,
        quantity=2,
        on=clock.today(),
    )
    assert (quote.unit_price, quote.total, quote.source) == (
        Decimal("12.06"),
        Decimal("24.12"),
        "global",
    )
    with pytest.raises(NotForSale):
        pricing.quote(
            actor=broker,
            organization_id=customer.organization_id or 0,
            item=unpriced,
            quantity=1,
            on=clock.today(),
        )


@pytest.mark.usefixtures("portal_env")
async def test_both_demo_customers_add_their_tenant_without_editing_anything(
    sandbox: PartnerCenterFake,
) -> None:
    seed_demo_data()  # as `python -m o365portal.embedded` does
    for demo in DEMO_SIGN_INS:
        if demo.role != "customer":
            continue
        customer = auth.sign_in(email=demo.email, password=demo.password).principal
        organization_id = customer.organization_id or 0

        form = await tenants.new_tenant_form(actor=customer, organization_id=organization_id)
        tenant = await tenants.create_tenant(
            actor=customer, organization_id=organization_id, prefix=form.suggested_prefix
        )

        assert form.missing == [], demo.organization
        assert tenant.domain == f"{form.suggested_prefix}.onmicrosoft.com"
        assert len(customers_with_domain(sandbox, tenant.domain)) == 1
