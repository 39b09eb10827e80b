"""/gallery and /favorites: the signed-in person's media (or only what they starred), newest first,
with sort, type filter and bulk actions."""

from __future__ import annotations

import reflex as rx

from mediashare import routes
from mediashare.components.albums import add_to_album_button, add_to_album_dialog
from mediashare.components.layout import layout, page_title
from mediashare.components.media_grid import empty_notice, media_grid, selection_bar
from mediashare.components.meta_dialogs import dates_dialog, place_dialog, tags_dialog
from mediashare.state.gallery import GalleryState

_KINDS = (("all", "All types"), ("image", "Photos"), ("video", "Videos"), ("audio", "Audio"))
_SORTS = (("taken", "Date taken"), ("uploaded", "Date uploaded"))


def _select(label: str, value: rx.Var, options: tuple[tuple[str, str], ...], on_change, id_: str) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(aria_label=label, id=id_),
        rx.select.content(*[rx.select.item(text, value=key) for key, text in options]),
        value=value,
        on_change=on_change,
        size="2",
    )


# Wide screens show the filters inline; a phone folds them into the "Filters" popover.
_WIDE_ONLY = rx.breakpoints(initial="none", sm="flex")
_PHONE_ONLY = rx.breakpoints(initial="flex", sm="none")


def _view_filters(suffix: str = "") -> list[rx.Component]:
    """Sort, type and tag (ids end in `suffix`: the phone's popover has its own copies)."""
    return [
        _select("Sort by", GalleryState.sort, _SORTS, GalleryState.set_sort, "gallery-sort" + suffix),
        _select("Type", GalleryState.kind, _KINDS, GalleryState.set_kind, "gallery-kind" + suffix),
        rx.cond(
            GalleryState.tag_options.length() > 0,
            rx.select.root(
                rx.select.trigger(aria_label="Tag", id="gallery-tag" + suffix, placeholder="All tags"),
                rx.select.content(
                    rx.select.item("All tags", value="all"),
                    rx.foreach(GalleryState.tag_options, lambda name: rx.select.item(name, value=name)),
                ),
                value=rx.cond(GalleryState.tag == "", "all", GalleryState.tag),
                on_change=GalleryState.set_tag,
                size="2",
            ),
        ),
    ]


def _narrowing_filters(suffix: str = "") -> list[rx.Component]:
    """The date range, the place filter and the button that clears every filter."""
    fit = {"flex": "1", "min_width": "0"} if suffix else {}  # the popover: both dates share its width
    return [
        rx.hstack(
            rx.input(type="date", value=GalleryState.since, aria_label="From date", id="gallery-since" + suffix,
                     on_change=lambda value: GalleryState.set_dates(value, GalleryState.until), **fit),
            rx.text("–", color_scheme="gray"),
            rx.input(type="date", value=GalleryState.until, aria_label="To date", id="gallery-until" + suffix,
                     on_change=lambda value: GalleryState.set_dates(GalleryState.since, value), **fit),
            spacing="1",
            align="center",
            width="100%" if suffix else "auto",
        ),
        _select("Place", GalleryState.place, _PLACES, GalleryState.set_place, "gallery-place" + suffix),
        rx.cond(GalleryState.filtering,
                rx.button(rx.icon("x", size=14), "Clear", variant="ghost", on_click=GalleryState.clear_filters,
                          id="gallery-clear-filters" + suffix)),
    ]


def _labelled(label: str, control: rx.Component) -> rx.Component:
    return rx.vstack(rx.text(label, size="1", color_scheme="gray"), control, spacing="1", width="100%")


def _filters_popover() -> rx.Component:
    """Phone only: one "Filters" button (marked while a filter is on) opening every filter."""
    sort, kind, tag = _view_filters("-m")
    dates, place, clear = _narrowing_filters("-m")
    return rx.box(
        rx.popover.root(
            rx.popover.trigger(
                rx.button(rx.icon("sliders-horizontal", size=16), "Filters",
                          rx.cond(GalleryState.filtering, rx.box(width="8px", height="8px", border_radius="50%",
                                                                 background=rx.color("accent", 9),
                                                                 id="gallery-filters-on")),
                          size="2", variant="soft", color_scheme="gray", id="gallery-filters"),
            ),
            rx.popover.content(
                rx.vstack(
                    _labelled("Sort by", sort),
                    _labelled("Type", kind),
                    rx.cond(GalleryState.tag_options.length() > 0, _labelled("Tag", tag)),
                    _labelled("Taken between", dates),
                    _labelled("Place", place),
                    rx.flex(clear, rx.spacer(),
                            rx.popover.close(rx.button("Done", size="2", id="gallery-filters-done")),
                            width="100%", align="center"),
                    spacing="3",
                    width="100%",
                ),
                width="min(92vw, 22em)",
                id="gallery-filters-panel",
            ),
        ),
        display=_PHONE_ONLY,
    )


def _toolbar(heading: str) -> rx.Component:
    return rx.flex(
        rx.heading(heading, size="6"),
        rx.spacer(),
        rx.flex(*_view_filters(), gap="2", align="center", wrap="wrap", display=_WIDE_ONLY),
        rx.cond(
            GalleryState.favorites_view,
            rx.link(rx.button(rx.icon("images", size=16), "All items", variant="soft", color_scheme="gray"),
                    href=routes.GALLERY, id="gallery-link"),
            rx.link(rx.button(rx.icon("star", size=16), "Favorites", variant="soft", color_scheme="gray"),
                    href=routes.FAVORITES, id="favorites-link"),
        ),
        rx.link(rx.button(rx.icon("trash-2", size=16), "Trash", variant="soft", color_scheme="gray"),
                href=routes.TRASH, id="trash-link"),
        spacing="2",
        align="center",
        wrap="wrap",
        margin_bottom="1em",
    )


_PLACES = (("any", "Any place"), ("yes", "Has a place"), ("no", "No place"))


def _search_bar() -> rx.Component:
    """Search words (as you type), a date range and a place filter; one button clears them all."""
    return rx.flex(
        rx.input(
            rx.input.slot(rx.icon("search", size=16)),
            placeholder="Search titles, file names, tags, people, cameras…",
            type="search",
            value=GalleryState.q,
            on_change=GalleryState.set_query.debounce(300),
            max_length=200,
            aria_label="Search",
            id="gallery-search",
            flex_grow="1",
            min_width=rx.breakpoints(initial="0", sm="14em"),
        ),
        _filters_popover(),
        rx.flex(*_narrowing_filters(), gap="2", align="center", wrap="wrap", display=_WIDE_ONLY),
        spacing="2",
        align="center",
        wrap="wrap",
        margin_bottom="1em",
    )


def _more_menu() -> rx.Component:
    """Less frequent bulk actions, in a menu so the bar stays one line on a phone."""
    return rx.menu.root(
        rx.menu.trigger(rx.button(rx.icon("ellipsis", size=16), "More", size="2", variant="soft", id="bulk-more")),
        rx.menu.content(
            rx.menu.item(rx.icon("star", size=14), "Add to favorites", on_click=GalleryState.favorite_selected,
                         id="favorite-selected"),
            rx.menu.item(rx.icon("star-off", size=14), "Remove from favorites",
                         on_click=GalleryState.unfavorite_selected, id="unfavorite-selected"),
            rx.menu.separator(),
            rx.menu.item(rx.icon("tags", size=14), "Tags…", on_click=GalleryState.open_meta_dialog("tags"),
                         id="edit-tags-selected"),
            rx.menu.item(rx.icon("calendar-clock", size=14), "Date taken…",
                         on_click=GalleryState.open_meta_dialog("dates"), id="edit-dates-selected"),
            rx.menu.item(rx.icon("map-pin", size=14), "Place…", on_click=GalleryState.open_meta_dialog("place"),
                         id="edit-place-selected"),
        ),
    )


def _page(heading: str, empty: str) -> rx.Component:
    return layout(
        _toolbar(heading),
        _search_bar(),
        selection_bar(
            add_to_album_button(),
            rx.button(rx.icon("download", size=16), "Download ZIP", on_click=GalleryState.download_selected,
                      size="2", variant="soft", id="download-selected"),
            _more_menu(),
            rx.button(rx.icon("trash-2", size=16), "Move to trash", on_click=GalleryState.trash_selected,
                      size="2", color_scheme="red", id="trash-selected"),
        ),
        dates_dialog(GalleryState, on_submit=GalleryState.edit_dates_selected, prefix="bulk"),
        tags_dialog(GalleryState, on_submit=GalleryState.edit_tags_selected, options=GalleryState.tag_options,
                    prefix="bulk"),
        place_dialog(GalleryState, on_submit=GalleryState.edit_place_selected,
                     on_clear=GalleryState.clear_place_selected, prefix="bulk"),
        empty_notice(rx.cond(GalleryState.filtering, "Nothing matches. Try fewer words or clear the filters.",
                             empty)),
        media_grid(),
        add_to_album_dialog(),
        rx.cond(
            GalleryState.has_more,
            rx.center(rx.button("Load more", on_click=GalleryState.load_more, variant="soft", id="load-more",
                                margin_top="1em")),
        ),
    )


@rx.page(route=routes.GALLERY, title=page_title("Gallery"), on_load=GalleryState.load)
def gallery() -> rx.Component:
    return _page("Gallery", "Nothing here yet. Upload photos, videos or audio and they appear here.")


@rx.page(route=routes.FAVORITES, title=page_title("Favorites"), on_load=GalleryState.load_favorites)
def favorites() -> rx.Component:
    return _page("Favorites", "No favorites yet. Star a photo or a video (the ☆ on a tile, or on its page) and "
                              "it appears here.")
