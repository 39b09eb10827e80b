"""Playable versions of videos: which videos need one, the settings they are made with, the rows
that track them (status and progress for the uploader), and the keys the byte route serves.

A video a browser cannot play as it is (HEVC, Matroska, AVI, MPEG-4 part 2, WMV, …; decided by
probing its container and codecs, `imaging.transcoder`) gets an H.264/AAC MP4 "playable"
rendition, and optionally smaller qualities (platform setting `transcode_extra_qualities`), made
by `jobs.transcode`. The original is never changed and stays downloadable whatever happens here.

Renditions are derivatives, like previews and thumbnails: they do not count against the owner's
storage quota (the owner did not choose to store them, and they disappear with the item).

Rows move pending → running → ready | failed, or are `not_needed` (the original plays as it is).
A run claims its row with a random token (a conditional update), so two workers never make the
same rendition; progress and the result are written only by the run holding the claim.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from mediashare.errors import NotFound, ValidationFailed
from mediashare.imaging import transcoder
from mediashare.jobs import queue
from mediashare.models import (
    AuditAction,
    MediaItem,
    MediaKind,
    MediaRendition,
    MediaStatus,
    RenditionStatus,
    User,
    utc_now,
)
from mediashare.services import access, audit, ingest, platform

MAIN = "playable"
EXTRA_QUALITIES = ("720p", "480p")
LABELS = (MAIN, *EXTRA_QUALITIES)
# The byte-route variant of each rendition (services/media.py serves them).
VARIANT_OF = {MAIN: "playable", "720p": "playable-720", "480p": "playable-480"}
LABEL_OF_VARIANT = {variant: label for label, variant in VARIANT_OF.items()}
PRESETS = ("ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow")
DEFAULT_PROFILES: dict[str, dict[str, int | str]] = {
    MAIN: {"max_height": 1080, "crf": 23, "preset": "veryfast", "audio_kbps": 128},
    "720p": {"max_height": 720, "crf": 23, "preset": "veryfast", "audio_kbps": 128},
    "480p": {"max_height": 480, "crf": 24, "preset": "veryfast", "audio_kbps": 96},
}
STALLED_AFTER = timedelta(minutes=3)  # a running row not updated this long: its run was lost
PROGRESS_EVERY_SECONDS = 1.0
_ACTIVE = (RenditionStatus.PENDING, RenditionStatus.RUNNING)


# ---- settings ------------------------------------------------------------------------------------

def _clamped(value: object, low: int, high: int, default: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        return default
    return max(low, min(high, value))


def profiles(session: Session) -> dict[str, transcoder.Profile]:
    """The profile of every rendition label (defaults, overridden by `transcode_profiles`)."""
    stored = platform.get(session, "transcode_profiles")
    made: dict[str, transcoder.Profile] = {}
    for label, default in DEFAULT_PROFILES.items():
        chosen = stored.get(label) if isinstance(stored.get(label), dict) else {}
        preset = chosen.get("preset", default["preset"])
        made[label] = transcoder.Profile(
            max_height=_clamped(chosen.get("max_height"), 144, 2160, int(default["max_height"])),
            crf=_clamped(chosen.get("crf"), 0, 51, int(default["crf"])),
            preset=preset if preset in PRESETS else str(default["preset"]),
            audio_kbps=_clamped(chosen.get("audio_kbps"), 32, 320, int(default["audio_kbps"])),
        )
    return made


def set_profile(session: Session, *, actor: User, label: object, max_height: object, crf: object,
                preset: object, audio_kbps: object) -> None:
    """Change how rendition `label` is made (admins); audited by platform.set_value. Applies to
    renditions made from now on."""
    access.require_role(actor, platform.DEFINITIONS["transcode_profiles"].editor)
    if label not in DEFAULT_PROFILES:
        raise ValidationFailed("That is not a rendition (playable, 720p or 480p).", field="label")
    checks = (("max_height", max_height, 144, 2160, "The maximum height"), ("crf", crf, 0, 51, "The quality (CRF)"),
              ("audio_kbps", audio_kbps, 32, 320, "The audio bitrate"))
    for name, value, low, high, what in checks:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValidationFailed(f"{what} must be a whole number from {low} to {high}.", field=name)
    if preset not in PRESETS:
        raise ValidationFailed(f"The speed preset must be one of {', '.join(PRESETS)}.", field="preset")
    current = dict(platform.get(session, "transcode_profiles"))
    current[str(label)] = {"max_height": max_height, "crf": crf, "preset": preset, "audio_kbps": audio_kbps}
    platform.set_value(session, actor=actor, key="transcode_profiles", value=current)


# The numeric transcoding settings an operator may change, with the range each must be in.
LIMIT_RANGES: dict[str, tuple[int, int, str]] = {
    "transcode_max_duration_seconds": (60, 24 * 3600, "The longest video converted"),
    "transcode_max_source_pixels": (320 * 240, 7680 * 4320, "The largest video picture converted"),
    "transcode_timeout_seconds": (60, 24 * 3600, "The time limit of one conversion"),
    "transcode_max_output_bytes": (16 * 1024**2, 64 * 1024**3, "The largest playable version"),
    "transcode_threads": (1, 16, "The threads one conversion may use"),
}


def clean_limit(key: str, value: object) -> int:
    """`value` as transcoding setting `key` (LIMIT_RANGES); else ValidationFailed naming the range."""
    low, high, what = LIMIT_RANGES[key]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationFailed(f"{what} must be a whole number from {low:,} to {high:,}.", field=key)
    return value


def set_limit(session: Session, *, actor: User, key: str, value: object) -> int:
    """Change one numeric transcoding setting (admins; audited by platform.set_value)."""
    access.require_role(actor, platform.DEFINITIONS[key].editor)
    if key not in LIMIT_RANGES:
        raise ValidationFailed("That is not a transcoding limit.", field="key")
    platform.set_value(session, actor=actor, key=key, value=clean_limit(key, value))
    return int(value)  # type: ignore[arg-type]


def set_extra_qualities(session: Session, *, actor: User, labels: object) -> list[str]:
    """Choose the smaller qualities made besides the playable version (admins; audited)."""
    access.require_role(actor, platform.DEFINITIONS["transcode_extra_qualities"].editor)
    if not isinstance(labels, list) or any(label not in EXTRA_QUALITIES for label in labels):
        raise ValidationFailed(f"Choose among {', '.join(EXTRA_QUALITIES)}.", field="transcode_extra_qualities")
    chosen = [label for label in EXTRA_QUALITIES if label in labels]
    platform.set_value(session, actor=actor, key="transcode_extra_qualities", value=chosen)
    return chosen


def limits(session: Session) -> transcoder.Limits:
    return transcoder.Limits(
        timeout_seconds=float(platform.get(session, "transcode_timeout_seconds")),
        max_output_bytes=int(platform.get(session, "transcode_max_output_bytes")),
        threads=_clamped(platform.get(session, "transcode_threads"), 1, 16, 2),
    )


def extra_qualities(session: Session) -> list[str]:
    chosen = platform.get(session, "transcode_extra_qualities")
    return [label for label in EXTRA_QUALITIES if label in chosen]


# ---- planning (jobs) -----------------------------------------------------------------------------

def source_problem(session: Session, found: transcoder.Probe) -> str | None:
    """Why a probed original is not converted (too long, too large), or None."""
    longest = int(platform.get(session, "transcode_max_duration_seconds"))
    if found.duration_seconds is None:
        return "The video's length could not be read, so it is not converted."
    if found.duration_seconds > longest:
        return (f"The video is {found.duration_seconds / 60:,.0f} minutes long; videos up to "
                f"{longest / 60:,.0f} minutes are converted.")
    most = int(platform.get(session, "transcode_max_source_pixels"))
    if not found.width or not found.height:
        return "The video's picture size could not be read, so it is not converted."
    if found.width * found.height > most:
        return (f"The video is {found.width}×{found.height}; videos up to {most / 1_000_000:,.1f} megapixels "
                "are converted.")
    return None


def original_path(item: MediaItem) -> Path:
    return ingest.storage().path(item.storage_key)


def plan(session: Session, media_id: int) -> list[int]:
    """Decide what item `media_id` needs (probing its original once) and return the ids of the
    renditions waiting to be made. Rows already there are kept; idempotent."""
    item = session.get(MediaItem, media_id)
    if item is None or item.kind is not MediaKind.VIDEO or item.status is MediaStatus.PENDING:
        return []
    if not platform.get(session, "transcode_enabled"):
        return []
    existing = {row.label: row for row in session.exec(select(MediaRendition)
                                                       .where(MediaRendition.media_id == media_id))}
    if MAIN not in existing:
        wanted: list[MediaRendition] = []
        try:
            found = transcoder.probe(original_path(item))
            problem = source_problem(session, found)
        except transcoder.TranscodeError as error:
            found, problem = None, str(error)
        now = utc_now()
        if problem is not None or found is None:
            wanted.append(MediaRendition(media_id=media_id, label=MAIN, status=RenditionStatus.FAILED,
                                         error=(problem or "The video could not be read.")[:500], finished_at=now))
        else:
            main_profile = profiles(session)[MAIN]
            playable = found.browser_playable(item.extension)
            wanted.append(MediaRendition(
                media_id=media_id, label=MAIN,
                status=RenditionStatus.NOT_NEEDED if playable else RenditionStatus.PENDING,
                height=transcoder.target_size(found, main_profile.max_height)[1],
                duration_seconds=found.duration_seconds, finished_at=now if playable else None))
            shown_height = transcoder.target_size(found, 10**5)[1]
            for label in extra_qualities(session):
                profile = profiles(session)[label]
                if profile.max_height < min(shown_height, main_profile.max_height if not playable else 10**5):
                    wanted.append(MediaRendition(media_id=media_id, label=label, height=profile.max_height,
                                                 duration_seconds=found.duration_seconds))
        for row in wanted:
            session.add(row)
        try:
            session.commit()
        except IntegrityError:  # another run planned it at the same moment: use its rows
            session.rollback()
    return list(session.exec(select(MediaRendition.id).where(MediaRendition.media_id == media_id,
                                                             MediaRendition.status == RenditionStatus.PENDING)
                             .order_by(col(MediaRendition.id))).all())


@dataclass(frozen=True)
class Claimed:
    """A rendition a run now owns, with what the run needs (no rows: the run is long)."""

    rendition_id: int
    media_id: int
    label: str
    token: str
    source: Path
    extension: str


def claim(session: Session, rendition_id: int, *, now: datetime | None = None) -> Claimed | None:
    """Take a pending rendition (or a running one whose run was lost) for this run; None when it
    is not waiting (made, failed, or running elsewhere) or its item is gone or trashed for good."""
    now = now or utc_now()
    token = uuid.uuid4().hex
    taken = session.exec(update(MediaRendition)  # type: ignore[call-overload]
                         .where(col(MediaRendition.id) == rendition_id,
                                or_(col(MediaRendition.status) == RenditionStatus.PENDING,
                                    (col(MediaRendition.status) == RenditionStatus.RUNNING)
                                    & (col(MediaRendition.updated_at) < now - STALLED_AFTER)))
                         .values(status=RenditionStatus.RUNNING, claim=token, progress=0.0, started_at=now,
                                 updated_at=now, error="")).rowcount
    session.commit()
    if taken != 1:
        return None
    row = session.get(MediaRendition, rendition_id)
    item = session.get(MediaItem, row.media_id) if row is not None else None
    if row is None or item is None:
        return None
    return Claimed(rendition_id=rendition_id, media_id=item.id, label=row.label, token=token,  # type: ignore[arg-type]
                   source=original_path(item), extension=item.extension)


def report_progress(session: Session, claimed: Claimed, fraction: float) -> bool:
    """Store the progress of a running rendition; False when this run no longer owns it."""
    moved = session.exec(update(MediaRendition)  # type: ignore[call-overload]
                         .where(col(MediaRendition.id) == claimed.rendition_id,
                                col(MediaRendition.claim) == claimed.token,
                                col(MediaRendition.status) == RenditionStatus.RUNNING)
                         .values(progress=max(0.0, min(1.0, float(fraction))), updated_at=utc_now())).rowcount
    session.commit()
    return moved == 1


def finish(session: Session, claimed: Claimed, *, key: str, result: transcoder.Result,
           duration: float | None) -> bool:
    """Record the made file; False (the caller removes the file) when this run lost its claim."""
    now = utc_now()
    done = session.exec(update(MediaRendition)  # type: ignore[call-overload]
                        .where(col(MediaRendition.id) == claimed.rendition_id,
                               col(MediaRendition.claim) == claimed.token,
                               col(MediaRendition.status) == RenditionStatus.RUNNING)
                        .values(status=RenditionStatus.READY, storage_key=key, size_bytes=result.size_bytes,
                                width=result.width, height=result.height, duration_seconds=duration,
                                progress=1.0, error="", claim=None, updated_at=now, finished_at=now)).rowcount
    session.commit()
    return done == 1


def fail(session: Session, claimed: Claimed, message: str) -> None:
    """Record why a run failed (the original stays as it was)."""
    now = utc_now()
    session.exec(update(MediaRendition)  # type: ignore[call-overload]
                 .where(col(MediaRendition.id) == claimed.rendition_id, col(MediaRendition.claim) == claimed.token)
                 .values(status=RenditionStatus.FAILED, error=message[:500] or "The conversion failed.",
                         claim=None, updated_at=now, finished_at=now))
    session.commit()


def probe_for(claimed: Claimed) -> transcoder.Probe:
    return transcoder.probe(claimed.source)


def stalled(session: Session, *, now: datetime | None = None, batch: int = 1000) -> tuple[list[int], list[int]]:
    """(renditions whose run was lost or never started, videos never planned), for the periodic
    resume: rows pending or running without an update for STALLED_AFTER, and ready videos stored
    that long ago with no rendition row at all."""
    cutoff = (now or utc_now()) - STALLED_AFTER
    renditions = list(session.exec(select(MediaRendition.id)
                                   .where(col(MediaRendition.status).in_(_ACTIVE),
                                          col(MediaRendition.updated_at) < cutoff)
                                   .order_by(col(MediaRendition.id)).limit(batch)).all())
    if not platform.get(session, "transcode_enabled"):
        return renditions, []
    planned = select(MediaRendition.media_id).where(MediaRendition.media_id == MediaItem.id).exists()
    unplanned = list(session.exec(select(MediaItem.id)
                                  .where(MediaItem.kind == MediaKind.VIDEO, MediaItem.status == MediaStatus.READY,
                                         col(MediaItem.updated_at) < cutoff, ~planned)
                                  .order_by(col(MediaItem.id)).limit(batch)).all())
    return renditions, unplanned  # type: ignore[return-value]


# ---- viewers ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RenditionView:
    label: str
    variant: str
    status: str
    progress: float
    error: str
    height: int | None


def for_viewer(session: Session, *, actor: User, media_id: int) -> list[RenditionView]:
    """The renditions of an item `actor` may see (NotFound otherwise), main one first."""
    from mediashare.services import media  # media serves the files; it builds on this module

    item = media.viewable(session, actor=actor, media_id=media_id, include_trashed=True)
    rows = session.exec(select(MediaRendition).where(MediaRendition.media_id == item.id)).all()
    rows = sorted(rows, key=lambda row: LABELS.index(row.label) if row.label in LABELS else len(LABELS))
    return [RenditionView(label=row.label, variant=VARIANT_OF.get(row.label, ""), status=row.status.value,
                          progress=row.progress, error=row.error, height=row.height) for row in rows]


def ready_key(session: Session, media_id: int, variant: str) -> str | None:
    """The storage key (area "derived") of the ready rendition behind byte-route `variant`."""
    label = LABEL_OF_VARIANT.get(variant)
    if label is None:
        return None
    return session.exec(select(MediaRendition.storage_key)
                        .where(MediaRendition.media_id == media_id, MediaRendition.label == label,
                               MediaRendition.status == RenditionStatus.READY)).first()


def stream_variant(session: Session, media_id: int) -> str:
    """The byte-route variant a player should stream: the main playable version when one is ready
    (the original is not browser-playable), else the original. The caller has authorized."""
    return VARIANT_OF[MAIN] if ready_key(session, media_id, VARIANT_OF[MAIN]) else "original"


def retry(session: Session, *, actor: User, media_id: int) -> int:
    """Try failed renditions of an item again (its owner, or an account managing the owner);
    returns how many were queued again. The job probes and checks the limits again, with the
    current settings."""
    from mediashare.services import media

    item = media.viewable(session, actor=actor, media_id=media_id)
    rows = session.exec(select(MediaRendition).where(MediaRendition.media_id == item.id,
                                                     MediaRendition.status == RenditionStatus.FAILED)).all()
    if not rows:
        raise NotFound("Nothing failed to convert for this item.")
    now = utc_now()
    for row in rows:
        row.status, row.error, row.progress, row.claim, row.updated_at = RenditionStatus.PENDING, "", 0.0, None, now
        row.finished_at = None
        session.add(row)
    audit.record(session, action=AuditAction.MEDIA_UPDATED, actor=actor, target=session.get(User, item.owner_id),
                 details={"media_id": item.id, "fields": ["renditions"]})
    session.commit()
    for row in rows:
        queue_rendition(row.id)  # type: ignore[arg-type]
    return len(rows)


def queue_plan(media_id: int) -> None:
    queue.enqueue("mediashare.jobs.transcode.prepare", media_id, job_id=f"transcode-plan-{media_id}")


def queue_rendition(rendition_id: int) -> None:
    queue.enqueue("mediashare.jobs.transcode.make_rendition", rendition_id, job_id=f"rendition-{rendition_id}")


# ---- housekeeping ------------------------------------------------------------------------------------

def keys_of_items(session: Session, media_ids: list[int]) -> list[str]:
    """The rendition files of these items (deleted with them)."""
    if not media_ids:
        return []
    return [key for key in session.exec(select(MediaRendition.storage_key)
                                        .where(col(MediaRendition.media_id).in_(media_ids))).all() if key]


def all_keys(session: Session) -> set[str]:
    """Every rendition file a row points at (the reconciler keeps them)."""
    return {key for key in session.exec(select(MediaRendition.storage_key)).all() if key}
