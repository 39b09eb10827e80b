"""/shares: the links I shared; /s/[token]: a link's public page (no account needed)."""

from __future__ import annotations

import reflex as rx

from mediashare import routes
from mediashare.components.layout import brand, layout, page_title
from mediashare.components.native_form import native_form
from mediashare.components.notice import notice_callout
from mediashare.state.shares import PublicShareState, SharedTile, ShareRowView, SharesState

_STATUS_COLORS = (("active", "green"), ("revoked", "red"), ("expired", "gray"))


def _revoke(row: ShareRowView) -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(rx.button(rx.icon("ban", size=14), "Revoke", size="1", variant="soft",
                                          color_scheme="red", class_name="share-revoke")),
        rx.alert_dialog.content(
            rx.alert_dialog.title("Turn this link off?"),
            rx.alert_dialog.description("Anyone who opens it, or has it open, loses access at once. "
                                        "This cannot be undone; you can make a new link later."),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(rx.button("Revoke link", color_scheme="red",
                                                 on_click=SharesState.revoke(row.id),
                                                 class_name="share-revoke-confirm")),
                spacing="3", justify="end", margin_top="1em",
            ),
        ),
    )


def _row(row: ShareRowView) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.cond(row.thumb_url != "",
                    rx.image(src=row.thumb_url, width="4em", height="4em", object_fit="cover",
                             border_radius="var(--radius-2)", loading="lazy", flex_shrink="0"),
                    rx.center(rx.icon(rx.cond(row.kind == "album", "book-image", "image"), size=24),
                              width="4em", height="4em", background=rx.color("gray", 3),
                              border_radius="var(--radius-2)", flex_shrink="0")),
            rx.vstack(
                rx.flex(
                    rx.link(row.title, href=row.target_path, weight="medium", style={"word_break": "break-word"}),
                    rx.badge(rx.cond(row.kind == "album", "Album", "Item"), variant="soft", color_scheme="gray"),
                    rx.badge(row.status, color_scheme=rx.match(row.status, *_STATUS_COLORS, "gray"),
                             class_name="share-status"),
                    rx.cond(row.protected, rx.badge(rx.icon("lock", size=12), "Password", variant="outline")),
                    rx.cond(row.downloads, rx.badge(rx.icon("download", size=12), "Downloads", variant="outline")),
                    spacing="2", align="center", wrap="wrap",
                ),
                rx.text(rx.text.strong(row.views), rx.cond(row.views == 1, " view", " views"),
                        " · last ", row.last_viewed, " · expires ", row.expires,
                        size="1", color_scheme="gray", class_name="share-views"),
                rx.text("Created ", row.created, size="1", color_scheme="gray"),
                rx.cond(row.status == "active", rx.flex(
                    rx.input(value=row.url, read_only=True, size="1", flex="1", min_width="0",
                             class_name="share-link-url"),
                    rx.icon_button(rx.icon("copy", size=14), size="1", variant="soft", aria_label="Copy link",
                                   on_click=[rx.set_clipboard(row.url), rx.toast.success("Link copied.")]),
                    _revoke(row),
                    spacing="2", width="100%", align="center",
                )),
                spacing="1", min_width="0", flex="1",
            ),
            spacing="3", width="100%",
        ),
        width="100%",
        class_name="share-row",
    )


@rx.page(route=routes.SHARES, title=page_title("Shared links"), on_load=SharesState.load)
def shares_page() -> rx.Component:
    return layout(
        rx.heading("Shared links", size="6", margin_bottom="0.25em"),
        rx.text("Links to your photos and albums that people can open without an account. "
                "Use “Share” on a photo or an album to make one.", size="2", color_scheme="gray"),
        rx.cond(SharesState.loaded & (SharesState.rows.length() == 0),
                rx.callout("You have not shared anything yet.", icon="info", margin_top="1em", id="shares-empty")),
        rx.vstack(rx.foreach(SharesState.rows, _row), spacing="2", width="100%", margin_top="1em", id="share-list"),
    )


# The public page -------------------------------------------------------------------------------


def _frame(*children: rx.Component) -> rx.Component:
    return rx.box(
        rx.flex(brand(), rx.spacer(), padding="0.75em 1em", border_bottom=f"1px solid {rx.color('gray', 5)}",
                align="center"),
        rx.box(*children, max_width="72em", margin="0 auto", padding="1em", width="100%"),
        min_height="100vh",
    )


def _password_form() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.icon("lock", size=18), rx.heading("This link is protected", size="4"), align="center"),
            rx.text(PublicShareState.link_owner, " protected “", PublicShareState.link_title,
                    "” with a password.", size="2"),
            notice_callout(),
            native_form(
                rx.vstack(
                    rx.text("Password", as_="label", size="2", weight="medium", html_for="share-unlock-password"),
                    rx.input(type="password", name="password", id="share-unlock-password", required=True,
                             auto_complete="off", width="100%", auto_focus=True),
                    rx.button("Open", type="submit", id="share-unlock-submit", width="100%"),
                    spacing="2", width="100%",
                ),
                action=PublicShareState.unlock_action, method="post", width="100%", id="share-unlock-form",
            ),
            spacing="3", width="100%",
        ),
        max_width="26em", margin="3em auto", width="100%",
    )


def _tile(tile: SharedTile) -> rx.Component:
    return rx.box(
        rx.cond(tile.thumb_url != "",
                rx.image(src=tile.thumb_url, alt=tile.title, width="100%", height="100%", object_fit="cover",
                         loading="lazy"),
                rx.center(rx.icon("file", size=28), width="100%", height="100%")),
        rx.cond(tile.kind == "video", rx.box(rx.icon("play", size=18, color="white"), position="absolute",
                                             bottom="6px", left="6px")),
        on_click=PublicShareState.show(tile.index),
        position="relative", aspect_ratio="1", overflow="hidden", cursor="pointer",
        background=rx.color("gray", 3), border_radius="var(--radius-2)", class_name="shared-tile",
        role="button", aria_label=tile.title,
    )


def _stage() -> rx.Component:
    return rx.box(
        rx.match(
            PublicShareState.current_kind,
            ("video", rx.el.video(src=PublicShareState.current_video, controls=True, preload="metadata",
                                  plays_inline=True, poster=PublicShareState.current_preview, width="100%",
                                  max_height="75vh", background="black", id="shared-player")),
            ("audio", rx.el.audio(src=PublicShareState.current_video, controls=True, preload="metadata",
                                  width="100%", id="shared-player")),
            rx.image(src=PublicShareState.current_preview, alt=PublicShareState.current_title, id="shared-image",
                     style={"max_width": "100%", "max_height": "75vh", "margin": "0 auto", "display": "block",
                            "object_fit": "contain"}),
        ),
        width="100%", background=rx.color("gray", 2), border_radius="var(--radius-3)", overflow="hidden",
    )


def _viewer() -> rx.Component:
    album = PublicShareState.link_kind == "album"
    return rx.vstack(
        rx.flex(
            rx.cond(album, rx.icon_button(rx.icon("arrow-left", size=16), variant="soft",
                                          aria_label="Back to the album", on_click=PublicShareState.show(-1),
                                          id="shared-back")),
            rx.text(PublicShareState.current_title, weight="medium", flex="1", min_width="0", truncate=True),
            rx.cond(album, rx.hstack(
                rx.icon_button(rx.icon("chevron-left", size=16), variant="soft", aria_label="Previous",
                               disabled=PublicShareState.current <= 0,
                               on_click=PublicShareState.show(PublicShareState.current - 1), id="shared-previous"),
                rx.icon_button(rx.icon("chevron-right", size=16), variant="soft", aria_label="Next",
                               disabled=PublicShareState.current >= PublicShareState.tiles.length() - 1,
                               on_click=PublicShareState.show(PublicShareState.current + 1), id="shared-next"),
                spacing="2")),
            rx.cond(PublicShareState.current_download != "",
                    rx.link(rx.button(rx.icon("download", size=16), "Download", variant="soft"),
                            href=PublicShareState.current_download, id="shared-download", download=True)),
            spacing="2", align="center", width="100%",
        ),
        _stage(),
        spacing="3", width="100%", id="shared-viewer",
    )


def _open() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.vstack(
                rx.heading(PublicShareState.link_title, size="6", id="shared-title",
                           style={"word_break": "break-word"}),
                rx.text("Shared by ", PublicShareState.link_owner,
                        rx.cond(PublicShareState.link_expires != "", rx.fragment(" · until ",
                                                                                 PublicShareState.link_expires)),
                        size="2", color_scheme="gray"),
                spacing="1", flex="1", min_width="0",
            ),
            rx.cond(PublicShareState.zip_url != "",
                    rx.link(rx.button(rx.icon("folder-down", size=16), "Download all (ZIP)"),
                            href=PublicShareState.zip_url, id="shared-zip", download=True)),
            spacing="3", wrap="wrap", width="100%", align="center",
        ),
        rx.cond(PublicShareState.link_description != "",
                rx.text(PublicShareState.link_description, white_space="pre-wrap", size="2")),
        rx.cond(
            PublicShareState.current >= 0,
            _viewer(),
            rx.cond(PublicShareState.tiles.length() == 0,
                    rx.callout("There is nothing to show here right now.", icon="info", id="shared-empty"),
                    rx.grid(rx.foreach(PublicShareState.tiles, _tile), columns=rx.breakpoints(initial="3", sm="4",
                                                                                              md="6"),
                            spacing="2", width="100%", id="shared-grid")),
        ),
        spacing="3", width="100%",
    )


def _unavailable() -> rx.Component:
    return rx.callout(PublicShareState.link_message, icon="link-2-off", color_scheme="red", id="shared-unavailable",
                      max_width="36em", margin="3em auto")


@rx.page(route=routes.SHARE_PAGE, title=page_title("Shared with you"), on_load=PublicShareState.load)
def shared_page() -> rx.Component:
    return _frame(
        rx.match(
            PublicShareState.link_status,
            ("open", _open()),
            ("locked", _password_form()),
            ("gone", _unavailable()),
            ("missing", _unavailable()),
            rx.center(rx.spinner(size="3"), padding="3em"),
        ),
    )
