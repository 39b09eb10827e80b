"""/people and /people/[person_id]: the people in a library (face, name, photo count), face
suggestions to name or dismiss, the suggestion switches, and one person's photos."""

from __future__ import annotations

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.components.people import face_image, name_form, names_datalist, person_grid
from mediashare.pages.not_found import not_found_panel
from mediashare.state.people import FaceTile, PeopleState, PersonState
from mediashare.state.session import SessionState


def _suggestion(face: FaceTile) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                face_image(face.face_url, size="4.5em", radius="8px"),
                rx.link(rx.image(src=face.photo_url, width="4.5em", height="4.5em", object_fit="cover",
                                 border_radius="8px", loading="lazy", alt="The photo"),
                        href=face.href, aria_label="Open the photo"),
                spacing="2",
            ),
            name_form(PeopleState.confirm, button="Name", tag_id=face.id),
            rx.button("Not a face / skip", size="1", variant="ghost", color_scheme="gray",
                      on_click=PeopleState.dismiss(face.id), class_name="dismiss-suggestion"),
            spacing="2",
            align="start",
        ),
        class_name="suggestion-card",
    )


def _switches() -> rx.Component:
    return rx.vstack(
        rx.text(rx.el.label(
            rx.flex(
                rx.switch(checked=PeopleState.suggestions_wanted, on_change=PeopleState.set_suggestions,
                          disabled=~PeopleState.site_allows, id="suggestions-switch"),
                "Suggest faces in my photos",
                spacing="2",
                align="center",
            ),
        ), size="2", as_="div"),
        rx.cond(SessionState.is_admin, rx.text(rx.el.label(
            rx.flex(
                rx.switch(checked=PeopleState.site_allows, on_change=PeopleState.set_site_suggestions,
                          id="site-suggestions-switch"),
                "Face suggestions for everyone on this site (admin)",
                spacing="2",
                align="center",
            ),
        ), size="2", as_="div")),
        rx.cond(~PeopleState.site_allows,
                rx.text("Face suggestions are switched off on this site.", size="1", color_scheme="gray")),
        spacing="2",
    )


def _scan() -> rx.Component:
    return rx.cond(
        PeopleState.site_allows & PeopleState.suggestions_wanted,
        rx.flex(
            rx.button(rx.icon("scan-face", size=16), "Find faces in my library", on_click=PeopleState.find_faces,
                      loading=PeopleState.scanning, id="find-faces"),
            rx.cond(PeopleState.total > 0, rx.vstack(
                rx.text(PeopleState.scan_label, size="1", color_scheme="gray", id="scan-progress"),
                rx.progress(value=PeopleState.scan_percent, width="12em"),
                spacing="1",
            )),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
    )


@rx.page(route=routes.PEOPLE, title=page_title("People"), on_load=PeopleState.load)
def people_page() -> rx.Component:
    return layout(
        rx.heading("People", size="6", margin_bottom="0.5em"),
        names_datalist(PeopleState.names),
        rx.flex(_switches(), rx.spacer(), _scan(), spacing="4", wrap="wrap", width="100%", align="center"),
        rx.cond(
            PeopleState.loaded & (PeopleState.cards.length() == 0),
            rx.callout("Nobody yet. Open a photo and use “Tag a person”, or name the faces suggested below.",
                       icon="info", margin_top="1em", id="people-empty"),
        ),
        rx.box(person_grid(PeopleState.cards), margin_top="1em"),
        rx.cond(PeopleState.suggestions.length() > 0, rx.vstack(
            rx.heading("Suggestions", size="4"),
            rx.text("Faces found in your photos. Name them, or skip the ones that are not faces.", size="2",
                    color_scheme="gray"),
            rx.grid(rx.foreach(PeopleState.suggestions, _suggestion),
                    columns="repeat(auto-fill, minmax(15em, 1fr))", spacing="3", width="100%"),
            spacing="2",
            width="100%",
            margin_top="1.5em",
            id="people-suggestions",
        )),
    )


def _photo(face: FaceTile) -> rx.Component:
    return rx.box(
        rx.link(
            rx.image(src=face.photo_url, width="100%", aspect_ratio="1", object_fit="cover", border_radius="8px",
                     loading="lazy", alt=PersonState.name),
            href=face.href,
            class_name="person-photo",
        ),
        rx.cond(face.face_url != "", rx.box(
            face_image(face.face_url, size="2.75em"),
            position="absolute", left="6px", bottom="6px", border="2px solid white", border_radius="50%",
            line_height="0",
        )),
        rx.box(rx.menu.root(
            rx.menu.trigger(rx.icon_button(rx.icon("ellipsis", size=14), size="1", variant="solid",
                                           color_scheme="gray", aria_label="More for this photo")),
            rx.menu.content(
                rx.cond(face.has_box, rx.menu.item("Use as cover face", on_click=PersonState.set_cover(face.id))),
                rx.menu.item("Not this person: remove", color="red", on_click=PersonState.untag(face.id)),
            ),
        ), position="absolute", right="6px", top="6px"),
        position="relative",
        class_name="person-photo-tile",
    )


def _person_header() -> rx.Component:
    return rx.vstack(
        rx.link(rx.hstack(rx.icon("arrow-left", size=14), "People", align="center", spacing="1"),
                href=routes.PEOPLE, size="2"),
        rx.cond(
            PersonState.renaming,
            rx.form(
                rx.flex(
                    rx.input(name="name", default_value=PersonState.name, max_length=80, required=True,
                             id="person-name-input", flex="1", min_width="10em"),
                    rx.button("Save", type="submit", id="person-rename-save"),
                    rx.button("Cancel", type="button", variant="soft", color_scheme="gray",
                              on_click=PersonState.set_renaming(False)),
                    spacing="2",
                    wrap="wrap",
                    width="100%",
                    max_width="32em",
                ),
                on_submit=PersonState.rename,
            ),
            rx.flex(
                rx.heading(PersonState.name, size="6", id="person-name", style={"word_break": "break-word"}),
                rx.text(PersonState.faces.length(), " photo(s)", color_scheme="gray", size="2"),
                spacing="3",
                align="baseline",
                wrap="wrap",
            ),
        ),
        rx.flex(
            rx.button(rx.icon("pencil", size=16), "Rename", variant="soft", on_click=PersonState.set_renaming(True),
                      id="person-rename"),
            rx.cond(PersonState.others.length() > 0, rx.menu.root(
                rx.menu.trigger(rx.button(rx.icon("merge", size=16), "Merge into…", variant="soft",
                                          id="person-merge")),
                rx.menu.content(rx.foreach(PersonState.others, lambda other: rx.menu.item(
                    other.name, on_click=PersonState.merge_into(other.id), class_name="merge-target"))),
            )),
            rx.alert_dialog.root(
                rx.alert_dialog.trigger(rx.button(rx.icon("trash-2", size=16), "Delete", variant="soft",
                                                  color_scheme="red", id="person-delete")),
                rx.alert_dialog.content(
                    rx.alert_dialog.title("Delete this person?"),
                    rx.alert_dialog.description("Their name comes off every photo. The photos stay."),
                    rx.flex(
                        rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                        rx.alert_dialog.action(rx.button("Delete", color_scheme="red", on_click=PersonState.delete,
                                                         id="person-delete-confirm")),
                        spacing="2",
                        justify="end",
                        margin_top="1em",
                    ),
                ),
            ),
            spacing="2",
            wrap="wrap",
        ),
        spacing="2",
        width="100%",
    )


@rx.page(route=routes.PERSON, title=page_title("Person"), on_load=PersonState.load)
def person_page() -> rx.Component:
    return layout(rx.cond(
        PersonState.missing,
        not_found_panel(),
        rx.cond(PersonState.person_id > 0, rx.vstack(
            _person_header(),
            rx.grid(rx.foreach(PersonState.faces, _photo), columns="repeat(auto-fill, minmax(9em, 1fr))",
                    spacing="2", width="100%", id="person-photos"),
            spacing="4",
            width="100%",
        )),
    ))
