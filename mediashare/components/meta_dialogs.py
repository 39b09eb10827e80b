"""The "Date taken", "Place" and "Tags" dialogs, for the gallery's selection and one item's page,
and the tag chips of an item.

`state` is GalleryState or MediaState: both have `meta_dialog` ("" / "dates" / "place" / "tags"),
`open_meta_dialog(name)`, `meta_dialog_changed(open)`, and the handlers `dates` / `place` / `clear`
given here. Inputs are uncontrolled, so what was typed stays while an error is shown; the dialog
closes when the server accepted the change.
"""

from __future__ import annotations

import reflex as rx

from mediashare.state.media_meta import OFFSETS


def _label(text: str, html_for: str) -> rx.Component:
    return rx.text(text, as_="label", size="2", weight="medium", html_for=html_for)


def _buttons(submit_id: str, *extra: rx.Component) -> rx.Component:
    return rx.flex(
        *extra,
        rx.spacer(),
        rx.dialog.close(rx.button("Cancel", type="button", variant="soft", color_scheme="gray")),
        rx.button("Save", type="submit", id=submit_id),
        spacing="2",
        margin_top="1em",
        wrap="wrap",
    )


def _number(name: str, label: str, element_id: str) -> rx.Component:
    return rx.vstack(
        _label(label, element_id),
        rx.input(name=name, id=element_id, type="number", min="0", default_value="0", input_mode="numeric",
                 width="6em"),
        spacing="1",
    )


def dates_dialog(state, *, on_submit, taken_local: rx.Var | str = "", taken_offset: rx.Var | str = "0",
                 prefix: str) -> rx.Component:
    set_form = rx.form(
        rx.el.input(type="hidden", name="mode", value="set"),
        rx.vstack(
            _label("Date and time (as the clock showed where it was taken)", f"{prefix}-taken-at"),
            rx.input(name="taken_at", type="datetime-local", default_value=taken_local, id=f"{prefix}-taken-at",
                     required=True, width="100%"),
            _label("Time zone", f"{prefix}-offset"),
            rx.el.select(*[rx.el.option(text, value=value) for value, text in OFFSETS], name="offset",
                         default_value=taken_offset, id=f"{prefix}-offset",
                         style={"padding": "0.45em", "border_radius": "var(--radius-2)", "width": "100%",
                                "border": "1px solid var(--gray-a7)", "background": "var(--color-surface)",
                                "color": "var(--gray-12)", "font_size": "var(--font-size-2)"}),
            spacing="2",
            width="100%",
        ),
        _buttons(f"{prefix}-dates-save"),
        on_submit=on_submit,
        key=taken_local,
    )
    shift_form = rx.form(
        rx.el.input(type="hidden", name="mode", value="shift"),
        rx.vstack(
            rx.text("Move every chosen date by the same amount, e.g. when a camera's clock was wrong.", size="2",
                    color_scheme="gray"),
            rx.flex(_number("days", "Days", f"{prefix}-shift-days"), _number("hours", "Hours", f"{prefix}-shift-hours"),
                    _number("minutes", "Minutes", f"{prefix}-shift-minutes"), spacing="3", wrap="wrap"),
            rx.radio_group.root(
                rx.flex(rx.radio_group.item(value="later", id=f"{prefix}-shift-later"), rx.text("Later", size="2"),
                        rx.radio_group.item(value="earlier", id=f"{prefix}-shift-earlier"),
                        rx.text("Earlier", size="2"), spacing="2", align="center"),
                name="direction", default_value="later",
            ),
            spacing="3",
            width="100%",
        ),
        _buttons(f"{prefix}-shift-save"),
        on_submit=on_submit,
    )
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Date taken"),
            rx.tabs.root(
                rx.tabs.list(rx.tabs.trigger("Set a date", value="set", id=f"{prefix}-tab-set"),
                             rx.tabs.trigger("Shift dates", value="shift", id=f"{prefix}-tab-shift")),
                rx.tabs.content(set_form, value="set", padding_top="1em"),
                rx.tabs.content(shift_form, value="shift", padding_top="1em"),
                default_value="set",
            ),
            max_width="28em",
            id=f"{prefix}-dates-dialog",
        ),
        open=state.meta_dialog == "dates",
        on_open_change=state.meta_dialog_changed,
    )


def place_dialog(state, *, on_submit, on_clear, latitude: rx.Var | str = "", longitude: rx.Var | str = "",
                 prefix: str) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Place"),
            rx.dialog.description("Decimal degrees, as a map app copies them (e.g. 48.8584, 2.2945).", size="2"),
            rx.form(
                rx.flex(
                    rx.vstack(_label("Latitude", f"{prefix}-latitude"),
                              rx.input(name="latitude", default_value=latitude, id=f"{prefix}-latitude",
                                       input_mode="decimal", placeholder="−90 … 90", required=True), spacing="1"),
                    rx.vstack(_label("Longitude", f"{prefix}-longitude"),
                              rx.input(name="longitude", default_value=longitude, id=f"{prefix}-longitude",
                                       input_mode="decimal", placeholder="−180 … 180", required=True), spacing="1"),
                    spacing="3",
                    wrap="wrap",
                    margin_top="0.5em",
                ),
                _buttons(f"{prefix}-place-save",
                         rx.button(rx.icon("map-pin-off", size=16), "Remove place", type="button", variant="soft",
                                   color_scheme="red", on_click=on_clear, id=f"{prefix}-place-clear")),
                on_submit=on_submit,
                key=latitude,
            ),
            max_width="28em",
            id=f"{prefix}-place-dialog",
        ),
        open=state.meta_dialog == "place",
        on_open_change=state.meta_dialog_changed,
    )


def tag_suggestions(options: rx.Var, element_id: str) -> rx.Component:
    """A <datalist> of the library's tag names: the browser offers them as the person types."""
    return rx.el.datalist(rx.foreach(options, lambda name: rx.el.option(value=name)), id=element_id)


def tags_dialog(state, *, on_submit, options: rx.Var, prefix: str) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Tags"),
            rx.dialog.description("Separate tags with commas, e.g. beach, summer 2024.", size="2"),
            rx.form(
                rx.vstack(
                    _label("Tags", f"{prefix}-tags-input"),
                    rx.input(name="tags", id=f"{prefix}-tags-input", list=f"{prefix}-tag-options", required=True,
                             max_length=1000, width="100%", auto_complete="off"),
                    tag_suggestions(options, f"{prefix}-tag-options"),
                    rx.radio_group.root(
                        rx.flex(rx.radio_group.item(value="add", id=f"{prefix}-tags-add"),
                                rx.text("Add to the chosen items", size="2"),
                                rx.radio_group.item(value="remove", id=f"{prefix}-tags-remove"),
                                rx.text("Remove from them", size="2"), spacing="2", align="center", wrap="wrap"),
                        name="action", default_value="add",
                    ),
                    spacing="2",
                    width="100%",
                    margin_top="0.5em",
                ),
                _buttons(f"{prefix}-tags-save"),
                on_submit=on_submit,
            ),
            max_width="28em",
            id=f"{prefix}-tags-dialog",
        ),
        open=state.meta_dialog == "tags",
        on_open_change=state.meta_dialog_changed,
    )


def tag_chips(names: rx.Var, *, on_remove, on_add, options: rx.Var, form_key: rx.Var) -> rx.Component:
    """An item's tags as chips (each with a remove button) and a field to add more."""
    return rx.flex(
        rx.foreach(
            names,
            lambda name: rx.badge(
                rx.icon("tag", size=12), name,
                rx.icon_button(rx.icon("x", size=12), size="1", variant="ghost", color_scheme="gray",
                               on_click=on_remove(name), aria_label="Remove tag " + name, class_name="tag-remove"),
                size="2", variant="soft", class_name="media-tag", radius="full",
            ),
        ),
        rx.form(
            rx.hstack(
                rx.input(name="tags", placeholder="Add tags…", list="media-tag-options", id="media-tags-input",
                         aria_label="Add tags (separate with commas)", max_length=1000, size="1", width="12em",
                         auto_complete="off"),
                rx.icon_button(rx.icon("plus", size=14), type="submit", size="1", variant="soft",
                               aria_label="Add the tags", id="media-tags-add"),
                tag_suggestions(options, "media-tag-options"),
                spacing="1",
                align="center",
            ),
            on_submit=on_add,
            key=form_key,
        ),
        spacing="2",
        align="center",
        wrap="wrap",
        id="media-tags",
    )
