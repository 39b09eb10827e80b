"""People pieces: the person grid, face chips, the face boxes over the viewer's picture, and the
"Tag a person" dialog where a box is drawn on the photo (mouse, finger or keyboard).

Drawing uses `react-image-crop` (already in the project for the studio's crop, see components/crop.py):
a free-form rectangle that starts empty, so a drag anywhere on the picture draws one. Only the
finished rectangle (`onComplete`) goes to the server, as fractions 0..1 of the picture.
"""

from __future__ import annotations

import reflex as rx

from mediashare.components.crop import LIBRARY
from mediashare.state.people import FacesState, FaceTile, PersonTile

NAMES_LIST = "people-names"


def _fractions(box: rx.Var[dict]) -> tuple[rx.Var[dict]]:
    """The finished rectangle {x, y, w, h} in 0..1 of the picture."""
    return (box,)


_DRAWER = """
function FaceBoxDrawer({image, onBoxComplete}) {
  const [crop, setCrop] = useState(undefined);
  useEffect(() => { setCrop(undefined); }, [image]);
  const report = (percent) => {
    if (!onBoxComplete || !percent || !percent.width || !percent.height) return;
    onBoxComplete({x: percent.x / 100, y: percent.y / 100, w: percent.width / 100, h: percent.height / 100});
  };
  return createElement(ReactCrop, {crop, keepSelection: true, minWidth: 8, minHeight: 8,
      onChange: (_pixels, percent) => setCrop(percent),
      onComplete: (_pixels, percent) => report(percent)},
    createElement("img", {src: image, alt: "The photo: drag over a face", draggable: false, id: "face-draw-image",
                          style: {display: "block", maxWidth: "100%", maxHeight: "60vh"}}));
}
"""


class FaceBoxDrawer(rx.Component):
    """Draw one rectangle on a picture; reports it as fractions of the picture."""

    tag = "FaceBoxDrawer"

    image: rx.Var[str]

    on_box_complete: rx.EventHandler[_fractions]

    def add_imports(self) -> dict:
        return {
            "react": [rx.ImportVar(tag="useState"), rx.ImportVar(tag="useEffect"),
                      rx.ImportVar(tag="createElement")],
            LIBRARY: [rx.ImportVar(tag="ReactCrop", is_default=True)],
            "": "react-image-crop/dist/ReactCrop.css",
        }

    def add_custom_code(self) -> list[str]:
        return [_DRAWER]


def names_datalist(names: rx.Var[list[str]]) -> rx.Component:
    """The owner's people, offered as the name inputs' autocomplete."""
    return rx.el.datalist(rx.foreach(names, lambda name: rx.el.option(value=name)), id=NAMES_LIST)


def name_form(on_submit, *, button: str, form_id: str | None = None, placeholder: str = "Who is this?",
              tag_id: rx.Var | None = None) -> rx.Component:
    """A name input (autocompleted from the owner's people) and a button; `form_id` only for a form
    that appears once on a page (forms repeated in a list go without one)."""
    extra = {"id": form_id} if form_id else {}
    # A form inside rx.foreach cannot pass the loop's values to its handler (Reflex hoists the
    # submit callback out of the loop): the suggestion's id travels in a hidden field instead.
    hidden = [rx.el.input(type="hidden", name="tag_id", value=tag_id.to_string())] if tag_id is not None else []
    return rx.form(
        *hidden,
        rx.flex(
            rx.input(name="name", placeholder=placeholder, max_length=80, required=True, list=NAMES_LIST,
                     auto_complete="off", flex="1", min_width="8em", class_name="person-name-input"),
            rx.button(button, type="submit", size="2", class_name="person-name-submit"),
            spacing="2",
            width="100%",
        ),
        on_submit=on_submit,
        reset_on_submit=True,
        width="100%",
        **extra,
    )


def face_image(url: rx.Var[str], size: str = "4em", radius: str = "50%") -> rx.Component:
    return rx.cond(
        url != "",
        rx.image(src=url, width=size, height=size, object_fit="cover", border_radius=radius, loading="lazy",
                 alt=""),
        rx.center(rx.icon("user-round", size=24, color=rx.color("gray", 9)), width=size, height=size,
                  border_radius=radius, background=rx.color("gray", 4)),
    )


def person_grid(cards: rx.Var[list[PersonTile]]) -> rx.Component:
    return rx.grid(
        rx.foreach(cards, lambda card: rx.link(
            rx.vstack(
                face_image(card.face_url, size="6.5em"),
                rx.text(card.name, weight="medium", size="2", align="center", class_name="person-name",
                        style={"word_break": "break-word"}),
                rx.text(card.count, rx.cond(card.count == 1, " photo", " photos"), size="1", color_scheme="gray"),
                align="center",
                spacing="1",
                padding="0.5em",
            ),
            href=card.href,
            underline="none",
            color="inherit",
            class_name="person-card",
        )),
        columns="repeat(auto-fill, minmax(7.5em, 1fr))",
        spacing="3",
        width="100%",
        id="people-grid",
    )


def _box(face: FaceTile) -> rx.Component:
    return rx.cond(
        face.has_box,
        rx.box(
            rx.box(
                rx.cond(face.suggested, "?", face.name),
                position="absolute",
                top="100%",
                left="0",
                margin_top="2px",
                padding="0 4px",
                border_radius="3px",
                font_size="12px",
                line_height="18px",
                white_space="nowrap",
                color="white",
                background=rx.cond(face.suggested, "rgba(120,120,120,0.85)", "rgba(0,0,0,0.7)"),
            ),
            position="absolute",
            left=face.left,
            top=face.top,
            width=face.width,
            height=face.height,
            border=rx.cond(face.suggested, "2px dashed rgba(255,255,255,0.9)", "2px solid rgba(255,255,255,0.95)"),
            box_shadow="0 0 0 1px rgba(0,0,0,0.5)",
            border_radius="4px",
            pointer_events="none",
            class_name=rx.cond(face.suggested, "face-box face-box-suggested", "face-box"),
        ),
    )


def face_overlay() -> rx.Component:
    """The boxes of the people (and open suggestions) over the viewer's picture."""
    return rx.fragment(rx.foreach(FacesState.faces, _box))


def _tagged_chip(face: FaceTile) -> rx.Component:
    return rx.badge(
        rx.link(face.name, href="/people/" + face.person_id.to_string(), color="inherit", underline="hover"),
        rx.icon_button(rx.icon("x", size=12), size="1", variant="ghost", color_scheme="gray",
                       aria_label="Remove " + face.name + " from this photo", on_click=FacesState.untag(face.id),
                       class_name="untag-person"),
        size="2",
        variant="soft",
        radius="full",
        class_name="person-chip",
    )


def _suggestion_row(face: FaceTile) -> rx.Component:
    return rx.flex(
        face_image(face.face_url, size="3em"),
        rx.box(name_form(FacesState.confirm, button="Name", tag_id=face.id), flex="1",
               min_width="12em"),
        rx.button("Not a face", size="2", variant="soft", color_scheme="gray", on_click=FacesState.dismiss(face.id),
                  class_name="dismiss-suggestion"),
        spacing="2",
        align="center",
        wrap="wrap",
        width="100%",
        class_name="viewer-suggestion",
    )


def tag_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Tag a person"),
            rx.dialog.description("Drag over their face to mark it (optional), then type their name.", size="2"),
            rx.vstack(
                rx.cond(FacesState.image_url != "", rx.center(
                    FaceBoxDrawer.create(image=FacesState.image_url, on_box_complete=FacesState.set_box),
                    width="100%", background="black", border_radius="6px", overflow="hidden",
                    id="face-drawer")),
                rx.text(rx.cond(FacesState.box.length() > 0, "Face marked.", "No face marked: the whole photo is "
                                "tagged."), size="1", color_scheme="gray", id="face-draw-status"),
                name_form(FacesState.tag, button="Tag", form_id="tag-person-form", placeholder="Name"),
                rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                spacing="3",
                width="100%",
            ),
            max_width="min(720px, 96vw)",
        ),
        open=FacesState.drawing,
        on_open_change=FacesState.set_drawing,
    )


def people_panel() -> rx.Component:
    """Under the photo: who is on it, open suggestions, and "Tag a person"."""
    return rx.cond(
        FacesState.available,
        rx.vstack(
            names_datalist(FacesState.names),
            rx.flex(
                rx.icon("users", size=16, color=rx.color("gray", 10)),
                rx.foreach(FacesState.faces, lambda face: rx.cond(face.suggested, rx.fragment(), _tagged_chip(face))),
                rx.button(rx.icon("user-plus", size=14), "Tag a person", size="1", variant="soft",
                          on_click=FacesState.set_drawing(True), id="tag-person"),
                spacing="2",
                align="center",
                wrap="wrap",
                id="photo-people",
            ),
            rx.foreach(FacesState.faces, lambda face: rx.cond(face.suggested, _suggestion_row(face))),
            tag_dialog(),
            spacing="2",
            width="100%",
        ),
    )
