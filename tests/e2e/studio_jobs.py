"""Run with a server's environment (without REDIS_URL) as `python -m tests.e2e.studio_jobs`: renders
every pending studio version now, as a worker would, and prints their ids as JSON."""

from __future__ import annotations

import json

from sqlmodel import select

from mediashare import db
from mediashare.jobs import studio
from mediashare.models import MediaVersion, VersionStatus


def render_pending() -> list[int]:
    with db.session_scope() as session:
        ids = list(session.exec(select(MediaVersion.id).where(MediaVersion.status == VersionStatus.PENDING)).all())
    for version_id in ids:
        studio.render_version(version_id)  # type: ignore[arg-type]
    return ids  # type: ignore[return-value]


if __name__ == "__main__":
    print(json.dumps(render_pending()))
