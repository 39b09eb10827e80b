"""The bell's live loop (`NotificationState.watch`): it brings new notifications into the count, and it
ends when the tab closes, the person signs out or the bell mounts again in the same tab (no loop left
behind after 20 open/close cycles)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import reflex as rx
from reflex.istate.data import RouterData
from sqlmodel import Session

import mediashare.mediashare  # noqa: F401  (registers every state, as in the app)
from mediashare import routes
from mediashare.models import User
from mediashare.services import auth, notifications
from mediashare.state import live_loops
from mediashare.state import notifications as bell
from mediashare.state.notifications import NotificationState
from tests.factories import PASSWORD, make_user


def _tab(session: Session, user: User, tab: str) -> tuple[Any, str]:
    """The bell's state in a tab signed in as `user` (a fresh session), and that session's token."""
    token = auth.login(session, identifier=user.username, password=PASSWORD, client=auth.Client()).token
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data({"headers": {"cookie": f"{routes.SESSION_COOKIE}={token}"},
                                              "pathname": routes.GALLERY, "query": {}, "asPath": routes.GALLERY,
                                              "token": tab})
    return root.get_substate(NotificationState.get_full_name().split(".")[1:]), token


async def _until(condition, timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.005)


def _loops(tab: str) -> list[str]:
    return [loop_id for loop_id in live_loops.LIVE_LOOPS if loop_id.startswith(f"bell:{tab}:")]


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The bell polls every 10 ms; the tabs in the returned set count as closed (socket gone)."""
    closed: set[str] = set()
    monkeypatch.setattr(bell, "POLL_SECONDS", 0.01)
    monkeypatch.setattr(live_loops, "tab_open", lambda token: token not in closed)
    return closed


def test_twenty_opened_and_closed_tabs_leave_no_bell_loop_running(session: Session, fast: set[str]) -> None:
    user = make_user(session, username="bella")

    async def cycles() -> None:
        for n in range(20):
            tab = f"tab-{n}"
            state, token = _tab(session, user, tab)
            task = asyncio.create_task(NotificationState.watch.fn(state))
            await _until(lambda: len(live_loops.LIVE_LOOPS) == 1)
            how = n % 3
            if how == 0:
                fast.add(tab)  # the tab closed: its websocket left the server
            elif how == 1:
                await asyncio.to_thread(auth.logout, session, token=token, client=auth.Client())
            else:  # the bell mounted again in the same tab (another page): the newer loop takes over
                again, _ = _tab(session, user, tab)
                newer = asyncio.create_task(NotificationState.watch.fn(again))
                await asyncio.wait_for(task, 5)
                await _until(lambda current=tab: len(_loops(current)) == 1)
                task = newer
                fast.add(tab)
            await asyncio.wait_for(task, 5)
            assert live_loops.LIVE_LOOPS == {}
        assert live_loops.LIVE_LOOPS == {} and live_loops._newest == {}

    asyncio.run(cycles())


def test_the_bell_counts_new_notifications_while_the_tab_is_open(session: Session, fast: set[str]) -> None:
    user = make_user(session, username="bella")

    async def watch() -> None:
        state, _ = _tab(session, user, "tab-a")
        task = asyncio.create_task(NotificationState.watch.fn(state))
        await _until(lambda: len(live_loops.LIVE_LOOPS) == 1)
        assert state.unread == 0

        def notify() -> None:
            notifications.create(session, user=user, kind="referral", title="Dora joined")
            session.commit()

        await asyncio.to_thread(notify)
        await _until(lambda: state.unread == 1)
        assert not task.done()
        fast.add("tab-a")
        await asyncio.wait_for(task, 5)
        assert live_loops.LIVE_LOOPS == {}

    asyncio.run(watch())
