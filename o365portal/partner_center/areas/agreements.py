"""Microsoft Customer Agreement (reference §4.1): the current template and a customer's
acceptance. App+User only; purchases fail with 13605 until the customer has accepted."""

from __future__ import annotations

from datetime import UTC, datetime

from o365portal.partner_center.areas.base import Area
from o365portal.partner_center.auth import TokenKind
from o365portal.partner_center.errors import NotFoundError
from o365portal.partner_center.models.base import Collection
from o365portal.partner_center.models.customers import (
    Agreement,
    AgreementContact,
    AgreementTemplate,
)

MCA = "MicrosoftCustomerAgreement"


class AgreementsArea(Area):
    """`client.agreements`: MCA template lookup and acceptance."""

    kind = TokenKind.APP_USER

    async def mca_template(self) -> AgreementTemplate:
        """The current Microsoft Customer Agreement template."""
        page = await self._get(
            "/v1/agreements", Collection[AgreementTemplate], params={"agreementType": MCA}
        )
        if not page.items:
            raise NotFoundError("no Microsoft Customer Agreement template", status_code=404)
        return page.items[0]

    async def accept_mca(
        self, customer_id: str, contact: AgreementContact, *, date_agreed: datetime | None = None
    ) -> Agreement:
        """Record that `contact` accepted the MCA for the customer (today unless given)."""
        template = await self.mca_template()
        agreement = Agreement(
            template_id=template.template_id,
            type=MCA,
            primary_contact=contact,
            date_agreed=date_agreed or datetime.now(UTC),
        )
        path = f"/v1/customers/{customer_id}/agreements"
        return await self._send("POST", path, Agreement, body=agreement.to_wire())

    async def list(self, customer_id: str) -> list[Agreement]:
        """The agreements the customer has accepted."""
        path = f"/v1/customers/{customer_id}/agreements"
        page = await self._get(path, Collection[Agreement], params={"agreementType": MCA})
        return page.items
