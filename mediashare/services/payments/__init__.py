"""Payments: top-up requests (`topups`), how they are paid (`providers`), what was paid (`reports`),
and what a reseller earned (`earnings`, for the reseller dashboard)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from mediashare.models import TopUpRequest, TopUpStatus
from mediashare.services import plans


@dataclass(frozen=True)
class Money:
    """An exact amount: integer minor units (cents) of one currency."""

    amount_minor: int
    currency: str

    def __str__(self) -> str:
        return plans.format_money(self.amount_minor, self.currency)


@dataclass(frozen=True)
class Earnings:
    """Approved top-ups a reseller decided: how many, the credits, and the money per currency."""

    count: int
    credits: int
    money: list[Money]  # one per currency, by code; empty when nothing was paid


def earnings(session: Session, *, reseller_id: int, since: datetime | None = None) -> Earnings:
    """What `reseller_id`'s customers paid them: approved top-ups that reseller decided (approved
    since `since`, when given). Plain figures; the caller decides who may see them."""
    query = (sa.select(TopUpRequest.currency, sa.func.count(), sa.func.coalesce(sa.func.sum(TopUpRequest.credits), 0),
                       sa.func.coalesce(sa.func.sum(TopUpRequest.amount_minor), 0))
             .where(TopUpRequest.status == TopUpStatus.APPROVED, TopUpRequest.decided_by_id == reseller_id)
             .group_by(TopUpRequest.currency).order_by(TopUpRequest.currency))
    if since is not None:
        query = query.where(TopUpRequest.decided_at >= since)
    rows = session.execute(query).all()
    return Earnings(count=sum(int(row[1]) for row in rows), credits=sum(int(row[2]) for row in rows),
                    money=[Money(amount_minor=int(row[3]), currency=row[0]) for row in rows])
