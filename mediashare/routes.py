"""Route constants and URL builders: every path the app links to is named here."""

from __future__ import annotations

HOME = "/"
LOGIN = "/login"
LOGIN_2FA = "/login/two-factor"
REGISTER = "/register"
VERIFY_EMAIL = "/verify-email"
FORGOT_PASSWORD = "/forgot-password"
RESET_PASSWORD = "/reset-password"
ACCOUNT = "/account"
SECURITY = "/account/security"
SESSIONS = "/account/sessions"
NOTIFICATIONS = "/notifications"  # ?show=unread&page=N
NOTIFICATION_SETTINGS = "/account/notifications"  # which kinds show in the app and go by email
UPLOAD = "/upload"
DASHBOARD = "/dashboard"  # my library, credits and activity, live
ADMIN_DASHBOARD = "/admin"  # the platform at a glance, live
SYSTEM = "/admin/system"
ADMIN_USERS = "/admin/users"
ADMIN_AUDIT = "/admin/audit"
CUSTOMERS = "/customers"
RESELLER = "/reseller"  # ?reseller=<id>: admins open a reseller's dashboard
GALLERY = "/gallery"
FAVORITES = "/favorites"
TRASH = "/trash"
TIMELINE = "/timeline"
MAP = "/map"
ALBUMS = "/albums"
ALBUM = "/albums/[album_id]"
ADMIN_MEDIA = "/admin/media"
ADMIN_MEDIA_TYPES = "/admin/media-types"
PRIVACY = "/privacy"
MEDIA_DETAIL = "/media/[media_id]"
HISTORY = "/history"
STUDIO = "/studio/[media_id]"
TERMS = "/terms"
CREDITS = "/credits"
ADMIN_PRICES = "/admin/prices"
REFERRED = "/referred"  # ?code=…: the landing page of an invitation link
REFERRALS = "/referrals"
BRANDING = "/branding"
RESELLER_PAGE = "/r/[reseller_slug]"  # a reseller's own sign-in page, with its branding
TOP_UP = "/top-up"  # ask for credits or a plan
TOP_UPS = "/top-ups"  # the requests a reseller or admin decides
ADMIN_PLANS = "/admin/plans"
ADMIN_PAYMENTS = "/admin/payments"
CAMERA = "/camera"
CATALOG = "/catalog"  # ?series=<title>: one series' seasons
CATALOG_ENTRY = "/catalog/[entry_id]"
CATALOG_MANAGE = "/catalog/manage"
CATALOG_HISTORY = "/catalog/history"  # what I played
CATALOG_ALBUM = "/catalog/album/[album_key]"  # a music album (services/catalog_albums.py)
SHARES = "/shares"  # the links I shared
SHARE_PAGE = "/s/[token]"  # a share link's public page
PEOPLE = "/people"
PERSON = "/people/[person_id]"
ADMIN_GENRES = "/admin/genres"
SUPPORT = "/support"  # my tickets; open a ticket
SUPPORT_QUEUE = "/support/queue"  # the tickets a reseller or admin handles
SUPPORT_TICKET = "/support/ticket/[ticket_id]"
ADMIN_SETTINGS = "/admin/settings"  # platform settings (superusers)
ADMIN_METADATA = "/admin/metadata"  # metadata providers: keys, order, allowed hosts, a test search

API_HEALTH = "/api/health"
API_LOGIN = "/api/auth/login"
API_LOGIN_2FA = "/api/auth/two-factor"
API_LOGOUT = "/api/auth/logout"
API_AUDIT_CSV = "/api/admin/audit.csv"
API_PAYMENTS_CSV = "/api/admin/payments.csv"
API_AVATAR = "/api/avatars/{user_id}"
API_BRAND_LOGO = "/api/branding/{branding_id}/logo"
API_MEDIA = "/api/media/{media_id}/{variant}"
API_CATALOG_ART = "/api/catalog/{entry_id}/art/{which}"  # imported poster/backdrop
API_MEDIA_VERSION = "/api/media/{media_id}/versions/{version_id}/{variant}"
API_REGISTER = "/api/auth/register"
API_FORGOT_PASSWORD = "/api/auth/forgot-password"
API_RESET_PASSWORD = "/api/auth/reset-password"
API_CHANGE_PASSWORD = "/api/account/password"
API_CHANGE_EMAIL = "/api/account/email"
API_MEDIA_ZIP = "/api/media/zip"
API_STUDIO_PREVIEW = "/api/studio/{media_id}/preview/{seq}"
API_SHARE_UNLOCK = "/api/s/{token}/unlock"
API_SHARE_ZIP = "/api/s/{token}/zip"
API_SHARE_MEDIA = "/api/s/{token}/{media_id}/{variant}"
API_FACE = "/api/faces/{tag_id}"
API_TICKET_ATTACHMENT = "/api/tickets/attachments/{attachment_id}"

REFLEX_UPLOAD = "/_upload"  # Reflex's own upload endpoint (POST), capped by api/upload_limit.py

SESSION_COOKIE = "ms_session"
DEVICE_COOKIE = "ms_device"


def safe_next(path: str) -> str:
    """A local path to return to after login; anything else (other hosts, schemes) becomes HOME."""
    if not path.startswith("/") or path.startswith("//") or "\\" in path or any(ord(c) < 32 for c in path):
        return HOME
    if path.startswith(("/api/", "/_")):
        return HOME
    return path[:512]


def ticket_url(ticket_id: int) -> str:
    """The page of one support ticket."""
    return f"/support/ticket/{ticket_id}"


def ticket_attachment_url(attachment_id: int) -> str:
    """A picture attached to a support ticket (our route checks who asks)."""
    return f"/api/tickets/attachments/{attachment_id}"


def media_url(media_id: int) -> str:
    """The page of one media item."""
    return f"/media/{media_id}"


def catalog_art_url(entry_id: int, which: str, key: str) -> str:
    """An entry's imported poster or backdrop (which: "poster"/"backdrop"); `key` versions the URL."""
    return API_CATALOG_ART.format(entry_id=entry_id, which=which) + f"?v={key.rsplit('.', 1)[0]}"


def catalog_album_url(album_key: str) -> str:
    """The page of one music album."""
    return CATALOG_ALBUM.replace("[album_key]", album_key)


def avatar_url(user_id: int, version: str) -> str:
    """The avatar of account `user_id`; `version` changes with the picture, so caches never go stale."""
    return API_AVATAR.format(user_id=user_id) + f"?v={version}"


def brand_logo_url(branding_id: int, version: str) -> str:
    """A reseller's logo; `version` is its content hash, so the URL can be cached for good."""
    return API_BRAND_LOGO.format(branding_id=int(branding_id)) + f"?v={version}"


def reseller_page(slug: str) -> str:
    """The sign-in page reached through a reseller's link."""
    return f"/r/{slug}"


def media_page(media_id: int) -> str:
    """The detail page of one item."""
    return f"/media/{int(media_id)}"


def person_page(person_id: int) -> str:
    """The page of one person (their photos)."""
    return f"/people/{int(person_id)}"


def studio_page(media_id: int) -> str:
    """The studio (editor) for one photo."""
    return f"/studio/{int(media_id)}"


def studio_preview(media_id: int, seq: int) -> str:
    """One live preview the studio rendered for this session."""
    return API_STUDIO_PREVIEW.format(media_id=int(media_id), seq=int(seq))


def share_page(token: str) -> str:
    """The public page of a share link."""
    return f"/s/{token}"


def share_media(token: str, media_id: int, variant: str) -> str:
    """One file behind a share link (checked against the link on every request)."""
    return API_SHARE_MEDIA.format(token=token, media_id=int(media_id), variant=variant)
