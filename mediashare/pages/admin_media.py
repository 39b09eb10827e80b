"""/admin/media (admins: everyone's media) and /admin/media-types (allowed types and size limits)."""

from __future__ import annotations

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.state.media_admin import AdminMediaRow, MediaAdminState, MediaTypeRow, MediaTypesState

_KINDS = (("all", "All types"), ("image", "Photos"), ("video", "Videos"), ("audio", "Audio"))


def _filters() -> rx.Component:
    return rx.flex(
        rx.input(rx.input.slot(rx.icon("search", size=16)), id="media-search", type="search",
                 placeholder="Title, file name or owner", max_length=100,
                 on_change=MediaAdminState.search.debounce(300), flex="1 1 16em", min_width="0"),
        rx.input(id="media-owner", placeholder="Owner username", max_length=100,
                 on_change=MediaAdminState.filter_owner.debounce(300), flex="0 1 12em", min_width="0"),
        rx.select.root(
            rx.select.trigger(aria_label="Type", id="media-kind"),
            rx.select.content(*[rx.select.item(text, value=key) for key, text in _KINDS]),
            value=MediaAdminState.kind,
            on_change=MediaAdminState.filter_kind,
        ),
        spacing="2",
        wrap="wrap",
        width="100%",
        margin_bottom="1em",
    )


def _media_row(row: AdminMediaRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.vstack(
            rx.link(row.title, href=row.href, weight="medium"),
            rx.text(row.filename, size="1", color_scheme="gray"),
            spacing="0",
        ), max_width="22em", overflow="hidden", text_overflow="ellipsis"),
        rx.table.cell(row.owner),
        rx.table.cell(rx.hstack(rx.badge(row.kind, variant="soft"),
                                rx.cond(row.trashed, rx.badge("trash", color_scheme="red", variant="soft")),
                                rx.cond(row.status != "ready", rx.badge(row.status, variant="outline")),
                                spacing="1", wrap="wrap")),
        rx.table.cell(row.size, white_space="nowrap"),
        rx.table.cell(row.uploaded, white_space="nowrap"),
        rx.table.cell(rx.cond(
            row.manageable,
            rx.button("Edit", size="1", variant="soft", on_click=MediaAdminState.open_edit(row.id),
                      aria_label="Edit " + row.title),
            rx.text("—", color_scheme="gray"),
        )),
        data_id=row.id,
    )


def _edit_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Edit item"),
            rx.form(
                rx.vstack(
                    rx.text("Title", size="2", as_="label", html_for="edit-title"),
                    rx.input(id="edit-title", name="title", default_value=MediaAdminState.edit_title,
                             max_length=200, width="100%"),
                    rx.text("Description", size="2", as_="label", html_for="edit-description"),
                    rx.text_area(id="edit-description", name="description",
                                 default_value=MediaAdminState.edit_description, max_length=5000, width="100%"),
                    rx.text("Owner (username)", size="2", as_="label", html_for="edit-owner"),
                    rx.input(id="edit-owner", name="owner", default_value=MediaAdminState.edit_owner,
                             max_length=100, width="100%"),
                    rx.text("Moving an item moves its size to the new owner's storage.", size="1",
                            color_scheme="gray"),
                    rx.flex(
                        rx.button("Delete for good", type="button", color_scheme="red", variant="soft",
                                  on_click=MediaAdminState.delete, id="edit-delete"),
                        rx.spacer(),
                        rx.dialog.close(rx.button("Cancel", type="button", variant="soft", color_scheme="gray")),
                        rx.button("Save", type="submit", id="edit-save"),
                        spacing="2",
                        width="100%",
                        wrap="wrap",
                    ),
                    spacing="2",
                ),
                on_submit=MediaAdminState.save,
                reset_on_submit=False,
            ),
            max_width="32em",
        ),
        open=MediaAdminState.dialog_open,
        on_open_change=MediaAdminState.close_dialog,
    )


def _pager() -> rx.Component:
    return rx.hstack(
        rx.text(MediaAdminState.total, " items", size="2", color_scheme="gray", id="media-count"),
        rx.spacer(),
        rx.button(rx.icon("chevron-left", size=16), size="1", variant="soft", aria_label="Previous page",
                  disabled=MediaAdminState.page <= 1, on_click=MediaAdminState.go_to(MediaAdminState.page - 1)),
        rx.text(MediaAdminState.page, " / ", MediaAdminState.pages, size="2"),
        rx.button(rx.icon("chevron-right", size=16), size="1", variant="soft", aria_label="Next page",
                  disabled=MediaAdminState.page >= MediaAdminState.pages,
                  on_click=MediaAdminState.go_to(MediaAdminState.page + 1)),
        align="center",
        width="100%",
        margin_top="0.75em",
    )


@rx.page(route=routes.ADMIN_MEDIA, title=page_title("Media"), on_load=MediaAdminState.load)
def admin_media() -> rx.Component:
    return layout(
        rx.flex(
            rx.heading("Media", size="6"),
            rx.spacer(),
            rx.link(rx.button(rx.icon("file-cog", size=16), "Media types", variant="soft", color_scheme="gray"),
                    href=routes.ADMIN_MEDIA_TYPES),
            align="center",
            margin_bottom="1em",
        ),
        rx.cond(
            MediaAdminState.loaded,
            rx.box(
                _filters(),
                rx.box(
                    rx.table.root(
                        rx.table.header(rx.table.row(*[rx.table.column_header_cell(label) for label in
                                                       ("Item", "Owner", "Type", "Size", "Uploaded", "")])),
                        rx.table.body(rx.foreach(MediaAdminState.rows, _media_row)),
                        variant="surface",
                        size="1",
                        id="media-table",
                    ),
                    overflow_x="auto",
                    width="100%",
                ),
                _pager(),
                _edit_dialog(),
            ),
            rx.callout(MediaAdminState.notice, icon="info"),
        ),
    )


def _type_row(row: MediaTypeRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.code("." + row.extension)),
        rx.table.cell(row.label),
        rx.table.cell(rx.badge(row.kind, variant="soft")),
        rx.table.cell(rx.switch(checked=row.enabled, on_change=lambda value: MediaTypesState.set_enabled(
            row.extension, value), aria_label="Enable ." + row.extension)),
        rx.table.cell(rx.input(default_value=row.max_mb.to_string(), type="number", min="1", max="50000",
                               width="7em", aria_label="Size limit in MB for ." + row.extension,
                               on_blur=lambda value: MediaTypesState.set_max_mb(row.extension, value))),
        data_extension=row.extension,
    )


@rx.page(route=routes.ADMIN_MEDIA_TYPES, title=page_title("Media types"), on_load=MediaTypesState.load)
def admin_media_types() -> rx.Component:
    return layout(
        rx.heading("Media types", size="6", margin_bottom="0.5em"),
        rx.text("Which file types people may upload, and how large each may be (in MB).", color_scheme="gray",
                size="2", as_="p", margin_bottom="1em"),
        rx.cond(
            MediaTypesState.loaded,
            rx.box(
                rx.table.root(
                    rx.table.header(rx.table.row(*[rx.table.column_header_cell(label) for label in
                                                   ("Extension", "Label", "Kind", "Enabled", "Max MB")])),
                    rx.table.body(rx.foreach(MediaTypesState.types, _type_row)),
                    variant="surface",
                    size="1",
                    id="media-types-table",
                ),
                overflow_x="auto",
                width="100%",
            ),
            rx.callout(MediaTypesState.notice, icon="info"),
        ),
    )
