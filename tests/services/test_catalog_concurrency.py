"""Pay-per-view under real concurrency (PostgreSQL; SQLite serializes every writer): twenty play
starts of one priced entry by one user at once — a refresh storm, many tabs — charge exactly once."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from mediashare.models import CreditCharge, LedgerTransaction, PlayWindow, Role, User
from mediashare.services import catalog, ledger
from tests.factories import make_user
from tests.services.test_catalog import publish, video
from tests.services.test_ledger_concurrency import run_threads, sessions  # noqa: F401  (fixture)

pytestmark = pytest.mark.parametrize("migrated_database", ["postgresql"], indirect=True)

STARTS = 20


def test_twenty_concurrent_play_starts_charge_once(session: Session, sessions, tmp_path: Path) -> None:  # noqa: F811
    admin = make_user(session, role=Role.ADMIN)
    viewer = make_user(session)
    ledger.grant(session, actor=None, to=viewer, amount=50)
    entry = publish(session, admin, video(session, admin, tmp_path), price=3)
    entry_id, viewer_id = entry.id, viewer.id
    windows: list[int | None] = []
    charged: list[int] = []

    def start(_number: int) -> None:
        with sessions() as own:
            play = catalog.start_play(own, actor=own.get(User, viewer_id), entry_id=entry_id)
            windows.append(play.window_id)
            charged.append(play.charged)

    run_threads(STARTS, start)
    session.expire_all()
    assert len(set(windows)) == 1 and None not in windows and sorted(charged) == [0] * (STARTS - 1) + [3]
    assert ledger.balance(session, user=session.get(User, viewer_id)) == 47
    assert len(session.exec(select(PlayWindow)).all()) == 1
    assert len(session.exec(select(CreditCharge).where(CreditCharge.action == "catalog.play")).all()) == 1
    spends = session.exec(select(LedgerTransaction).where(LedgerTransaction.kind == "spend")).all()
    assert [t.amount for t in spends] == [3]
