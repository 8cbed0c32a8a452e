"""Invoices and NCE reconciliation line items (reference §10.2, §10.3)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from o365portal.partner_center.areas.base import Area
from o365portal.partner_center.auth import TokenKind
from o365portal.partner_center.models.billing import Invoice, ReconLineItem
from o365portal.partner_center.paging import iterate_offset, iterate_seek

_ONE_TIME = {"provider": "onetime", "invoicelineitemtype": "billinglineitems"}


class BillingArea(Area):
    """`client.billing`: invoices and their license-based (NCE) line items."""

    def invoices(self, *, size: int = 100) -> AsyncIterator[Invoice]:
        """All invoices, newest first (offset paging)."""
        return iterate_offset(self._pipeline, "/v1/invoices", Invoice, size=size)

    async def invoice(self, invoice_id: str) -> Invoice:
        """One invoice (App+User)."""
        return await self._get(f"/v1/invoices/{invoice_id}", Invoice, kind=TokenKind.APP_USER)

    def unbilled_line_items(
        self, currency: str, *, period: str = "current", size: int = 2000
    ) -> AsyncIterator[ReconLineItem]:
        """NCE recon lines not yet invoiced, for the `current` or `previous` period."""
        params = {**_ONE_TIME, "currencycode": currency, "period": period, "size": size}
        path = "/v1/invoices/unbilled/lineitems"
        return iterate_seek(self._pipeline, path, ReconLineItem, params=params)

    def billed_line_items(
        self, invoice_id: str, *, size: int = 2000
    ) -> AsyncIterator[ReconLineItem]:
        """NCE recon lines of an issued invoice."""
        path = f"/v1/invoices/{invoice_id}/lineitems"
        params = {**_ONE_TIME, "size": size}
        return iterate_seek(self._pipeline, path, ReconLineItem, params=params)
