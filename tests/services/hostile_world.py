"""The world the hostile-input property tests call the use cases in: the authorisation matrix's
two organizations (tests/services/authz_world.py), A the caller's and B a foreign one, each with
a tenant, users, a subscription, a scheduled order, an approval request and a price list; a
broker, and A's customer. `strategies` gives each parameter name that needs this data its
strategy: ids of A's rows, of B's and of none, the real catalog items, the forms each form-taking
use case posts (a valid one with fields replaced by hostile values), and produced values.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from hypothesis import strategies as st
from sqlmodel import select

from o365portal.db.engine import session_scope
from o365portal.db.tables.tenants import Tenant
from o365portal.services import accounts, billing, clock, subscriptions
from o365portal.services.pricing import CatalogItemRef
from o365portal.services.principal import Principal
from tests.builders import Account, new_broker, organization_form
from tests.fakes.partner_center import PartnerCenterFake
from tests.services import hostile_values as hostile
from tests.services.authz_world import Org, new_org
from tests.services.hostile_cases import UseCase
from tests.services.ordering_support import BASIC_ANNUAL, BASIC_MONTHLY, order_form
from tests.services.users_support import CHOSEN_PASSWORD, user_form

Strategy = st.SearchStrategy[Any]

ROLES = ("broker", "customer")
CHOICES = {
    "status": ["active", "suspended", "cancelled", "open", "resolved", "all", "scheduled"],
    "chosen": ["active", "suspended", "cancelled"],
    "sort": list(subscriptions.SORTS),
    "term": ["P1M", "P1Y", "P3Y"],
    "billing_cycle": ["monthly", "annual"],
    "cycle": ["monthly", "annual"],
    "currency": [code for code, _ in accounts.CURRENCY_OPTIONS],
    "file_format": list(billing.FORMATS),
    "usage_location": ["de", "US", "gb"],
}


@dataclass(frozen=True)
class World:
    """The two organizations, the broker, and what the strategies need of them."""

    own: Org
    foreign: Org
    broker: Account
    domain: str  # A's tenant's onmicrosoft.com domain

    def actor(self, role: str) -> Principal:
        return self.broker.principal if role == "broker" else self.own.customer.principal


async def new_world(sandbox: PartnerCenterFake, control: PartnerCenterFake) -> World:
    own, foreign = await new_org("A", sandbox, control), await new_org("B", sandbox, control)
    with session_scope() as session:
        tenant = session.exec(
            select(Tenant).where(Tenant.organization_id == own.organization_id)
        ).one()
        domain = tenant.domain
    return World(own, foreign, new_broker(), domain)


def _ids(world: World, attribute: str) -> Strategy:
    return hostile.ids([getattr(world.own, attribute)], [getattr(world.foreign, attribute)])


def _forms(case: UseCase, world: World) -> Strategy | None:
    """The form a use case posts: a valid one, each field kept or made hostile, fields dropped
    or added; or any dictionary at all."""
    base = _base_form(str(case), world)
    if base is None:
        return None
    fields = {
        key: st.one_of(st.just(value), _field(key))
        for key, value in base.items()  # a valid value or a hostile one, per field
    }
    extra = st.dictionaries(hostile.text(), hostile.text(), max_size=2)
    shaped = st.tuples(st.fixed_dictionaries(fields), extra, st.sets(st.sampled_from(list(base))))
    kept = shaped.map(lambda t: {k: v for k, v in (t[0] | t[1]).items() if k not in t[2]})
    return st.one_of(kept, st.dictionaries(hostile.text(), hostile.text(), max_size=4))


def _field(key: str) -> Strategy:
    made = hostile.BY_NAME.get(key)
    return made() if made else hostile.choices(CHOICES.get(key, []))


def _base_form(name: str, world: World) -> dict[str, object] | None:
    organization = organization_form(phone="+1 425 555 0100")
    today = clock.today().isoformat()
    forms: dict[str, dict[str, object]] = {
        "organizations.create_organization": organization,
        "organizations.update_organization": organization,
        "users.create_user": user_form(world.domain, password_mode="choose")
        | {"password": CHOSEN_PASSWORD},
        "users.update_user": user_form(world.domain),
        "ordering.place_order": order_form(
            quantity=1, go_live_date=(clock.today() + timedelta(days=3)).isoformat()
        ),
        "accounts.update_broker_settings": dict(
            accounts.get_broker_settings(actor=world.broker.principal).as_form()
        ),
        "tenants.accept_agreement": {
            "mca_first_name": "Ann",
            "mca_last_name": "Lee",
            "mca_email": "ann@example.com",
            "mca_date": today,
            "mca_confirmed": "on",
        },
    }
    return forms.get(name)


def strategies(case: UseCase, world: World, role: str) -> dict[str, Strategy]:
    """The strategies of the parameters that need the world, by name (and by type)."""
    actor = world.actor(role)
    own, foreign = world.own, world.foreign
    makers: dict[str, Callable[[], Strategy | None]] = {
        "organization_id": lambda: _ids(world, "organization_id"),
        "subscription_id": lambda: _ids(world, "subscription_id"),
        "user_id": lambda: _ids(world, "user_id"),
        "request_id": lambda: _ids(world, "request_id"),
        "scheduled_order_id": lambda: _ids(world, "scheduled_id"),
        "alert_id": hostile.whole_numbers,
        "list_id": lambda: st.one_of(st.none(), _ids(world, "price_list_id")),
        "user_ids": lambda: st.lists(_ids(world, "user_id"), max_size=4),
        "subscription_ids": lambda: st.lists(_ids(world, "subscription_id"), max_size=4),
        "assign": lambda: st.lists(_ids(world, "subscription_id"), max_size=3),
        "remove": lambda: st.lists(_ids(world, "subscription_id"), max_size=3),
        "account_ids": lambda: st.lists(hostile.ids([actor.account_id], []), max_size=3),
        "customer_id": lambda: st.one_of(
            st.sampled_from([own.customer_id, foreign.customer_id, str(uuid.uuid4())]),
            hostile.text(),
        ),
        "item": lambda: _items(case),
        "reports": lambda: st.just(_reports(world, actor)),
        "rows": lambda: st.just(_rows(world, actor)),
        "lines": lambda: st.just(subscriptions.arrange_rows(rows=_rows(world, actor))),
        "form": lambda: _forms(case, world),
    }
    found = {name: make() for name, make in makers.items() if name in case.parameters}
    found |= {name: hostile.choices(values) for name, values in CHOICES.items()}
    return {name: value for name, value in found.items() if value is not None}


def _items(case: UseCase) -> Strategy:
    """A catalog item: the key as the form posts it, or the reference itself."""
    if case.hints.get("item") is CatalogItemRef:
        refs = st.builds(CatalogItemRef, *(hostile.choices(["P1Y", "monthly"]) for _ in range(5)))
        return st.one_of(st.sampled_from([BASIC_MONTHLY, BASIC_ANNUAL]), refs)
    keys = [BASIC_MONTHLY.key, BASIC_ANNUAL.key, "a:b:c:d:e", "::::", BASIC_MONTHLY.key + ":"]
    return st.one_of(st.sampled_from(keys), hostile.text())


def _rows(world: World, actor: Principal) -> list[Any]:
    listed = subscriptions.list_subscriptions(
        actor=actor, organization_id=world.own.organization_id
    )
    return list(listed.subscriptions)


def _reports(world: World, actor: Principal) -> list[Any]:
    month = clock.today().isoformat()[:7]
    return list(
        billing.billing_report(
            actor=actor,
            first_month=month,
            last_month=month,
            organization_id=world.own.organization_id,
        )
    )
