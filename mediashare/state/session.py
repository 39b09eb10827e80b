"""The signed-in person, resolved on the server from our HttpOnly session cookie on every event."""

from __future__ import annotations

from urllib.parse import quote

import reflex as rx
from sqlalchemy.orm import object_session
from sqlmodel import Session

from mediashare import db, routes
from mediashare.errors import NotSignedIn
from mediashare.models import Role, User
from mediashare.services import auth, branding, site_settings
from mediashare.state import guard


class SessionState(rx.State):
    """Base of every state that needs to know who is asking. Its vars are for display only:
    authorization always re-reads the session through `_actor`."""

    username: str = ""
    user_name: str = ""
    user_role: str = ""
    avatar_url: str = ""  # our own access-checked route, or "" for initials
    unverified_email: str = ""  # set while the signed-in account has not confirmed its address
    # The branding the signed-in person sees (their nearest reseller's, else the platform's): small on purpose.
    brand_name: str = branding.DEFAULT.name
    brand_logo: str = ""  # our versioned logo route, or "" for the platform's icon
    brand_primary: str = branding.DEFAULT.primary
    brand_on_primary: str = branding.DEFAULT.on_primary
    maintenance_banner: str = ""  # the platform setting, shown on every page to everyone while set

    def _session_token(self) -> str | None:
        """Our session token from the cookie header of this websocket's handshake (server-side
        data; the browser cannot change it without reconnecting)."""
        return guard.session_token(self.router.headers.cookie)

    def _client(self) -> auth.Client:
        return auth.Client(ip=self.router.session.client_ip, user_agent=self.router.headers.user_agent)

    def _actor(self, session: Session) -> User:
        """The signed-in, active user behind this connection; raises NotSignedIn."""
        user = auth.resolve(session, self._session_token())
        if user is None:
            raise NotSignedIn()
        return user

    def _show(self, user: User | None, session: Session | None = None) -> None:
        self.username = user.username if user else ""
        self.user_name = user.name if user else ""
        self.user_role = user.role.value if user else ""
        has_avatar = user is not None and user.id is not None and user.avatar_key is not None
        self.avatar_url = routes.avatar_url(user.id, user.avatar_key[:12]) if has_avatar else ""
        self.unverified_email = user.email if user and not user.is_verified else ""
        session = session or (object_session(user) if user is not None else None)
        if session is not None:  # a detached row (after its session closed) keeps the brand shown
            self._show_brand(branding.effective(session, user))
            self.maintenance_banner = site_settings.banner(session)
        elif user is None:
            self._show_brand(branding.DEFAULT)

    def _show_brand(self, brand: branding.Brand) -> None:
        self.brand_name, self.brand_logo = brand.name, brand.logo_url
        self.brand_primary, self.brand_on_primary = brand.primary, brand.on_primary

    @rx.var
    def signed_in(self) -> bool:
        return self.username != ""

    @rx.var
    def is_admin(self) -> bool:
        return self.user_role in (Role.ADMIN.value, Role.SUPERUSER.value)

    @rx.var
    def is_reseller(self) -> bool:
        return self.user_role == Role.RESELLER.value

    @rx.var
    def initials(self) -> str:
        parts = [part for part in self.user_name.split() if part]
        return "".join(part[0] for part in parts[:2]).upper() or "?"

    @rx.event
    @guard.public
    def load(self):
        """on_load of every page: refresh who is signed in (or nobody)."""
        with db.session_scope() as session:
            self._show(auth.resolve(session, self._session_token()), session)

    def _require_signed_in(self, session: Session):
        """For page loaders: the actor, or a redirect to the login page that returns here."""
        try:
            user = self._actor(session)
        except NotSignedIn:
            self._show(None, session)
            here = quote(self.router.url.path or routes.HOME)
            return None, rx.redirect(f"{routes.LOGIN}?next={here}")
        self._show(user)
        return user, None
