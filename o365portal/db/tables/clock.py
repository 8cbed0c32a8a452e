"""The portal clock's offset: one row (id 1) that moves business time in development and tests.

Kept in the database so every worker of a portal under test sees the same moved clock;
`services.clock` honours it only when O365PORTAL_ENV is `development` or `test`.
"""

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint
from sqlmodel import Field, SQLModel

from o365portal.db.base import updated_at_field

PORTAL_CLOCK_ID = 1


class PortalClock(SQLModel, table=True):
    """How far business time runs ahead of (or behind) the real UTC clock, in seconds."""

    __tablename__ = "portal_clock"
    __table_args__ = (CheckConstraint(f"id = {PORTAL_CLOCK_ID}", name="singleton"),)

    id: int = Field(default=PORTAL_CLOCK_ID, primary_key=True)
    offset_seconds: int = Field(default=0, sa_type=BigInteger)
    updated_at: datetime = updated_at_field()
