"""The dashboards' push loops: they refresh the figures, re-authorize every turn, and end when the
page closes or the client goes away (no loop left behind after 20 open/close cycles)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import reflex as rx
from reflex.istate.data import RouterData
from sqlmodel import Session

import mediashare.mediashare  # noqa: F401  (registers every state, as in the app)
from mediashare import routes
from mediashare.models import Role, User
from mediashare.services import auth
from mediashare.state import dashboards, live_loops
from mediashare.state.dashboards import AdminDashboardState, UserDashboardState
from tests.factories import PASSWORD, make_user


def _state(session: Session, user: User, cls: type[rx.State], path: str, tab: str) -> tuple[Any, str]:
    token = auth.login(session, identifier=user.username, password=PASSWORD, client=auth.Client()).token
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data({"headers": {"cookie": f"{routes.SESSION_COOKIE}={token}"},
                                              "pathname": path, "query": {}, "asPath": path, "token": tab})
    return root.get_substate(cls.get_full_name().split(".")[1:]), token


async def _until(condition, timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.005)


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """Turns every 10 ms; the tabs in the returned set count as disconnected."""
    gone: set[str] = set()
    monkeypatch.setattr(dashboards, "REFRESH_SECONDS", 0.01)
    monkeypatch.setattr(live_loops, "tab_open", lambda token: token not in gone)
    return gone


def test_twenty_opened_and_closed_dashboards_leave_no_loop_running(session: Session, fast: set[str]) -> None:
    admin = make_user(session, role=Role.ADMIN, username="boss")

    async def cycles() -> None:
        for n in range(20):
            cls = AdminDashboardState if n % 4 < 2 else UserDashboardState
            path = routes.ADMIN_DASHBOARD if cls is AdminDashboardState else routes.DASHBOARD
            state, _ = _state(session, admin, cls, path, f"tab-{n}")
            assert cls.load.fn(state) == cls.push  # the page's loader starts its loop
            task = asyncio.create_task(cls.push.fn(state))
            await _until(lambda current=state: len(live_loops.LIVE_LOOPS) == 1 and current.live)
            if n % 2:
                cls.stop.fn(state)  # the page unmounted (the browser went elsewhere in the app)
            else:
                fast.add(f"tab-{n}")  # the tab closed: its websocket left the server
            await asyncio.wait_for(task, 5)
            assert live_loops.LIVE_LOOPS == {} and not state.live
        assert live_loops.LIVE_LOOPS == {}

    asyncio.run(cycles())


def test_the_loop_pushes_new_figures_and_stops_when_the_session_ends(session: Session, fast: set[str]) -> None:
    admin = make_user(session, role=Role.ADMIN, username="boss")

    async def watch() -> None:
        state, token = _state(session, admin, AdminDashboardState, routes.ADMIN_DASHBOARD, "tab-a")
        AdminDashboardState.load.fn(state)
        before = state.total_users
        task = asyncio.create_task(AdminDashboardState.push.fn(state))
        await asyncio.to_thread(make_user, session, parent=admin, username="newcomer")
        await _until(lambda: state.total_users == before + 1 and state.signups_today == before + 1)
        assert not task.done()
        await asyncio.to_thread(auth.logout, session, token=token, client=auth.Client())
        await asyncio.wait_for(task, 5)  # the next turn found no session behind the cookie
        assert not state.loaded and "sign in" in state.notice.lower() and live_loops.LIVE_LOOPS == {}

    asyncio.run(watch())


def test_the_loop_ends_when_the_browser_moved_to_another_page(session: Session, fast: set[str]) -> None:
    user = make_user(session, username="dora")

    async def leave() -> None:
        state, _ = _state(session, user, UserDashboardState, routes.DASHBOARD, "tab-b")
        UserDashboardState.load.fn(state)
        assert state.loaded and state.balance == 0 and state.total_items == 0
        task = asyncio.create_task(UserDashboardState.push.fn(state))
        await _until(lambda: state.live)
        state.router = RouterData.from_router_data({"pathname": routes.GALLERY, "asPath": routes.GALLERY,
                                                    "token": "tab-b", "headers": {}})
        await asyncio.wait_for(task, 5)
        assert live_loops.LIVE_LOOPS == {}

    asyncio.run(leave())
