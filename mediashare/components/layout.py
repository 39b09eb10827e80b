"""The app shell: top bar (brand, role-aware menu, user menu), mobile drawer, footer."""

from __future__ import annotations

import reflex as rx

from mediashare import routes
from mediashare.components.native_form import native_form
from mediashare.components.notifications import notification_bell
from mediashare.state.session import SessionState
from mediashare.state.verification import VerificationState


def page_title(name: str) -> rx.Var:
    """A browser tab title that follows the brand live, without a rebuild: "Gallery · <site name>"
    (a reseller's customers see their reseller's name, as in the top bar)."""
    return rx.Var.create(f"{name} · ") + SessionState.brand_name


# (label, route, lucide icon); shown to everyone / signed-in users / resellers / admins and superusers.
_VISITOR_LINKS = (("Home", routes.HOME, "house"),)  # signed in, the brand leads home
_MEMBER_LINKS = (
    ("Gallery", routes.GALLERY, "images"),
    ("Timeline", routes.TIMELINE, "calendar-days"),
    ("Map", routes.MAP, "map"),
    ("Albums", routes.ALBUMS, "book-image"),
    ("Catalog", routes.CATALOG, "clapperboard"),
    ("People", routes.PEOPLE, "users"),
    ("Upload", routes.UPLOAD, "upload"),
)
# In the drawer too; on wide screens they are in the gallery's toolbar and the user menu.
_MEMBER_MORE = (
    ("Dashboard", routes.DASHBOARD, "gauge"),
    ("Favorites", routes.FAVORITES, "star"),
    ("Shared links", routes.SHARES, "share-2"),
    ("Camera", routes.CAMERA, "camera"),
    ("Support", routes.SUPPORT, "life-buoy"),
    ("Account", routes.ACCOUNT, "user-round"),
)
# Grouped under one menu each in the top bar ("Business", "Admin"), so the bar stays one line.
_RESELLER_LINKS = (
    ("Dashboard", routes.RESELLER, "chart-column"),
    ("Customers", routes.CUSTOMERS, "contact"),
    ("Top-ups", routes.TOP_UPS, "hand-coins"),
    ("Support queue", routes.SUPPORT_QUEUE, "inbox"),
    ("Branding", routes.BRANDING, "palette"),
    ("Published titles", routes.CATALOG_MANAGE, "list-video"),
)
_ADMIN_LINKS = (
    ("Dashboard", routes.ADMIN_DASHBOARD, "gauge"),
    ("Users", routes.ADMIN_USERS, "users"),
    ("Media", routes.ADMIN_MEDIA, "library"),
    ("Published titles", routes.CATALOG_MANAGE, "list-video"),
    ("Genres", routes.ADMIN_GENRES, "shapes"),
    ("Metadata providers", routes.ADMIN_METADATA, "clapperboard"),
    ("Audit log", routes.ADMIN_AUDIT, "scroll-text"),
    ("System", routes.SYSTEM, "activity"),
    ("Settings", routes.ADMIN_SETTINGS, "settings"),
    ("Prices", routes.ADMIN_PRICES, "tag"),
    ("Plans", routes.ADMIN_PLANS, "layers"),
    ("Payments", routes.ADMIN_PAYMENTS, "receipt"),
    ("Top-up requests", routes.TOP_UPS, "hand-coins"),
    ("Support queue", routes.SUPPORT_QUEUE, "inbox"),
    ("Resellers' branding", routes.BRANDING, "palette"),
)

LOGOUT_FORM_ID = "logout-form"


def brand() -> rx.Component:
    """The logo and name people see: their nearest reseller's branding, else the platform's."""
    return rx.link(
        rx.hstack(
            rx.cond(
                SessionState.brand_logo != "",
                rx.image(src=SessionState.brand_logo, alt="", height="32px", width="auto",
                         max_width=["4.5em", "8em"], object_fit="contain", object_position="left",
                         class_name="brand-logo", flex_shrink="0"),
                rx.icon("images", size=26, color=SessionState.brand_primary),
            ),
            rx.heading(SessionState.brand_name, size="5", weight="bold", class_name="brand-name",
                       overflow="hidden", text_overflow="ellipsis", white_space="nowrap", max_width="14em",
                       min_width="0"),
            align="center",
            spacing="2",
            min_width="0",
        ),
        min_width="0",
        flex="0 1 auto",
        display="flex",
        overflow="hidden",
        href=routes.HOME,
        underline="none",
        color="inherit",
        id="brand",
    )


def _top_links() -> rx.Component:
    """The top bar on wide screens: the everyday pages, then one menu per role's own pages."""
    return rx.fragment(
        rx.cond(SessionState.signed_in, rx.fragment(*[_top_link(*link) for link in _MEMBER_LINKS]),
                rx.fragment(*[_top_link(*link) for link in _VISITOR_LINKS])),
        rx.cond(SessionState.is_reseller, _group_menu("Business", "briefcase", _RESELLER_LINKS,
                                                      "nav-business")),
        rx.cond(SessionState.is_admin, _group_menu("Admin", "shield", _ADMIN_LINKS, "nav-admin")),
    )


def _group_menu(label: str, icon: str, links: tuple[tuple[str, str, str], ...], element_id: str) -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(rx.icon(icon, size=16), rx.text(label, size="2", weight="medium"),
                      rx.icon("chevron-down", size=14), variant="ghost", color_scheme="gray", high_contrast=True,
                      id=element_id),
        ),
        rx.menu.content(*[rx.menu.item(rx.icon(link_icon, size=14), text, on_click=rx.redirect(href))
                          for text, href, link_icon in links]),
    )


def _drawer_links() -> rx.Component:
    """The drawer at phone width: every page, with a heading per role's group."""
    def group(title: str, links: tuple[tuple[str, str, str], ...]) -> rx.Component:
        return rx.fragment(rx.text(title, size="1", weight="bold", color_scheme="gray", padding_top="0.75em"),
                           *[_drawer_link(*link) for link in links])

    return rx.fragment(
        rx.cond(SessionState.signed_in, rx.fragment(*[_drawer_link(*link) for link in _MEMBER_LINKS + _MEMBER_MORE]),
                rx.fragment(*[_drawer_link(*link) for link in _VISITOR_LINKS])),
        rx.cond(SessionState.is_reseller, group("BUSINESS", _RESELLER_LINKS)),
        rx.cond(SessionState.is_admin, group("ADMIN", _ADMIN_LINKS)),
    )


def _top_link(label: str, href: str, icon: str) -> rx.Component:
    """Icon and name; below 1280 px the icon alone (named for screen readers and on hover), so the
    bar stays one line with the brand whole."""
    return rx.link(
        rx.hstack(rx.icon(icon, size=16), rx.text(label, size="2", weight="medium",
                                                  display=["none", "none", "none", "none", "inline"]),
                  spacing="1", align="center"),
        href=href,
        title=label,
        aria_label=label,
        underline="none",
        color_scheme="gray",
        high_contrast=True,
    )


def _drawer_link(label: str, href: str, icon: str) -> rx.Component:
    return rx.drawer.close(
        rx.link(
            rx.hstack(rx.icon(icon, size=20), rx.text(label, size="4"), spacing="3", align="center"),
            href=href,
            underline="none",
            color="inherit",
            padding_y="0.6em",
            width="100%",
        )
    )


def _sign_out_script() -> rx.event.EventSpec:
    return rx.call_script(f"document.getElementById('{LOGOUT_FORM_ID}').submit()")


def user_menu() -> rx.Component:
    """Avatar with the user's name and a menu; a Sign in button for visitors."""
    return rx.cond(
        SessionState.signed_in,
        rx.menu.root(
            rx.menu.trigger(
                rx.button(
                    rx.avatar(src=SessionState.avatar_url, fallback=SessionState.initials, size="1", radius="full",
                              id="user-menu-avatar"),
                    rx.text(SessionState.user_name, id="user-menu-name", display=["none", "none", "inline"]),
                    rx.icon("chevron-down", size=14),
                    variant="ghost",
                    color_scheme="gray",
                    aria_label="Account menu",
                    id="user-menu",
                ),
            ),
            rx.menu.content(
                rx.vstack(
                    rx.text(SessionState.user_name, weight="bold", id="user-menu-full-name"),
                    rx.badge(SessionState.user_role, variant="soft"),
                    spacing="1",
                    padding_x="0.75em",
                    padding_y="0.5em",
                ),
                rx.menu.separator(),
                rx.menu.item(rx.icon("gauge", size=14), "Dashboard", on_click=rx.redirect(routes.DASHBOARD),
                             id="menu-dashboard"),
                rx.menu.item(rx.icon("user-round", size=14), "Account", on_click=rx.redirect(routes.ACCOUNT)),
                rx.menu.item(rx.icon("shield-check", size=14), "Security", on_click=rx.redirect(routes.SECURITY),
                             id="menu-security"),
                rx.menu.item(rx.icon("monitor-smartphone", size=14), "Sessions & devices",
                             on_click=rx.redirect(routes.SESSIONS), id="menu-sessions"),
                rx.menu.item(rx.icon("camera", size=14), "Camera", on_click=rx.redirect(routes.CAMERA),
                             id="menu-camera"),
                rx.menu.item(rx.icon("share-2", size=14), "Shared links", on_click=rx.redirect(routes.SHARES),
                             id="menu-shares"),
                rx.menu.item(rx.icon("coins", size=14), "Credits", on_click=rx.redirect(routes.CREDITS),
                             id="menu-credits"),
                rx.menu.item(rx.icon("circle-plus", size=14), "Top up", on_click=rx.redirect(routes.TOP_UP),
                             id="menu-top-up"),
                rx.menu.item(rx.icon("history", size=14), "History", on_click=rx.redirect(routes.HISTORY),
                             id="menu-history"),
                rx.menu.item(rx.icon("bell", size=14), "Notifications", on_click=rx.redirect(routes.NOTIFICATIONS),
                             id="menu-notifications"),
                rx.menu.item(rx.icon("life-buoy", size=14), "Support", on_click=rx.redirect(routes.SUPPORT),
                             id="menu-support"),
                rx.menu.item(rx.icon("gift", size=14), "Invite friends", on_click=rx.redirect(routes.REFERRALS),
                             id="menu-referrals"),
                rx.menu.separator(),
                rx.menu.item(rx.icon("log-out", size=14), "Sign out", on_click=_sign_out_script(), id="sign-out"),
                align="end",
            ),
        ),
        rx.link(rx.button("Sign in", size="2"), href=routes.LOGIN, id="sign-in-link"),
    )


def mobile_drawer() -> rx.Component:
    """The menu at phone width: a button in the top bar opens a drawer from the left."""
    return rx.drawer.root(
        rx.drawer.trigger(
            rx.icon_button(rx.icon("menu", size=22), variant="ghost", color_scheme="gray",
                           aria_label="Open menu", id="menu-button"),
        ),
        rx.drawer.overlay(z_index="40"),
        rx.drawer.portal(
            rx.drawer.content(
                rx.vstack(
                    rx.hstack(
                        brand(),
                        rx.drawer.close(rx.icon_button(rx.icon("x", size=20), variant="ghost",
                                                       color_scheme="gray", aria_label="Close menu")),
                        justify="between",
                        width="100%",
                        align="center",
                    ),
                    rx.divider(),
                    _drawer_links(),
                    rx.divider(),
                    rx.cond(
                        SessionState.signed_in,
                        rx.button(rx.icon("log-out", size=16), "Sign out", variant="soft",
                                  on_click=_sign_out_script(), width="100%"),
                        rx.link(rx.button("Sign in", width="100%"), href=routes.LOGIN, width="100%"),
                    ),
                    spacing="2",
                    width="100%",
                ),
                id="mobile-drawer",
                top="0",
                left="0",
                height="100%",
                width="min(80vw, 20em)",
                overflow_y="auto",  # every page's link fits a short phone: the drawer scrolls
                padding="1.25em",
                background_color=rx.color("gray", 1),
                z_index="50",
            )
        ),
        direction="left",
    )


def top_bar() -> rx.Component:
    return rx.el.header(
        rx.hstack(
            rx.box(mobile_drawer(), display=["block", "block", "none"]),
            brand(),
            rx.hstack(_top_links(), spacing=rx.breakpoints(initial="4", lg="3", xl="5"),
                      display=["none", "none", "flex"], margin_left="1.5em",
                      align="center", id="desktop-nav"),
            rx.spacer(),
            rx.color_mode.button(variant="ghost", color_scheme="gray", aria_label="Switch light or dark"),
            rx.cond(SessionState.signed_in, notification_bell()),
            user_menu(),
            align="center",
            spacing="3",
            width="100%",
            max_width="72em",
            margin_x="auto",
            padding_x=["0.75em", "1em", "1.5em"],
            padding_y="0.75em",
        ),
        native_form(id=LOGOUT_FORM_ID, action=routes.API_LOGOUT, method="post", hidden=True),
        position="sticky",
        top="0",
        z_index="30",
        background_color=rx.color("gray", 1),
        border_top=f"4px solid {SessionState.brand_primary}",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        id="top-bar",
    )


def footer() -> rx.Component:
    return rx.el.footer(rx.hstack(
        rx.text("© ", SessionState.brand_name, size="2", color_scheme="gray"),
        rx.spacer(),
        rx.link("Privacy", href=routes.PRIVACY, size="2", color_scheme="gray"),
        rx.link("Terms", href=routes.TERMS, size="2", color_scheme="gray"),
        spacing="4",
        width="100%",
        max_width="72em",
        margin_x="auto",
        padding="1.5em",
    ))


def verification_banner() -> rx.Component:
    """Under the top bar while the signed-in account has not confirmed its email address."""
    return rx.cond(
        SessionState.unverified_email != "",
        rx.box(
            rx.flex(
                rx.icon("mail", size=18, color=rx.color("amber", 11), flex_shrink="0",
                        display=["none", "block"]),
                rx.text(
                    "Please confirm your email address ", rx.text.strong(SessionState.unverified_email),
                    ": open the link we sent you.",
                    size="2",
                    flex_grow="1",
                ),
                rx.button("Send a new link", size="1", variant="soft", color_scheme="amber",
                          on_click=VerificationState.resend, id="resend-verification"),
                align="center",
                spacing="3",
                wrap="wrap",
                width="100%",
                max_width="72em",
                margin_x="auto",
                padding_x=["0.75em", "1em", "1.5em"],
                padding_y="0.6em",
            ),
            role="status",
            id="verify-banner",
            background_color=rx.color("amber", 3),
            border_bottom=f"1px solid {rx.color('amber', 6)}",
        ),
    )


def maintenance_banner() -> rx.Component:
    """Under the top bar on every page, for everyone, while the platform setting has text."""
    return rx.cond(
        SessionState.maintenance_banner != "",
        rx.box(
            rx.flex(
                rx.icon("construction", size=18, color=rx.color("orange", 11), flex_shrink="0"),
                rx.text(SessionState.maintenance_banner, size="2", flex_grow="1", min_width="0",
                        overflow_wrap="anywhere"),
                align="center", spacing="3", width="100%", max_width="72em", margin_x="auto",
                padding_x=["0.75em", "1em", "1.5em"], padding_y="0.6em",
            ),
            role="status",
            id="maintenance-banner",
            background_color=rx.color("orange", 3),
            border_bottom=f"1px solid {rx.color('orange', 6)}",
        ),
    )


def layout(*children: rx.Component, max_width: str = "72em") -> rx.Component:
    """Every page: top bar, the maintenance and email banners when needed, the page's content in a
    centred column, footer."""
    return rx.box(
        top_bar(),
        maintenance_banner(),
        verification_banner(),
        rx.el.main(
            *children,
            width="100%",
            max_width=max_width,
            margin_x="auto",
            padding_x=["0.75em", "1em", "1.5em"],
            padding_y=["1em", "1.5em", "2em"],
            min_height="calc(100vh - 9em)",
        ),
        footer(),
        min_height="100vh",
    )
