"""Support ticket pieces: status badges, ticket lists, the thread and the picture picker."""

from __future__ import annotations

import reflex as rx

from mediashare.services import tickets as ticket_rules
from mediashare.state.tickets import MessageRow, PictureRow, TicketRow

_STATUS_COLORS = {"open": "blue", "pending": "amber", "resolved": "green", "closed": "gray"}
_IMAGE_TYPES = {"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"],
                "image/gif": [".gif"], "image/heic": [".heic"], "image/heif": [".heif"],
                "image/tiff": [".tif", ".tiff"], "image/bmp": [".bmp"]}


def status_badge(status: rx.Var) -> rx.Component:
    return rx.badge(status, color_scheme=rx.match(status, *_STATUS_COLORS.items(), "gray"), variant="soft",
                    class_name="ticket-status")


def ticket_list(rows: rx.Var, *, staff: bool, id: str) -> rx.Component:
    """Tickets as cards (they read well at phone width), newest activity first."""
    def card(row: TicketRow) -> rx.Component:
        return rx.link(
            rx.card(
                rx.vstack(
                    rx.flex(
                        rx.text("#", row.id, " ", row.subject, weight="bold", size="3", trim="both",
                                style={"overflow-wrap": "anywhere"}),
                        rx.spacer(),
                        status_badge(row.status),
                        spacing="2", width="100%", align="center",
                    ),
                    rx.text(
                        row.category,
                        rx.cond(staff, rx.fragment(" · from ", row.requester, " · with ", row.handled_by,
                                                   " · assigned: ", row.assignee), rx.fragment()),
                        " · updated ", row.updated,
                        size="1", color_scheme="gray",
                    ),
                    spacing="1", width="100%",
                ),
                width="100%",
            ),
            href=row.url, underline="none", color="inherit", width="100%", class_name="ticket-row",
        )

    return rx.vstack(rx.foreach(rows, card), spacing="2", width="100%", id=id)


def picture_picker(upload_id: str) -> rx.Component:
    """Choose up to MAX_FILES pictures; the chosen names are listed below the button."""
    return rx.vstack(
        rx.upload.root(
            rx.button(rx.icon("image-plus", size=16), "Add pictures", type="button", variant="soft", size="2"),
            id=upload_id,
            accept=_IMAGE_TYPES,
            max_files=ticket_rules.MAX_FILES,
            multiple=True,
            max_size=ticket_rules.MAX_FILE_BYTES,
            no_drag=False,
        ),
        rx.foreach(rx.selected_files(upload_id),
                   lambda name: rx.text(rx.icon("image", size=12), " ", name, size="1", color_scheme="gray")),
        rx.text(f"Optional: up to {ticket_rules.MAX_FILES} pictures (JPEG, PNG, WebP, GIF, HEIC), "
                f"{ticket_rules.MAX_FILE_BYTES // (1024 * 1024)} MB each.", size="1", color_scheme="gray"),
        spacing="1", align="start", width="100%",
    )


def _picture(picture: PictureRow) -> rx.Component:
    return rx.link(
        rx.image(src=picture.url, alt=picture.filename, max_height="10em", max_width="100%", border_radius="6px",
                 loading="lazy"),
        href=picture.url, is_external=True, title=picture.filename, class_name="ticket-picture",
    )


def thread(messages: rx.Var) -> rx.Component:
    """The messages, oldest first; staff replies are tinted; the platform's notes are a quiet line."""
    def note(row: MessageRow) -> rx.Component:
        return rx.hstack(
            rx.icon("arrow-right-left", size=14, color=rx.color("gray", 10), flex_shrink="0"),
            rx.text(row.body, " · ", row.created, size="1", color_scheme="gray", style={"overflow-wrap": "anywhere"}),
            align="center", spacing="2", width="100%", padding_x="0.5em", class_name="ticket-note",
        )

    def message(row: MessageRow) -> rx.Component:
        return rx.cond(row.is_note, note(row), rx.card(
            rx.vstack(
                rx.hstack(
                    rx.text(row.author, weight="bold", size="2"),
                    rx.cond(row.from_staff, rx.badge("Support", color_scheme="iris", variant="soft", size="1")),
                    rx.spacer(),
                    rx.text(row.created, size="1", color_scheme="gray"),
                    width="100%", align="center", wrap="wrap",
                ),
                rx.text(row.body, size="2", white_space="pre-wrap", style={"overflow-wrap": "anywhere"}),
                rx.cond(row.pictures.length() > 0,
                        rx.flex(rx.foreach(row.pictures, _picture), wrap="wrap", spacing="2")),
                spacing="2", width="100%",
            ),
            width="100%",
            background_color=rx.cond(row.from_staff, rx.color("iris", 2), rx.color("gray", 1)),
            class_name="ticket-message",
        ))

    return rx.vstack(rx.foreach(messages, message), spacing="3", width="100%", id="ticket-thread")
