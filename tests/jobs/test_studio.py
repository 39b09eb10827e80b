"""The full-resolution render job: failures keep no file and cost nothing, running twice keeps one
set of files, a version deleted meanwhile leaves nothing behind (both databases)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from mediashare import db
from mediashare.jobs import studio
from mediashare.models import ChargeStatus, CreditCharge, MediaVersion, User
from mediashare.services import credits, studio_versions
from tests.services.test_credits import _balance, _with_credits
from tests.services.test_media import stored
from tests.services.test_studio_versions import derived_files, original_sha

OPS = [{"op": "auto_levels", "low": 1, "high": 99}, {"op": "rotate", "quarter_turns": 1}]


def _pending(session: Session, owner: User, media_id: int, ops: list | None = None) -> MediaVersion:
    """A saved version whose job has not run yet (as if the queue had not picked it up)."""
    version = MediaVersion(media_id=media_id, number=1, ops=ops if ops is not None else OPS)
    session.add(version)
    session.flush()
    version.charge_id = credits.charge(session, owner, credits.Action.STUDIO_SAVE, hold=True).id
    session.commit()
    return version


def _after(session: Session, version_id: int) -> MediaVersion | None:
    session.expire_all()
    return session.get(MediaVersion, version_id)


@pytest.fixture
def owner(session: Session, monkeypatch: pytest.MonkeyPatch) -> User:
    """An account with 10 credits while a save costs 3, so a charge shows in the balance."""
    monkeypatch.setitem(credits.PRICES, credits.Action.STUDIO_SAVE, 3)
    return _with_credits(session, 10)


def test_running_the_job_twice_keeps_one_set_of_files(session: Session, owner: User) -> None:
    item = stored(session, owner)
    before = derived_files()
    version = _pending(session, owner, item.id)
    assert studio.render_version(version.id) == "ready"
    done = _after(session, version.id)
    files = derived_files()
    assert files - before == set(studio_versions.version_keys(done)) and len(files - before) == 4
    assert (done.width, done.height) == (item.height, item.width)  # rotated a quarter turn
    assert studio.render_version(version.id) == "ready"
    assert derived_files() == files and _after(session, version.id).storage_key == done.storage_key
    assert _balance(session, owner) == 7
    assert session.get(CreditCharge, done.charge_id).status is ChargeStatus.CAPTURED
    assert original_sha(item) == item.sha256


def test_a_failure_while_storing_keeps_no_file_and_gives_the_credits_back(
        session: Session, owner: User, monkeypatch: pytest.MonkeyPatch) -> None:
    item = stored(session, owner)
    before = derived_files()
    version = _pending(session, owner, item.id)
    real_encode = studio.derivatives.encode

    def encode_until_jpeg(image, *, format: str = "WEBP", quality: int = 80) -> bytes:
        if format == "JPEG":  # the full file and the WebP preview are stored by now
            raise OSError("No space left on device")
        return real_encode(image, format=format, quality=quality)

    monkeypatch.setattr(studio.derivatives, "encode", encode_until_jpeg)
    assert studio.render_version(version.id) == "failed"
    failed = _after(session, version.id)
    assert failed.status.value == "failed" and "try saving it again" in failed.error
    assert studio_versions.version_keys(failed) == [] and derived_files() == before
    assert _balance(session, owner) == 10
    assert session.get(CreditCharge, failed.charge_id).status is ChargeStatus.RELEASED
    assert studio.render_version(version.id) == "failed"  # a retry changes nothing
    assert _balance(session, owner) == 10


def test_ops_that_no_longer_parse_fail_with_the_reason(session: Session, owner: User) -> None:
    item = stored(session, owner)
    version = _pending(session, owner, item.id, ops=[{"op": "melt"}])
    assert studio.render_version(version.id) == "failed"
    assert "melt" in _after(session, version.id).error


def test_a_version_deleted_before_its_job_ran_leaves_nothing(session: Session, owner: User) -> None:
    item = stored(session, owner)
    before = derived_files()
    version = _pending(session, owner, item.id)
    studio_versions.delete_version(session, owner, item.id, version.id)
    assert studio.render_version(version.id) == "missing"
    assert derived_files() == before and _balance(session, owner) == 10


def test_a_version_deleted_while_rendering_keeps_none_of_the_jobs_files(
        session: Session, owner: User, monkeypatch: pytest.MonkeyPatch) -> None:
    item = stored(session, owner)
    before = derived_files()
    version = _pending(session, owner, item.id)
    real_render = studio.pipeline.render

    def render_then_owner_deletes(image, ops, *, scale: float = 1.0):
        result = real_render(image, ops, scale=scale)
        with db.session_scope() as other:  # the owner, in another request, meanwhile
            studio_versions.delete_version(other, other.get(User, owner.id), item.id, version.id)
        return result

    monkeypatch.setattr(studio.pipeline, "render", render_then_owner_deletes)
    assert studio.render_version(version.id) == "missing"
    assert derived_files() == before and _after(session, version.id) is None
    assert _balance(session, owner) == 10


def test_a_lost_render_is_queued_again_and_settles_its_storage(
        session: Session, owner: User, monkeypatch: pytest.MonkeyPatch) -> None:
    import json
    from datetime import timedelta

    from mediashare.jobs import queue, schedule
    from mediashare.models import VersionStatus, utc_now

    item = stored(session, owner)
    monkeypatch.setattr(studio_versions, "RENDER_JOB", "tests.services.test_studio_storage.render_later")
    lost = studio_versions.save_version(session, owner, item.id, json.dumps(OPS)).id
    fresh = studio_versions.save_version(session, owner, item.id, json.dumps(OPS)).id
    queue.drain_local()
    monkeypatch.undo()
    version = session.get(MediaVersion, lost)
    version.created_at = utc_now() - timedelta(minutes=10)
    session.commit()
    reserved = studio_versions.reserved_bytes(item, "jpg")
    assert session.get(User, owner.id).storage_used_bytes == item.size_bytes + 2 * reserved

    assert studio.resume_stalled() == 1  # the fresh one may still be in the queue: left alone
    queue.drain_local()
    session.expire_all()
    version = session.get(MediaVersion, lost)
    assert version.status is VersionStatus.READY
    assert session.get(MediaVersion, fresh).status is VersionStatus.PENDING
    assert session.get(User, owner.id).storage_used_bytes == item.size_bytes + version.size_bytes + reserved
    assert studio.resume_stalled() == 0
    assert schedule.TASKS["resume_renders"].job == "mediashare.jobs.studio.resume_stalled"
