"""The upload drop zone, the owner picker and the per-file result list."""

from __future__ import annotations

import reflex as rx
from reflex.vars.base import Var
from reflex_base.vars import VarData
from reflex_components_core.core.upload import get_upload_files_context_var_data

from mediashare import routes
from mediashare.state.upload import MAX_FILES, UPLOAD_ID, FileRow, OwnerChoice, UploadState

_STATUS_COLOR = {"stored": "green", "duplicate": "blue", "rejected": "red", "cancelled": "gray",
                 "checking": "amber", "receiving": "amber", "waiting": "gray"}


def _selected(field: str) -> Var:
    """A list read from the files chosen in the drop zone (names or sizes), for the upload's arguments."""
    return Var(
        _js_expr=f"(filesById['{UPLOAD_ID}'] ? filesById['{UPLOAD_ID}'].map((f) => f.{field}) : [])",
        _var_type=list,
        _var_data=VarData.merge(get_upload_files_context_var_data()),
    )


def _selected_bytes() -> Var:
    """The total size of the chosen files, in the browser."""
    return Var(
        _js_expr=f"(filesById['{UPLOAD_ID}'] ? filesById['{UPLOAD_ID}'].reduce((sum, f) => sum + f.size, 0) : 0)",
        _var_type=int,
        _var_data=VarData.merge(get_upload_files_context_var_data()),
    ).to(int)


def _megabytes(amount: Var) -> Var:
    return Var(_js_expr=f"(({amount}) / 1048576).toFixed(1)", _var_type=str, _var_data=amount._get_all_var_data())


def _too_much() -> Var:
    """The chosen files exceed what one upload may carry (the server would refuse the request before
    reading it, so say so here instead of sending)."""
    return (UploadState.request_cap > 0) & (_selected_bytes() > UploadState.request_cap)


def price_notice() -> rx.Component:
    """What the upload will cost the library's owner, shown only when uploads are priced."""
    return rx.cond(
        (UploadState.photo_price > 0) | (UploadState.video_gb_price > 0),
        rx.callout(
            rx.text(
                "Each photo uses ", UploadState.photo_price, " credits; each started GB of video uses ",
                UploadState.video_gb_price, " credits. The library's owner pays and has ",
                UploadState.credit_balance, " credits. ",
                rx.link("Credits", href=routes.CREDITS),
            ),
            icon="coins", size="1", width="100%", id="upload-price",
        ),
    )


def over_cap_notice() -> rx.Component:
    return rx.cond(
        _too_much(),
        rx.callout(
            rx.text("These files add up to ", _megabytes(_selected_bytes()), " MB; one upload can carry at most ",
                    _megabytes(UploadState.request_cap), " MB. Choose fewer files."),
            icon="triangle-alert", color_scheme="red", size="1", width="100%", id="over-cap",
        ),
    )


def _start_upload() -> rx.event.EventSpec:
    return UploadState.receive(
        rx.upload_files_chunk(upload_id=UPLOAD_ID, on_upload_progress=UploadState.set_progress),
        _selected("name"),
        _selected("size"),
    )


def drop_zone() -> rx.Component:
    return rx.upload.root(
        rx.vstack(
            rx.icon("cloud-upload", size=36, color=rx.color("accent", 10)),
            rx.text("Drop photos, videos and audio here", weight="medium", text_align="center"),
            rx.button("Choose files", type="button", variant="soft", id="choose-files"),
            rx.text(f"Up to {MAX_FILES} files at once.", size="1", color_scheme="gray"),
            align="center",
            spacing="2",
            padding="2em 1em",
            width="100%",
        ),
        id=UPLOAD_ID,
        multiple=True,
        max_files=MAX_FILES,
        disabled=UploadState.uploading,
        border=f"2px dashed {rx.color('gray', 7)}",
        border_radius="12px",
        width="100%",
        cursor="pointer",
    )


def selection_bar() -> rx.Component:
    count = rx.selected_files(UPLOAD_ID).length()
    return rx.flex(
        rx.text(count, " file(s) chosen", size="2", id="selected-count"),
        rx.spacer(),
        rx.button(rx.icon("x", size=14), "Clear", variant="ghost", color_scheme="gray", type="button",
                  on_click=rx.clear_selected_files(UPLOAD_ID), disabled=UploadState.uploading),
        rx.cond(
            UploadState.uploading,
            rx.button(rx.icon("circle-stop", size=16), "Cancel", color_scheme="red", variant="soft",
                      on_click=[rx.cancel_upload(UPLOAD_ID), UploadState.mark_cancelled], id="cancel-upload"),
            rx.button(rx.icon("upload", size=16), "Upload", on_click=[UploadState.begin, _start_upload()],
                      id="start-upload", disabled=(count == 0) | _too_much()),
        ),
        align="center",
        spacing="3",
        width="100%",
        wrap="wrap",
    )


def overall_progress() -> rx.Component:
    return rx.cond(
        UploadState.rows.length() > 0,
        rx.vstack(
            rx.flex(
                rx.text("Sent ", UploadState.progress, "%", size="2", id="overall-percent"),
                rx.spacer(),
                rx.text(UploadState.done_count, " of ", UploadState.rows.length(), " done", size="2",
                        id="done-count"),
                width="100%",
            ),
            rx.progress(value=UploadState.progress, max=100, id="overall-progress", width="100%"),
            spacing="1",
            width="100%",
        ),
    )


def file_row(row: FileRow) -> rx.Component:
    return rx.box(
        rx.flex(
            rx.text(row.name, weight="medium", size="2", flex_grow="1", min_width="0", overflow="hidden",
                    text_overflow="ellipsis", white_space="nowrap", class_name="file-name"),
            rx.badge(row.status, color_scheme=rx.match(row.status, *_STATUS_COLOR.items(), "gray"),
                     variant="soft", class_name="file-status"),
            align="center",
            spacing="2",
            width="100%",
        ),
        rx.progress(value=row.percent, max=100, size="1", margin_y="0.35em", class_name="file-progress"),
        rx.cond(row.message != "", rx.text(row.message, size="1", color_scheme="gray", class_name="file-message")),
        rx.cond(row.message.contains(routes.TOP_UP),
                rx.link("Top up credits", href=routes.TOP_UP, size="1", class_name="file-top-up")),
        padding_y="0.5em",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        width="100%",
        class_name="file-row",
    )


def result_list() -> rx.Component:
    return rx.vstack(rx.foreach(UploadState.rows, file_row), spacing="0", width="100%", id="upload-results")


def _owner_choice(choice: OwnerChoice) -> rx.Component:
    return rx.button(choice.label, variant="ghost", size="2", justify="start", width="100%", type="button",
                     on_click=UploadState.choose_owner(choice.id), class_name="owner-choice")


def owner_picker() -> rx.Component:
    """For admins and resellers: whose library the files go to."""
    return rx.cond(
        UploadState.can_pick_owner,
        rx.card(
            rx.vstack(
                rx.flex(
                    rx.text("Upload for: ", size="2"),
                    rx.text(rx.cond(UploadState.owner_label != "", UploadState.owner_label, "myself"),
                            weight="bold", size="2", id="owner-label"),
                    rx.cond(UploadState.owner_id != 0,
                            rx.button("Myself", size="1", variant="soft", type="button",
                                      on_click=UploadState.upload_for_myself)),
                    spacing="2",
                    align="center",
                    wrap="wrap",
                ),
                rx.input(rx.input.slot(rx.icon("search", size=16)), type="search", id="owner-search",
                         placeholder="Search accounts you manage", max_length=100,
                         on_change=UploadState.search_owners.debounce(300), width="100%"),
                rx.vstack(rx.foreach(UploadState.owner_choices, _owner_choice), spacing="1", width="100%",
                          id="owner-choices"),
                rx.cond(
                    UploadState.owner_pages > 1,
                    rx.flex(
                        rx.button("Previous", size="1", variant="soft", type="button",
                                  disabled=UploadState.owner_page <= 1,
                                  on_click=UploadState.owner_page_to(UploadState.owner_page - 1)),
                        rx.text(UploadState.owner_page, " / ", UploadState.owner_pages, size="1"),
                        rx.button("Next", size="1", variant="soft", type="button",
                                  disabled=UploadState.owner_page >= UploadState.owner_pages,
                                  on_click=UploadState.owner_page_to(UploadState.owner_page + 1)),
                        spacing="2",
                        align="center",
                    ),
                ),
                spacing="2",
                width="100%",
            ),
            width="100%",
            id="owner-picker",
        ),
    )
