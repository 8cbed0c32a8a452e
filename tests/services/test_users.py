"""Microsoft 365 users of an organization's tenant, through the portal: the list (from the copy
sync keeps, updated at once after the portal's own changes), new users with a generated
password e-mailed or a chosen one checked against the policy, edit, reset, delete and restore
within 30 days."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from pydantic import SecretStr
from sqlmodel import col, select

from o365portal.db.engine import session_scope
from o365portal.db.tables.audit import AuditLogEntry
from o365portal.db.tables.mail import OutboxMessage
from o365portal.domain.passwords import check_password as policy
from o365portal.partner_center.models.users import CustomerUser, PasswordProfile
from o365portal.services import accounts, clock, sync, users
from o365portal.services.errors import InvalidInput, NoTenant, NotFound
from o365portal.services.principal import Principal
from tests.builders import new_broker, new_customer, new_organization, unique
from tests.fakes.partner_center import PartnerCenterFake
from tests.services.helpers import admin_password_resets, deliver_mail_to
from tests.services.users_support import CHOSEN_PASSWORD, chosen, user_form, users_tenant
from tests.smtp_server import SmtpServerInfo

pytestmark = pytest.mark.usefixtures("portal_env")


def _sandbox_user(sandbox: PartnerCenterFake, pc_user_id: str) -> dict[str, object]:
    return sandbox.state.table("users")[pc_user_id]


async def test_the_list_shows_the_tenants_admin_to_the_broker_and_the_organization(
    sandbox: PartnerCenterFake,
) -> None:
    shop, domain = await users_tenant(sandbox)

    for actor in (shop.broker.principal, shop.customer.principal):
        page = users.list_users(actor=actor, organization_id=shop.organization_id)
        [admin] = page.rows
        assert admin.user_principal_name == f"admin@{domain}" and admin.is_admin
        assert (admin.status, admin.deleted, admin.licences) == ("Active", False, 0)
        assert page.domains == [domain] and page.total == 1 and page.synced_at

    other = new_customer(new_organization(new_broker().principal).id)
    with pytest.raises(NotFound):
        users.list_users(actor=other.principal, organization_id=shop.organization_id)
    without_tenant = new_organization(shop.broker.principal)
    with pytest.raises(NoTenant):
        users.list_users(actor=shop.broker.principal, organization_id=without_tenant.id)


async def test_a_new_user_with_a_generated_password_gets_it_by_mail_never_stored(
    sandbox: PartnerCenterFake, smtp_server: SmtpServerInfo
) -> None:
    shop, domain = await users_tenant(sandbox)
    form = user_form(domain)

    row = await users.create_user(
        actor=shop.customer.principal, organization_id=shop.organization_id, form=form
    )

    upn = f"{form['user_name']}@{domain}"
    assert (row.user_principal_name, row.display_name, row.usage_location) == (upn, "Ann Lee", "DE")
    assert _sandbox_user(sandbox, row.pc_user_id)["usageLocation"] == "DE"
    listed = users.list_users(actor=shop.broker.principal, organization_id=shop.organization_id)
    assert upn in [r.user_principal_name for r in listed.rows] and listed.total == 2
    with session_scope() as session:
        [queued] = session.exec(
            select(OutboxMessage).where(OutboxMessage.to_address == form["send_to"])
        ).all()
        assert queued.secret_source == f"m365-user:{shop.customer_id}:{row.pc_user_id}"
        assert "{secret}" in queued.body_text  # the password is not in the database
        audit = session.exec(
            select(AuditLogEntry.action).where(AuditLogEntry.entity_id == str(row.id))
        ).all()
    assert "m365_user.created" in audit

    resets_before = admin_password_resets(sandbox, shop.customer_id)
    await deliver_mail_to(str(form["send_to"]))

    body = smtp_server.received.wait_for(str(form["send_to"])).get_content()
    password = re.search(r"One-time password: (\S+)", body)
    assert password and f"User name: {upn}" in body
    assert policy(password.group(1), user_name=upn, full_name="Ann Lee") == []
    assert admin_password_resets(sandbox, shop.customer_id) == resets_before + 1


async def test_a_chosen_password_is_checked_against_the_policy_with_reasons(
    sandbox: PartnerCenterFake,
) -> None:
    shop, domain = await users_tenant(sandbox)
    actor = shop.broker.principal

    check = users.check_password(
        actor=actor, password="annlee1", user_name="ann.lee", domain=domain, full_name="Ann Lee"
    )
    assert not check.acceptable
    assert any("8 characters" in p for p in check.problems)
    assert any("'lee'" in p for p in check.problems)
    good = users.check_password(actor=actor, password=CHOSEN_PASSWORD, user_name="ann.lee")
    assert good.acceptable and good.problems == []

    form = user_form(domain, password_mode="choose", password="annlee1", send_to="")
    with pytest.raises(InvalidInput) as refused:
        await users.create_user(actor=actor, organization_id=shop.organization_id, form=form)
    assert "8 characters" in refused.value.field_errors["password"]
    assert "upper-case" in refused.value.field_errors["password"]

    form = user_form(domain, password_mode="choose", password=CHOSEN_PASSWORD) | {"send_to": None}
    row = await users.create_user(actor=actor, organization_id=shop.organization_id, form=form)
    assert _sandbox_user(sandbox, row.pc_user_id)["state"] == "active"
    with session_scope() as session:
        mail = session.exec(
            select(OutboxMessage).where(col(OutboxMessage.secret_source).contains(row.pc_user_id))
        ).all()
    assert mail == []  # a chosen password is not e-mailed


async def test_bad_forms_and_partner_center_refusals_become_field_messages(
    sandbox: PartnerCenterFake,
) -> None:
    shop, domain = await users_tenant(sandbox)
    actor, org = shop.broker.principal, shop.organization_id

    bad = user_form(
        "other.example", user_name=".ann", usage_location="", send_to="nope", display_name=""
    )
    with pytest.raises(InvalidInput) as refused:
        await users.create_user(actor=actor, organization_id=org, form=bad)
    errors = refused.value.field_errors
    assert set(errors) >= {"user_name", "usage_location", "send_to"}
    with pytest.raises(InvalidInput) as refused:
        await users.create_user(actor=actor, organization_id=org, form=user_form("other.example"))
    assert domain in refused.value.field_errors["domain"]
    with pytest.raises(InvalidInput) as refused:
        await users.create_user(
            actor=actor,
            organization_id=org,
            form=user_form(domain, first_name="", last_name="", display_name=""),
        )
    assert "display name" in refused.value.field_errors["display_name"]

    with pytest.raises(InvalidInput) as refused:
        await users.create_user(
            actor=actor, organization_id=org, form=user_form(domain, user_name="admin")
        )
    assert "is taken" in refused.value.field_errors["user_name"]


async def test_a_domain_verified_in_microsoft_is_offered_once_a_user_on_it_is_synced(
    sandbox: PartnerCenterFake,
) -> None:
    """Partner Center lists no tenant domains: those of the tenant's users are verified ones."""
    shop, domain = await users_tenant(sandbox)
    custom = unique("fabrikam") + ".example"
    sandbox.state.table("customers")[shop.customer_id]["customDomains"].append(custom)
    async with sandbox.client(portal_app=True) as pc:  # made in Microsoft's admin centre
        await pc.users.create(
            shop.customer_id,
            CustomerUser(
                user_principal_name=f"it@{custom.upper()}",
                display_name="IT",
                usage_location="DE",
                password_profile=PasswordProfile(password=SecretStr(CHOSEN_PASSWORD)),
            ),
        )
    assert users.list_users(
        actor=shop.customer.principal, organization_id=shop.organization_id
    ).domains == [domain]

    await sync.sync_tenant_now(actor=shop.broker.principal, organization_id=shop.organization_id)

    page = users.list_users(actor=shop.customer.principal, organization_id=shop.organization_id)
    assert page.domains == [domain, custom]  # the primary first, the rest once, lower case
    row = await users.create_user(
        actor=shop.customer.principal,
        organization_id=shop.organization_id,
        form=chosen(custom, user_name="bea"),
    )
    assert row.user_principal_name == f"bea@{custom}"


async def test_edit_reset_delete_and_restore(
    sandbox: PartnerCenterFake, smtp_server: SmtpServerInfo
) -> None:
    shop, domain = await users_tenant(sandbox)
    actor, org = shop.customer.principal, shop.organization_id
    row = await users.create_user(
        actor=actor,
        organization_id=org,
        form=chosen(domain),
    )

    edited = await users.update_user(
        actor=actor,
        organization_id=org,
        user_id=row.id,
        form={"first_name": "Anna", "last_name": "Lee", "display_name": "", "usage_location": "AT"},
    )
    assert (edited.display_name, edited.usage_location) == ("Anna Lee", "AT")
    assert _sandbox_user(sandbox, row.pc_user_id)["displayName"] == "Anna Lee"
    with pytest.raises(InvalidInput) as refused:
        await users.update_user(
            actor=actor,
            organization_id=org,
            user_id=row.id,
            form={"display_name": "X", "usage_location": "ZZ"},
        )
    assert "usage_location" in refused.value.field_errors

    to = f"{unique('reset-')}@mail.example"
    resets = admin_password_resets(sandbox, shop.customer_id)
    await users.reset_password(actor=actor, organization_id=org, user_id=row.id, send_to=to)
    await deliver_mail_to(to)
    body = smtp_server.received.wait_for(to).get_content()
    assert "was reset" in body and re.search(r"One-time password: \S{16}\s", body)
    assert admin_password_resets(sandbox, shop.customer_id) == resets + 1

    deleted = await users.delete_user(actor=actor, organization_id=org, user_id=row.id)
    until = (clock.now() + timedelta(days=30)).date().isoformat()
    assert (deleted.status, deleted.restorable, deleted.restorable_until) == (
        "Deleted",
        True,
        until,
    )
    assert _sandbox_user(sandbox, row.pc_user_id)["state"] == "inactive"
    with pytest.raises(InvalidInput):
        await users.reset_password(actor=actor, organization_id=org, user_id=row.id, send_to=to)

    restored = await users.restore_user(actor=actor, organization_id=org, user_id=row.id)
    assert (restored.status, restored.restorable_until) == ("Active", "")
    assert _sandbox_user(sandbox, row.pc_user_id)["state"] == "active"


async def test_a_user_deleted_more_than_30_days_ago_cannot_be_restored(
    sandbox: PartnerCenterFake,
) -> None:
    shop, domain = await users_tenant(sandbox)
    actor, org = shop.broker.principal, shop.organization_id
    row = await users.create_user(
        actor=actor,
        organization_id=org,
        form=chosen(domain),
    )
    await users.delete_user(actor=actor, organization_id=org, user_id=row.id)
    before = sandbox.state.now()
    sandbox.post("clock", {"advance": "P31D"})  # Entra purges it
    try:
        await _too_late_both_ways(sandbox, actor, org, domain, row)
    finally:  # the sandbox's clock outlives its reset: later tests read its audit log by date
        sandbox.post("clock", {"now": before.strftime("%Y-%m-%dT%H:%M:%SZ")})


async def _too_late_both_ways(
    sandbox: PartnerCenterFake, actor: Principal, org: int, domain: str, row: users.UserRow
) -> None:
    with pytest.raises(users.NotRestorable, match="can no longer be restored"):
        await users.restore_user(actor=actor, organization_id=org, user_id=row.id)
    page = users.list_users(actor=actor, organization_id=org)
    assert row.pc_user_id not in [r.pc_user_id for r in page.rows]

    second = await users.create_user(
        actor=actor,
        organization_id=org,
        form=chosen(domain),
    )
    await users.delete_user(actor=actor, organization_id=org, user_id=second.id)
    # the sandbox's clock is 31 days ahead now; the portal's, 62 days later, says too late
    clock.set_offset(timedelta(days=62))
    try:
        with pytest.raises(users.NotRestorable, match="deleted on"):
            await users.restore_user(actor=actor, organization_id=org, user_id=second.id)
    finally:
        clock.set_offset(timedelta(0))
    assert _sandbox_user(sandbox, second.pc_user_id)["state"] == "inactive"  # not asked


async def test_the_admin_cannot_be_deleted_and_search_and_paging_work(
    sandbox: PartnerCenterFake,
) -> None:
    shop, domain = await users_tenant(sandbox)
    actor, org = shop.broker.principal, shop.organization_id
    [admin] = users.list_users(actor=actor, organization_id=org).rows
    with pytest.raises(InvalidInput):
        await users.delete_user(actor=actor, organization_id=org, user_id=admin.id)
    for name in ("Zoe Young", "Yan Xu", "Bob Brown"):
        first, last = name.split()
        await users.create_user(
            actor=actor,
            organization_id=org,
            form=user_form(
                domain,
                first_name=first,
                last_name=last,
                display_name=name,
                user_name=unique(first.lower()),
                password_mode="choose",
                password=CHOSEN_PASSWORD,
            ),
        )

    page = users.list_users(actor=actor, organization_id=org, page=2, page_size=2)
    assert (page.total, [r.display_name for r in page.rows]) == (4, ["Yan Xu", "Zoe Young"])
    found = users.list_users(actor=actor, organization_id=org, search="BROWN")
    assert [r.display_name for r in found.rows] == ["Bob Brown"]
    none = users.list_users(actor=actor, organization_id=org, search="100%")
    assert none.rows == [] and none.total == 0


async def test_portal_accounts_become_microsoft_365_users_each_with_a_result(
    sandbox: PartnerCenterFake, smtp_server: SmtpServerInfo
) -> None:
    shop, domain = await users_tenant(sandbox)
    actor, org = shop.customer.principal, shop.organization_id
    people = users.portal_people(actor=actor, organization_id=org)
    [cory] = [p for p in people if p.account_id == shop.customer.principal.account_id]
    assert (cory.name, cory.in_microsoft_365) == ("Cory Customer", False)
    other_org_account = new_customer(new_organization(new_broker().principal).id)
    with pytest.raises(InvalidInput) as refused:
        await users.import_from_portal(
            actor=actor, organization_id=org, account_ids=[], usage_location="XX"
        )
    assert set(refused.value.field_errors) == {"people", "usage_location"}

    results = await users.import_from_portal(
        actor=actor,
        organization_id=org,
        account_ids=[cory.account_id, other_org_account.principal.account_id],
        usage_location="us",
    )

    assert [r.done for r in results] == [True, False]
    assert "No such portal account" in results[1].message
    upn = f"cory.customer@{domain}"
    listed = users.list_users(actor=actor, organization_id=org, search="cory")
    assert [(r.user_principal_name, r.usage_location) for r in listed.rows] == [(upn, "US")]
    await deliver_mail_to(cory.email)
    assert f"User name: {upn}" in smtp_server.received.wait_for(cory.email).get_content()
    again = await users.import_from_portal(
        actor=actor, organization_id=org, account_ids=[cory.account_id], usage_location="US"
    )
    assert not again[0].done and "is taken" in again[0].message
    assert [
        p.in_microsoft_365
        for p in users.portal_people(actor=actor, organization_id=org)
        if p.account_id == cory.account_id
    ] == [True]


async def test_microsoft_365_users_get_portal_accounts_with_a_mailed_password(
    sandbox: PartnerCenterFake, smtp_server: SmtpServerInfo
) -> None:
    shop, domain = await users_tenant(sandbox)
    actor, org = shop.broker.principal, shop.organization_id
    ann = await users.create_user(actor=actor, organization_id=org, form=chosen(domain))
    gone = await users.create_user(actor=actor, organization_id=org, form=chosen(domain))
    await users.delete_user(actor=actor, organization_id=org, user_id=gone.id)
    to = f"{unique('it-')}@mail.example"

    results = await users.export_to_portal(
        actor=actor, organization_id=org, user_ids=[ann.id, gone.id], send_to=to
    )

    assert [r.done for r in results] == [True, False]
    assert "restore it first" in results[1].message
    await deliver_mail_to(to)
    body = smtp_server.received.wait_for(to).get_content()
    password = re.search(r"Password: (\S+)", body)
    assert password and f"E-mail: {ann.user_principal_name.lower()}" in body
    signed_in = accounts.sign_in(email=ann.user_principal_name, password=password.group(1))
    assert signed_in.principal.organization_id == org

    again = await users.export_to_portal(
        actor=actor, organization_id=org, user_ids=[ann.id], send_to=to
    )
    assert not again[0].done and "already exists" in again[0].message
