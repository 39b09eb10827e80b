"""POST /api/auth/login, /api/auth/two-factor and /api/auth/logout: the only places that set or
clear the session cookie.

They are plain HTML form posts, so the password never travels through the websocket or Reflex
state, and the cookie can be HttpOnly (JavaScript cannot write those). All refuse requests whose
Origin is not PUBLIC_URL's (cross-site request forgery), and redirect with 303.

For an account with two-factor authentication, the login route sets no session cookie: it keeps a
five-minute signed token in an HttpOnly cookie that only the two-factor route receives, and sends
the browser to the code page, whose form posts the code here.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from mediashare import db, routes
from mediashare.api import forms
from mediashare.errors import (
    AccountLocked,
    InvalidCredentials,
    InvalidToken,
    PermissionDenied,
    TooManyRequests,
    ValidationFailed,
)
from mediashare.services import auth as auth_service
from mediashare.services import tokens, two_factor
from mediashare.settings import get_settings

PENDING_COOKIE = "ms_2fa"  # the pending two-factor token; sent only to API_LOGIN_2FA


def _login_redirect(
    error: str, *, next_path: str, identifier: str = "", minutes: int | None = None, page: str = routes.LOGIN
) -> Response:
    query = {"error": error, "next": next_path}
    if identifier:
        query["u"] = identifier[:254]
    if minutes is not None:
        query["minutes"] = str(minutes)
    return RedirectResponse(f"{page}?{urlencode(query)}", status_code=303)


def _signed_in(result: auth_service.SignIn, *, next_path: str) -> Response:
    """Set the session and device cookies and go on to `next_path`."""
    settings = get_settings()
    response = RedirectResponse(next_path, status_code=303)
    forms.set_cookie(response, routes.SESSION_COOKIE, result.token, max_age=settings.session_absolute_days * 86400)
    forms.set_cookie(response, routes.DEVICE_COOKIE, result.device_key, max_age=400 * 86400)
    response.delete_cookie(PENDING_COOKIE, path=routes.API_LOGIN_2FA, httponly=True,
                           secure=settings.secure_cookies, samesite="strict")
    return response


async def _read_form(request: Request, *fields: str) -> dict[str, str] | Response:
    try:
        return await forms.read(request, fields=fields)
    except forms.Refused as refused:
        return refused.response


async def login(request: Request) -> Response:
    form = await _read_form(request, "identifier", "password", "next")
    if isinstance(form, Response):
        return form
    identifier = form.get("identifier", "").strip()
    password = form.get("password", "")
    next_path = routes.safe_next(form.get("next", ""))
    if not identifier or not password:
        return _login_redirect("missing", next_path=next_path, identifier=identifier)

    def _sign_in() -> tuple[auth_service.SignIn | auth_service.SecondFactorNeeded, bool]:
        with db.session_scope() as session:
            result = auth_service.login(
                session, identifier=identifier, password=password, client=forms.client(request),
                device_key=request.cookies.get(routes.DEVICE_COOKIE),
            )
            return result, two_factor.setup_required(session, user=result.user)

    try:
        result, setup_required = await asyncio.to_thread(_sign_in)
    except InvalidCredentials:
        return _login_redirect("invalid", next_path=next_path, identifier=identifier)
    except AccountLocked as error:
        return _login_redirect("locked", next_path=next_path, identifier=identifier, minutes=error.minutes)
    except TooManyRequests as error:
        return _login_redirect("throttled", next_path=next_path, identifier=identifier, minutes=error.minutes)
    except PermissionDenied:
        return _login_redirect("inactive", next_path=next_path, identifier=identifier)

    if isinstance(result, auth_service.SecondFactorNeeded):
        response = RedirectResponse(f"{routes.LOGIN_2FA}?{urlencode({'next': next_path})}", status_code=303)
        forms.set_cookie(response, PENDING_COOKIE, result.pending, path=routes.API_LOGIN_2FA, samesite="strict",
                    max_age=int(tokens.LIFETIME[tokens.Purpose.TWO_FACTOR].total_seconds()))
        return response
    return _signed_in(result, next_path=routes.SECURITY if setup_required else next_path)


async def two_factor_step(request: Request) -> Response:
    """The code (or recovery code) for a sign-in that passed the password step."""
    form = await _read_form(request, "code", "next")
    if isinstance(form, Response):
        return form
    code = form.get("code", "").strip()
    next_path = routes.safe_next(form.get("next", ""))
    pending = request.cookies.get(PENDING_COOKIE, "")
    if not pending:
        return _login_redirect("two_factor_expired", next_path=next_path)
    if not code:
        return _login_redirect("missing_code", next_path=next_path, page=routes.LOGIN_2FA)

    def _complete() -> auth_service.SignIn:
        with db.session_scope() as session:
            return two_factor.complete_sign_in(
                session, pending=pending, code=code, client=forms.client(request),
                device_key=request.cookies.get(routes.DEVICE_COOKIE),
            )

    try:
        result = await asyncio.to_thread(_complete)
    except ValidationFailed:
        return _login_redirect("wrong_code", next_path=next_path, page=routes.LOGIN_2FA)
    except TooManyRequests as error:
        return _login_redirect("throttled", next_path=next_path, minutes=error.minutes, page=routes.LOGIN_2FA)
    except InvalidToken:
        response = _login_redirect("two_factor_expired", next_path=next_path)
        response.delete_cookie(PENDING_COOKIE, path=routes.API_LOGIN_2FA, httponly=True,
                               secure=get_settings().secure_cookies, samesite="strict")
        return response
    except AccountLocked as error:
        return _login_redirect("locked", next_path=next_path, minutes=error.minutes)
    except PermissionDenied:
        return _login_redirect("inactive", next_path=next_path)
    return _signed_in(result, next_path=next_path)


async def logout(request: Request) -> Response:
    if not forms.same_origin(request):
        return PlainTextResponse("This form must be sent from MediaShare's own pages.", status_code=403)
    token = request.cookies.get(routes.SESSION_COOKIE)

    def _sign_out() -> None:
        with db.session_scope() as session:
            auth_service.logout(session, token=token, client=forms.client(request))

    await asyncio.to_thread(_sign_out)
    response = RedirectResponse(routes.HOME, status_code=303)
    response.delete_cookie(routes.SESSION_COOKIE, path="/", httponly=True,
                           secure=get_settings().secure_cookies, samesite="lax")
    return response
