"""The account forms that carry a password, posted by the browser itself (never the websocket):
register, forgot and reset password, change password, change email.

Each refuses other sites' posts, runs one service call in a worker thread, and answers with a 303
to a page that shows a signed notice. Passwords are never echoed back; other fields are, so a
corrected form keeps what was typed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TypeVar

from sqlmodel import Session
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response

from mediashare import db, routes
from mediashare.api import forms
from mediashare.errors import MediashareError, NotSignedIn
from mediashare.models import User
from mediashare.services import auth, credentials, email, registration, verification

log = logging.getLogger(__name__)
T = TypeVar("T")

PASSWORDS_DIFFER = "The two new passwords are not the same. Please type them again."
SIGNED_OUT_AFTER_CHANGE = (
    "Your password has been changed and you have been signed out on every device. "
    "Sign in with your new password."
)


async def _run(fn: Callable[[Session], T]) -> T:
    """`fn` with a fresh database session, in a worker thread (hashing and SMTP block)."""

    def call() -> T:
        with db.session_scope() as session:
            return fn(session)

    return await asyncio.to_thread(call)


def _signed_in(session: Session, request: Request) -> User:
    user = auth.resolve(session, forms.session_token(request))
    if user is None:
        raise NotSignedIn()
    return user


def _sign_in_again(next_path: str) -> Response:
    return forms.with_notice(routes.LOGIN, "Please sign in to continue.", kind="info", next=next_path)


async def register(request: Request) -> Response:
    try:
        form = await forms.read(request, fields=("username", "email", "password", "referral_code", "reseller"))
    except forms.Refused as refused:
        return refused.response
    keep = {"username": form["username"][:32], "email": form["email"][:254], "ref": form["referral_code"][:32],
            **({"r": form["reseller"][:40]} if form["reseller"] else {})}
    try:
        result = await _run(lambda session: registration.register(
            session, username=form["username"], email=form["email"], password=form["password"],
            referral_code=form["referral_code"], reseller=form["reseller"][:40], client=forms.client(request),
        ))
    except MediashareError as error:
        return forms.with_notice(routes.REGISTER, str(error), **keep)
    if result.email_sent:
        text = (f"Your account is ready. We sent a link to {result.user.email} to confirm your address; "
                "you can sign in now.")
    else:
        text = ("Your account is ready, but we could not send the confirmation email just now. "
                "Sign in and ask for a new link from the banner at the top.")
    return forms.with_notice(routes.LOGIN, text, kind="success" if result.email_sent else "info",
                             u=result.user.username)


def _deliver_quietly(message: email.Email) -> None:
    """Send after the response has gone: the answer must not depend on whether there was mail."""
    try:
        email.send(message)
    except email.EmailFailed:
        log.error("A password reset email could not be sent")


async def forgot_password(request: Request) -> Response:
    try:
        form = await forms.read(request, fields=("email",))
    except forms.Refused as refused:
        return refused.response
    outgoing: list[email.Email] = []
    try:
        answer = await _run(lambda session: credentials.request_password_reset(
            session, email_address=form["email"], client=forms.client(request), deliver=outgoing.append,
        ))
    except MediashareError as error:  # only a malformed address: says nothing about accounts
        return forms.with_notice(routes.FORGOT_PASSWORD, str(error), email=form["email"][:254])
    response = forms.with_notice(routes.FORGOT_PASSWORD, answer, kind="success")
    if outgoing:
        response.background = BackgroundTask(_deliver_quietly, outgoing[0])
    return response


async def reset_password(request: Request) -> Response:
    try:
        form = await forms.read(request, fields=("token", "password", "password_confirm"))
    except forms.Refused as refused:
        return refused.response
    token = form["token"][:2048]
    if form["password"] != form["password_confirm"]:
        return forms.with_notice(routes.RESET_PASSWORD, PASSWORDS_DIFFER, token=token)
    try:
        user = await _run(lambda session: credentials.reset_password(
            session, token=token, new_password=form["password"], client=forms.client(request),
        ))
    except MediashareError as error:
        return forms.with_notice(routes.RESET_PASSWORD, str(error), token=token)
    response = forms.with_notice(routes.LOGIN, SIGNED_OUT_AFTER_CHANGE, kind="success", u=user.username)
    forms.clear_session_cookie(response)
    return response


async def change_password(request: Request) -> Response:
    try:
        form = await forms.read(request, fields=("current_password", "password", "password_confirm"))
    except forms.Refused as refused:
        return refused.response
    if form["password"] != form["password_confirm"]:
        return forms.with_notice(routes.ACCOUNT, PASSWORDS_DIFFER)

    def change(session: Session) -> User:
        actor = _signed_in(session, request)
        credentials.change_password(session, actor=actor, current_password=form["current_password"],
                                    new_password=form["password"], client=forms.client(request))
        return actor

    try:
        user = await _run(change)
    except NotSignedIn:
        return _sign_in_again(routes.ACCOUNT)
    except MediashareError as error:
        return forms.with_notice(routes.ACCOUNT, str(error))
    response = forms.with_notice(routes.LOGIN, SIGNED_OUT_AFTER_CHANGE, kind="success", u=user.username,
                                 next=routes.ACCOUNT)
    forms.clear_session_cookie(response)
    return response


async def change_email(request: Request) -> Response:
    try:
        form = await forms.read(request, fields=("email", "current_password"))
    except forms.Refused as refused:
        return refused.response

    def change(session: Session) -> str:
        actor = _signed_in(session, request)
        return verification.request_email_change(session, actor=actor, new_email=form["email"],
                                                 password=form["current_password"], client=forms.client(request))

    try:
        address = await _run(change)
    except NotSignedIn:
        return _sign_in_again(routes.ACCOUNT)
    except MediashareError as error:
        return forms.with_notice(routes.ACCOUNT, str(error), email=form["email"][:254])
    return forms.with_notice(
        routes.ACCOUNT,
        f"We sent a link to {address}. Your email address changes when you open it.",
        kind="success",
    )
