"""/privacy and /terms: what we do with people's data, and the rules of use."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.state.session import SessionState

_PRIVACY = """
# Privacy policy

MediaShare is software that the operator of this site runs on their own servers. This policy
explains what the software stores and why.

## What we keep
- **Your account**: username, email address, display name, and a one-way hash of your password
  (argon2id). We never store your password itself.
- **Your media**: the photos, videos and audio you upload, with the metadata inside them (such as
  the date taken, the camera, and the location when your device recorded one).
- **Sign-in records**: for each session, the time, the IP address and the browser, so you can see
  and end your sessions and so we can warn you of a sign-in from a new device.
- **An audit log** of security-relevant actions (sign-ins, account changes), kept to protect you and
  the platform.

## What we do not do
- We do not sell your data or show you advertising.
- Your media is private unless you share it: it is served only to you, to people you share it with
  by link, and to administrators who manage your account.
- Shared copies have location data removed.

## Cookies
We set two cookies, both needed for the site to work: `ms_session` keeps you signed in, and
`ms_device` recognises this browser so we can tell you about sign-ins from new devices. Neither is
readable by scripts on the page, and neither is used for tracking.

## Your choices
You can download your media at any time, end your sessions, and ask the operator to delete your
account, which removes your media as well.
"""

_TERMS = """
# Terms of use

By using this MediaShare site you agree to these terms.

1. **Your content is yours.** You keep every right to what you upload. You give the operator only
   the permission needed to store it, make previews of it, and show it to the people you choose.
2. **Upload only what you may.** Do not upload content you have no right to share, or content that
   is illegal where you or the operator are.
3. **Keep your account safe.** Use a strong password, and do not share your account. You are
   responsible for what happens under it.
4. **Credits** bought or granted are used for the services shown with their price before you use
   them; a failed action never costs credits.
5. **Availability.** The operator runs this service with care but cannot promise it will never be
   interrupted. Keep copies of anything you cannot afford to lose.
6. **Ending.** You may stop using the service at any time. The operator may suspend accounts that
   break these terms.
"""


def _document(text: str) -> rx.Component:
    return layout(rx.box(rx.markdown(text), max_width="44em"))


@rx.page(route=routes.PRIVACY, title=page_title("Privacy"), on_load=SessionState.load)
def privacy() -> rx.Component:
    return _document(_PRIVACY)


@rx.page(route=routes.TERMS, title=page_title("Terms"), on_load=SessionState.load)
def terms() -> rx.Component:
    return _document(_TERMS)
