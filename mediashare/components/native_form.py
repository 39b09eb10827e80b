"""A form the browser posts itself (a real navigation), for the few routes outside the websocket.

Reflex's own form always calls preventDefault and sends the fields over the websocket; the login
form must instead reach /api/auth/login directly so the password never enters Reflex state and the
response can set an HttpOnly cookie.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_components_core.el.elements.forms import Form


class NativeForm(Form):
    """`<form action=… method=post>` with no Reflex submit handler."""

    @classmethod
    def create(cls, *children: Any, **props: Any) -> rx.Component:
        if "on_submit" in props:
            raise TypeError("NativeForm is submitted by the browser; it takes no on_submit handler.")
        return super(Form, cls).create(*children, **props)


native_form = NativeForm.create
