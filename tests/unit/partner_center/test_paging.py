"""The three paging styles and link normalisation."""

from __future__ import annotations

from datetime import date

import pytest

from o365portal.partner_center.paging import link_path
from tests.unit.partner_center.fakes import ScriptedPartnerCenter, harness, pc_error, reply


def seek_page(ids: list[str], token: str | None) -> dict[str, object]:
    page: dict[str, object] = {
        "totalCount": len(ids),
        "items": [{"id": i, "companyProfile": {"domain": f"{i}.test"}} for i in ids],
        "attributes": {"objectType": "Collection"},
    }
    if token:
        page["continuationToken"] = token
        page["links"] = {
            "next": {
                "uri": "/customers?size=2&seekOperation=Next",
                "method": "GET",
                "headers": [{"key": "MS-ContinuationToken", "value": token}],
            }
        }
    return page


@pytest.mark.parametrize(
    ("uri", "path"),
    [
        ("/customers?size=2&seekOperation=Next", "/v1/customers?size=2&seekOperation=Next"),
        ("/v1/customers?size=500&seekOperation=Next", "/v1/customers?size=500&seekOperation=Next"),
        ("customers/c1/users?size=500&amp;filter=x", "/v1/customers/c1/users?size=500&filter=x"),
        ("https://api.partnercenter.microsoft.com/v1/invoices", "/v1/invoices"),
        ("/auditactivity/v1/auditrecords/a1", "/auditactivity/v1/auditrecords/a1"),
        ("/webhooks/v1/registration", "/webhooks/v1/registration"),
    ],
)
def test_links_with_or_without_v1_become_callable_paths(uri: str, path: str) -> None:
    assert link_path(uri) == path


async def test_seek_paging_follows_next_links_with_their_continuation_token(
    server: ScriptedPartnerCenter,
) -> None:
    server.on(
        "GET",
        "/v1/customers",
        reply(200, seek_page(["a", "b"], "t1")),
        reply(200, seek_page(["c", "d"], "t2")),
        reply(200, seek_page(["e"], None)),
    )
    h = harness(server)
    ids = [c.id async for c in h.client.customers.iterate(size=2)]
    assert ids == ["a", "b", "c", "d", "e"]
    assert server.headers("MS-ContinuationToken") == ["", "t1", "t2"]
    assert server.requests[1].url.params["seekOperation"] == "Next"
    assert "filter" not in server.requests[0].url.params


async def test_seeking_past_the_last_page_with_error_2000_just_ends_the_iteration(
    server: ScriptedPartnerCenter,
) -> None:
    server.on(
        "GET",
        "/v1/customers",
        reply(200, seek_page(["a"], "t1")),
        pc_error(400, 2000, "no more records"),
    )
    h = harness(server)
    assert [c.id async for c in h.client.customers.iterate(starts_with="con")] == ["a"]
    search = server.requests[0].url.params["filter"]
    assert '"Operator": "starts_with"' in search and '"Value": "con"' in search


async def test_error_2000_on_the_first_page_is_still_an_error(
    server: ScriptedPartnerCenter,
) -> None:
    server.on("GET", "/v1/auditrecords", pc_error(400, 2000, "window too large"))
    h = harness(server)
    with pytest.raises(Exception, match="window too large"):
        [r async for r in h.client.audit.iterate(date(2026, 1, 1), date(2026, 3, 1))]


async def test_offset_paging_steps_the_offset_until_a_short_page(
    server: ScriptedPartnerCenter,
) -> None:
    def invoices(request: object) -> object:
        offset = int(request.url.params["offset"])  # type: ignore[attr-defined]
        ids = [f"G{n:03}" for n in range(offset, min(offset + 2, 5))]
        return reply(200, {"totalCount": len(ids), "items": [{"id": i} for i in ids]})

    server.on("GET", "/v1/invoices", invoices)  # type: ignore[arg-type]
    h = harness(server)
    ids = [invoice.id async for invoice in h.client.billing.invoices(size=2)]
    assert ids == ["G000", "G001", "G002", "G003", "G004"]
    assert [r.url.params["offset"] for r in server.requests] == ["0", "2", "4"]


async def test_offset_paging_follows_a_next_link_when_given(server: ScriptedPartnerCenter) -> None:
    first = {
        "totalCount": 2,
        "items": [{"id": "G1"}, {"id": "G2"}],
        "links": {"next": {"uri": "/invoices?size=2&offset=2", "method": "GET", "headers": []}},
    }
    server.on("GET", "/v1/invoices", reply(200, first), reply(200, {"totalCount": 0, "items": []}))
    h = harness(server)
    assert [i.id async for i in h.client.billing.invoices(size=2)] == ["G1", "G2"]
    assert server.requests[1].url.params["offset"] == "2"


async def test_unpaged_collections_come_in_one_response(server: ScriptedPartnerCenter) -> None:
    subs = {"totalCount": "02", "items": [{"id": "s1"}, {"id": "s2"}]}
    server.on("GET", "/v1/customers/c1/subscriptions", reply(200, subs))
    h = harness(server)
    assert [s.id for s in await h.client.subscriptions.list("c1", order_id="o1")] == ["s1", "s2"]
    assert server.requests[0].url.params["order_id"] == "o1"
