"""What every form route shares: the same-origin check, bounded form reading, who is asking, the
session cookie, and redirects that carry a signed notice for the next page.
"""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from mediashare import routes
from mediashare.services import auth as auth_service
from mediashare.services import notices
from mediashare.settings import get_settings

MAX_FORM_BYTES = 16 * 1024
MAX_FIELD = 1024  # characters kept of any text field (passwords are checked for length by the rules)


class Refused(Exception):
    """The request cannot be handled as a form of ours; `response` says why."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def client(request: Request) -> auth_service.Client:
    return auth_service.Client(
        ip=request.client.host if request.client else "",
        user_agent=request.headers.get("user-agent", ""),
    )


def same_origin(request: Request) -> bool:
    """A browser sends Origin on every cross-site POST; without it, fall back to Referer."""
    expected = get_settings().public_origin
    origin = request.headers.get("origin")
    if origin is not None:
        return origin == expected
    referer = request.headers.get("referer", "")
    return referer == expected or referer.startswith(expected + "/")


async def read(request: Request, *, fields: tuple[str, ...]) -> dict[str, str]:
    """The named text fields of a same-origin, small, file-free form post (missing ones are "").
    Raises Refused (403 for another site, 413 for a large body)."""
    if not same_origin(request):
        raise Refused(PlainTextResponse("This form must be sent from MediaShare's own pages.", status_code=403))
    if int(request.headers.get("content-length") or 0) > MAX_FORM_BYTES:
        raise Refused(PlainTextResponse("The form is too large.", status_code=413))
    form: FormData = await request.form(max_files=0, max_fields=len(fields) + 2)
    values: dict[str, str] = {}
    for name in fields:
        value = form.get(name)
        values[name] = value[: MAX_FIELD * 4] if isinstance(value, str) else ""
    return values


def session_token(request: Request) -> str | None:
    return request.cookies.get(routes.SESSION_COOKIE)


def set_cookie(response: Response, name: str, value: str, *, max_age: int, path: str = "/",
               samesite: str = "lax") -> None:
    """An HttpOnly cookie (Secure when PUBLIC_URL is https)."""
    response.set_cookie(
        name, value, max_age=max_age, path=path, httponly=True,
        secure=get_settings().secure_cookies, samesite=samesite,  # type: ignore[arg-type]
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(routes.SESSION_COOKIE, path="/", httponly=True,
                           secure=get_settings().secure_cookies, samesite="lax")


def redirect(path: str, **query: str) -> RedirectResponse:
    """303 to a local `path`; empty query values are left out."""
    kept = {key: value for key, value in query.items() if value}
    return RedirectResponse(f"{path}?{urlencode(kept)}" if kept else path, status_code=303)


def with_notice(path: str, text: str, *, kind: notices.Kind = "error", **query: str) -> RedirectResponse:
    """303 to `path` whose page shows `text` (a sentence we wrote, sealed against tampering)."""
    return redirect(path, notice=notices.seal(text, kind=kind), **query)
