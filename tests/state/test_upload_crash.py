"""A process killed in the middle of an upload leaves nothing behind once the reconciler has run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from mediashare.models import MediaItem, MediaStatus, User
from mediashare.services import auth, ingest, reconcile
from mediashare.settings import PROJECT_ROOT
from tests.factories import PASSWORD, make_user


def _killed_mid_upload(token: str, mode: str) -> None:
    child = subprocess.Popen([sys.executable, "-m", "tests.state.crash_upload", token, mode], cwd=PROJECT_ROOT,
                             env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()  # blocks until the child is where it should die
        assert line.strip() == "ready", child.stderr.read()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)


def _incoming() -> list[str]:
    folder = ingest.storage().incoming
    return [path.name for path in folder.iterdir()] if folder.is_dir() else []


@pytest.mark.parametrize("mode", ["mid-stream", "between-commits"])
def test_killing_the_server_mid_upload_then_reconciling_leaves_no_partial_file_and_no_pending_row(
        session: Session, mode: str) -> None:
    user = make_user(session)
    token = auth.login(session, identifier=user.username, password=PASSWORD, client=auth.Client()).token
    _killed_mid_upload(token, mode)

    session.expire_all()
    assert len(_incoming()) == 1  # what the dead process was receiving
    pending = session.exec(select(MediaItem).where(MediaItem.status == MediaStatus.PENDING)).all()
    assert len(pending) == (1 if mode == "between-commits" else 0)

    report = reconcile.reconcile(session, grace=timedelta(seconds=-1))
    assert report.partial_uploads_removed == 1 and report.pending_rows_removed == len(pending)
    session.expire_all()
    assert _incoming() == []
    items = session.exec(select(MediaItem)).all()
    assert [item.original_filename for item in items] == ["first.jpg"]  # the file finished before the kill
    assert items[0].status in (MediaStatus.STORED, MediaStatus.READY)
    assert session.get(User, user.id).storage_used_bytes == items[0].size_bytes  # the quota is given back
    assert [key for key, _ in ingest.storage().keys("originals")] == [items[0].storage_key]
