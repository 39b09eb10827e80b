"""HTTP routes outside the websocket, mounted in front of Reflex through `api_transformer`."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import Route

from mediashare import routes
from mediashare.api import (
    accounts,
    audit_csv,
    auth,
    avatars,
    branding,
    catalog_art,
    faces,
    health,
    media,
    media_zip,
    payments_csv,
    shares,
    studio,
    tickets,
)


def build_api() -> Starlette:
    """Our Starlette app; Reflex mounts its own app below these routes."""
    return Starlette(
        routes=[
            Route(routes.API_HEALTH, health.health, methods=["GET"]),
            Route(routes.API_LOGIN, auth.login, methods=["POST"]),
            Route(routes.API_LOGIN_2FA, auth.two_factor_step, methods=["POST"]),
            Route(routes.API_LOGOUT, auth.logout, methods=["POST"]),
            Route(routes.API_REGISTER, accounts.register, methods=["POST"]),
            Route(routes.API_FORGOT_PASSWORD, accounts.forgot_password, methods=["POST"]),
            Route(routes.API_RESET_PASSWORD, accounts.reset_password, methods=["POST"]),
            Route(routes.API_CHANGE_PASSWORD, accounts.change_password, methods=["POST"]),
            Route(routes.API_CHANGE_EMAIL, accounts.change_email, methods=["POST"]),
            Route(routes.API_AVATAR, avatars.avatar, methods=["GET"]),
            Route(routes.API_CATALOG_ART, catalog_art.catalog_art, methods=["GET"]),
            Route(routes.API_BRAND_LOGO, branding.logo, methods=["GET"]),
            Route(routes.API_MEDIA_ZIP, media_zip.download_zip, methods=["GET"]),
            Route(routes.API_AUDIT_CSV, audit_csv.audit_csv, methods=["GET"]),
            Route(routes.API_PAYMENTS_CSV, payments_csv.payments_csv, methods=["GET"]),
            Route(routes.API_STUDIO_PREVIEW, studio.preview, methods=["GET"]),
            Route(routes.API_MEDIA, media.media_bytes, methods=["GET", "HEAD"]),
            Route(routes.API_FACE, faces.face_bytes, methods=["GET"]),
            Route(routes.API_TICKET_ATTACHMENT, tickets.attachment, methods=["GET"]),
            Route(routes.API_MEDIA_VERSION, media.version_bytes, methods=["GET", "HEAD"]),
            Route(routes.API_SHARE_UNLOCK, shares.unlock, methods=["POST"]),
            Route(routes.API_SHARE_ZIP, shares.share_zip, methods=["GET"]),
            Route(routes.API_SHARE_MEDIA, shares.share_media, methods=["GET", "HEAD"]),
        ]
    )
