"""POST /api/auth/login and /api/auth/logout: the only places that set or clear the session cookie.

They are plain HTML form posts, so the password never travels through the websocket or Reflex
state, and the cookie can be HttpOnly (JavaScript cannot write those). Both refuse requests whose
Origin is not PUBLIC_URL's (cross-site request forgery), and redirect with 303.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from mediashare import db, routes
from mediashare.api.forms import MAX_FORM_BYTES
from mediashare.api.forms import client as _client
from mediashare.api.forms import same_origin as _same_origin
from mediashare.api.forms import set_cookie as _set_cookie
from mediashare.errors import AccountLocked, InvalidCredentials, PermissionDenied
from mediashare.services import auth as auth_service
from mediashare.settings import get_settings


def _login_redirect(error: str, *, next_path: str, identifier: str = "", minutes: int | None = None) -> Response:
    query = {"error": error, "next": next_path}
    if identifier:
        query["u"] = identifier[:254]
    if minutes is not None:
        query["minutes"] = str(minutes)
    return RedirectResponse(f"{routes.LOGIN}?{urlencode(query)}", status_code=303)


async def login(request: Request) -> Response:
    if not _same_origin(request):
        return PlainTextResponse("This form must be sent from MediaShare's own pages.", status_code=403)
    if int(request.headers.get("content-length") or 0) > MAX_FORM_BYTES:
        return PlainTextResponse("The form is too large.", status_code=413)
    form = await request.form(max_files=0, max_fields=8)
    identifier = str(form.get("identifier") or "").strip()
    password = str(form.get("password") or "")
    next_path = routes.safe_next(str(form.get("next") or ""))
    if not identifier or not password:
        return _login_redirect("missing", next_path=next_path, identifier=identifier)

    def _sign_in() -> auth_service.SignIn:
        with db.session_scope() as session:
            return auth_service.login(
                session, identifier=identifier, password=password, client=_client(request),
                device_key=request.cookies.get(routes.DEVICE_COOKIE),
            )

    try:
        result = await asyncio.to_thread(_sign_in)
    except InvalidCredentials:
        return _login_redirect("invalid", next_path=next_path, identifier=identifier)
    except AccountLocked as error:
        return _login_redirect("locked", next_path=next_path, identifier=identifier, minutes=error.minutes)
    except PermissionDenied:
        return _login_redirect("inactive", next_path=next_path, identifier=identifier)

    settings = get_settings()
    response = RedirectResponse(next_path, status_code=303)
    _set_cookie(response, routes.SESSION_COOKIE, result.token, max_age=settings.session_absolute_days * 86400)
    _set_cookie(response, routes.DEVICE_COOKIE, result.device_key, max_age=400 * 86400)
    return response


async def logout(request: Request) -> Response:
    if not _same_origin(request):
        return PlainTextResponse("This form must be sent from MediaShare's own pages.", status_code=403)
    token = request.cookies.get(routes.SESSION_COOKIE)

    def _sign_out() -> None:
        with db.session_scope() as session:
            auth_service.logout(session, token=token, client=_client(request))

    await asyncio.to_thread(_sign_out)
    response = RedirectResponse(routes.HOME, status_code=303)
    response.delete_cookie(routes.SESSION_COOKIE, path="/", httponly=True,
                           secure=get_settings().secure_cookies, samesite="lax")
    return response
