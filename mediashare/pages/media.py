"""/media/[media_id]: one item — picture or player, previous/next, details, rename, download."""

import reflex as rx

from mediashare import routes
from mediashare.components.catalog import editor_dialog
from mediashare.components.layout import layout, page_title
from mediashare.components.media_viewer import (
    NAVIGATION_SCRIPT,
    details_form,
    metadata_panel,
    navigation,
    resume_script,
    save_now_button,
    share_control,
    stage,
)
from mediashare.components.meta_dialogs import dates_dialog, place_dialog, tag_chips
from mediashare.components.people import face_overlay, people_panel
from mediashare.pages.not_found import not_found_panel
from mediashare.state.catalog import CatalogEditorState
from mediashare.state.media import MediaState
from mediashare.state.people import FacesState
from mediashare.state.session import SessionState


def _header() -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.heading(MediaState.title, size="6", id="media-title", style={"word_break": "break-word"}),
            rx.cond(MediaState.edited_label != "",
                    rx.badge(rx.icon("wand-sparkles", size=12), MediaState.edited_label, id="media-edited")),
            rx.cond(MediaState.description != "",
                    rx.text(MediaState.description, color_scheme="gray", id="media-description",
                            white_space="pre-wrap")),
            spacing="1",
            min_width="0",
            flex_grow="1",
        ),
        rx.hstack(
            navigation(),
            rx.icon_button(rx.icon("star", size=16, fill=rx.cond(MediaState.favorite, "currentColor", "none")),
                           variant="soft", color_scheme=rx.cond(MediaState.favorite, "amber", "gray"),
                           aria_label=rx.cond(MediaState.favorite, "Remove from favorites", "Add to favorites"),
                           aria_pressed=MediaState.favorite, on_click=MediaState.toggle_favorite,
                           id="media-favorite"),
            rx.icon_button(rx.icon("pencil", size=16), variant="soft", aria_label="Rename or describe",
                           on_click=MediaState.set_editing(True), id="media-edit"),
            rx.cond(MediaState.can_edit,
                    rx.link(rx.button(rx.icon("sliders-horizontal", size=16), "Edit", variant="soft"),
                            href=MediaState.studio_href, id="media-studio")),
            rx.link(rx.button(rx.icon("download", size=16), "Download", variant="soft"),
                    href=MediaState.download_url, id="media-download", download=True),
            rx.cond((SessionState.is_reseller | SessionState.is_admin) & (MediaState.kind != "image"),
                    rx.button(rx.icon("clapperboard", size=16), "Catalog…", variant="soft",
                              on_click=CatalogEditorState.open_for_media(MediaState.item_id),
                              id="media-publish")),
            share_control(),
            spacing="2",
            wrap="wrap",
        ),
        direction=rx.breakpoints(initial="column", sm="row"),
        spacing="3",
        width="100%",
    )


def _detail() -> rx.Component:
    return rx.vstack(
        _header(),
        tag_chips(MediaState.tags, on_remove=MediaState.remove_tag, on_add=MediaState.add_tags,
                  options=MediaState.tag_suggestions, form_key=MediaState.tags.length()),
        rx.cond(MediaState.editing, details_form()),
        rx.cond(
            MediaState.resume_label != "",
            rx.button(rx.icon("play", size=16), MediaState.resume_label, variant="soft",
                      on_click=resume_script(), id="media-resume"),
        ),
        stage(face_overlay()),
        people_panel(),
        save_now_button(),
        metadata_panel(
            rx.button(rx.icon("calendar-clock", size=16), "Date taken", variant="soft", size="2",
                      on_click=MediaState.open_meta_dialog("dates"), id="media-edit-dates"),
            rx.button(rx.icon("map-pin", size=16), "Place", variant="soft", size="2",
                      on_click=MediaState.open_meta_dialog("place"), id="media-edit-place"),
        ),
        dates_dialog(MediaState, on_submit=MediaState.edit_dates, taken_local=MediaState.taken_local,
                     taken_offset=MediaState.taken_offset, prefix="media"),
        place_dialog(MediaState, on_submit=MediaState.edit_place, on_clear=MediaState.clear_place,
                     latitude=MediaState.latitude_text, longitude=MediaState.longitude_text, prefix="media"),
        editor_dialog(),
        spacing="4",
        width="100%",
        id="media-detail",
        on_mount=rx.call_script(NAVIGATION_SCRIPT),
    )


@rx.page(route=routes.MEDIA_DETAIL, title=page_title("Media"), on_load=[MediaState.load, FacesState.load])
def media_detail() -> rx.Component:
    return layout(rx.cond(MediaState.missing, not_found_panel(), rx.cond(MediaState.item_id > 0, _detail())))
