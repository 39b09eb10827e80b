"""The dashboards' figures equal what the services say after a scripted set of actions: sign-ups,
a deactivation, uploads of three kinds (one trashed), credits granted, spent and refunded,
sign-ins and a sign-out, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from mediashare.errors import PermissionDenied
from mediashare.jobs import queue
from mediashare.models import MediaItem, MediaKind, Role, SystemAccount, User, utc_now
from mediashare.services import audit_log, auth, dashboards, gallery, ingest, ledger, user_admin, users
from tests.factories import PASSWORD, make_user
from tests.media_files import jpeg_bytes, png_bytes, wav_file

CLIENT = auth.Client(ip="203.0.113.9", user_agent="pytest")


def _upload(session: Session, user: User, filename: str, data: bytes) -> int:
    with ingest.Receiver(ingest.storage(), filename=filename, limit=ingest.limit_for(session, filename)) as receiver:
        receiver.write(data)
    assert receiver.result is not None
    return ingest.store(session, actor=user, owner_id=user.id, received=receiver.result, client=CLIENT).media_id


def test_dashboard_figures_match_the_services(session: Session, tmp_path) -> None:
    admin = make_user(session, role=Role.ADMIN, username="boss")
    alice = make_user(session, parent=admin, username="alice", verified=True)
    bob = make_user(session, parent=admin, username="bob")
    gone = make_user(session, parent=admin, username="gone")
    user_admin.deactivate(session, actor=admin, user_id=gone.id, client=CLIENT)

    photo = _upload(session, alice, "a.jpg", jpeg_bytes(seed=1))
    _upload(session, alice, "b.png", png_bytes(320, 200))
    sound = _upload(session, alice, "c.wav", wav_file(tmp_path / "c.wav").read_bytes())
    _upload(session, bob, "d.jpg", jpeg_bytes(seed=3))
    gallery.trash(session, actor=alice, ids=[photo])
    queue.drain_local()

    ledger.grant(session, actor=admin, to=alice, amount=100)
    ledger.grant(session, actor=admin, to=bob, amount=40)
    spend = ledger.spend(session, actor=alice, amount=30)
    ledger.spend(session, actor=alice, amount=5)
    ledger.refund(session, actor=admin, transaction_id=spend.id)

    kept = auth.login(session, identifier="alice", password=PASSWORD, client=CLIENT).token
    auth.login(session, identifier="bob", password=PASSWORD, client=CLIENT)
    left = auth.login(session, identifier="boss", password=PASSWORD, client=CLIENT).token
    auth.logout(session, token=left, client=CLIENT)
    assert auth.resolve(session, kept) is not None

    board = dashboards.admin_dashboard(session, actor=admin)
    session.expire_all()
    everyone = list(session.exec(select(User)).all())
    assert board.total_users == users.count(session) == len(everyone) == 5  # root, boss, alice, bob, gone
    assert board.active_users == 4
    counts = {row.role: (row.active, row.inactive) for row in board.users}
    assert counts[Role.USER] == (2, 1) and counts[Role.ADMIN] == (1, 0) and counts[Role.SUPERUSER] == (1, 0)
    assert board.signups[-1].value == 5 and sum(day.value for day in board.signups) == 5
    assert len(board.signups) == len(board.uploads) == len(board.credits) == dashboards.DAYS

    items = [item for user in everyone for item in gallery_items(session, user)]
    assert board.uploads[-1].items == 4 == len(items)
    assert board.uploads[-1].bytes == sum(item.size_bytes for item in items)
    by_kind = {figure.kind: figure for figure in board.bytes_by_kind}
    assert by_kind[MediaKind.IMAGE].items == 3 and by_kind[MediaKind.AUDIO].items == 1
    assert by_kind[MediaKind.VIDEO].items == 0
    assert by_kind[MediaKind.AUDIO].bytes == next(i.size_bytes for i in items if i.id == sound)
    assert board.storage_used_bytes == sum(user.storage_used_bytes for user in everyone) > 0

    assert board.credits[-1].issued == 140
    assert board.credits[-1].spent == ledger.system_balance(session, name=SystemAccount.CONSUMPTION) == 5
    assert board.credits_in_circulation == sum(ledger.balance(session, user=user) for user in everyone) == 135
    assert board.active_sessions == 2 and board.online_now == 2
    assert board.queue.backend == "local" and board.failed_items == 0
    logged = audit_log.query(session, actor=admin, filters=audit_log.AuditFilter(), limit=dashboards.RECENT_ROWS)
    assert [event.id for event in board.audit] == [entry.id for entry in logged.entries]
    assert board.audit[0].action == "auth.logout"

    mine = dashboards.user_dashboard(session, actor=session.get(User, alice.id))
    assert mine.balance == ledger.balance(session, user=alice) == 95
    assert mine.spent_30_days == 5 and mine.spending[-1].value == 5  # 30 + 5 spent, 30 refunded
    assert mine.storage_used_bytes == session.get(User, alice.id).storage_used_bytes
    assert mine.storage_quota_bytes == ingest.quota_for(session, alice)
    kinds = {figure.kind: figure.items for figure in mine.items_by_kind}
    assert kinds == {MediaKind.IMAGE: 1, MediaKind.AUDIO: 1, MediaKind.VIDEO: 0} and mine.in_trash == 1
    shown = [item.id for item in mine.recent_uploads]
    assert shown[0] == sound and photo not in shown
    actions = audit_log.query(session, actor=admin, filters=audit_log.AuditFilter(actor="alice"))
    assert [event.id for event in mine.activity] == [entry.id for entry in actions.entries][:dashboards.RECENT_ROWS]
    assert mine.activity[0].action == "auth.login_succeeded"

    bobs = dashboards.user_dashboard(session, actor=session.get(User, bob.id))
    assert bobs.balance == 40 and bobs.spent_30_days == 0 and len(bobs.recent_uploads) == 1


def gallery_items(session: Session, user: User) -> list[MediaItem]:
    return list(session.exec(select(MediaItem).where(MediaItem.owner_id == user.id)).all())


def test_only_admins_see_the_platform(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    reseller = make_user(session, role=Role.RESELLER, parent=admin)
    with pytest.raises(PermissionDenied):
        dashboards.admin_dashboard(session, actor=reseller)
    assert dashboards.admin_dashboard(session, actor=admin, now=utc_now()).total_users == 3


def test_a_failed_local_job_is_listed() -> None:
    def broken(media_id: int) -> None:
        raise ValueError(f"cannot read item {media_id}")

    before = queue.stats().failed
    queue.enqueue(broken, 7)
    queue.drain_local()
    assert queue.stats().failed == before + 1
    latest = queue.recent_failures(limit=1)[0]
    assert latest.job.endswith("broken") and latest.error == "ValueError: cannot read item 7"
