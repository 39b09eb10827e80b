"""/admin/genres: the catalog's genres with item counts; add, rename, merge, delete (admins)."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.state.genres import NO_GENRE, GenreRow, GenresAdminState


def genre_row(row: GenreRow) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.vstack(
                rx.text(row.name, weight="bold", class_name="genre-name", overflow_wrap="anywhere"),
                rx.text(rx.cond(row.count == 1, "1 item", row.count.to_string() + " items"), " · /", row.slug,
                        size="1", color_scheme="gray", class_name="genre-count"),
                spacing="0", min_width="0", flex="1",
            ),
            rx.menu.root(
                rx.menu.trigger(rx.icon_button(rx.icon("ellipsis", size=16), variant="soft", size="2",
                                               aria_label="Actions for " + row.name, class_name="genre-actions")),
                rx.menu.content(
                    rx.menu.item(rx.icon("pencil", size=14), "Rename…",
                                 on_click=GenresAdminState.open_dialog(row.id, "rename"), class_name="genre-rename"),
                    rx.menu.item(rx.icon("merge", size=14), "Merge into…",
                                 on_click=GenresAdminState.open_dialog(row.id, "merge"), class_name="genre-merge"),
                    rx.menu.separator(),
                    rx.menu.item(rx.icon("trash-2", size=14), "Delete…", color="red",
                                 on_click=GenresAdminState.open_dialog(row.id, "delete"), class_name="genre-delete"),
                ),
            ),
            spacing="3", align="center", width="100%",
        ),
        width="100%",
        class_name="genre-row",
        data_genre=row.name,
    )


def _genre_select(include_none: bool) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(placeholder="Choose a genre", width="100%", id="genre-target"),
        rx.select.content(
            *([rx.select.item("No genre (just remove it from the items)", value=NO_GENRE)] if include_none else []),
            rx.foreach(GenresAdminState.choices, lambda choice: rx.select.item(choice[1], value=choice[0])),
        ),
        name="target",
        **({"default_value": NO_GENRE} if include_none else {}),
        required=True,
    )


def _buttons(label: str, danger: bool = False) -> rx.Component:
    submit = (rx.button(label, type="submit", color_scheme="red", id="genre-dialog-submit") if danger
              else rx.button(label, type="submit", id="genre-dialog-submit"))
    return rx.hstack(
        rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
        submit,
        spacing="3", justify="end", width="100%",
    )


def genre_dialog() -> rx.Component:
    rename = rx.form(
        rx.vstack(
            rx.input(name="name", default_value=GenresAdminState.acting_name, max_length=60, required=True,
                     width="100%", id="genre-rename-name", auto_focus=True),
            rx.text("Items keep this genre under its new name.", size="2", color_scheme="gray"),
            _buttons("Rename"),
            spacing="3", width="100%",
        ),
        on_submit=GenresAdminState.rename, reset_on_submit=False,
    )
    merge = rx.form(
        rx.vstack(
            rx.text("Every item of “", GenresAdminState.acting_name, "” (", GenresAdminState.acting_count,
                    ") gets the genre you choose; then “", GenresAdminState.acting_name, "” is removed.", size="2"),
            _genre_select(False),
            _buttons("Merge"),
            spacing="3", width="100%",
        ),
        on_submit=GenresAdminState.merge, reset_on_submit=False,
    )
    delete = rx.form(
        rx.vstack(
            rx.text(GenresAdminState.acting_count, " item(s) have “", GenresAdminState.acting_name,
                    "”. Give them another genre instead, or none:", size="2"),
            _genre_select(True),
            _buttons("Delete", danger=True),
            spacing="3", width="100%",
        ),
        on_submit=GenresAdminState.delete, reset_on_submit=False,
    )
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.match(GenresAdminState.dialog, ("rename", "Rename genre"),
                                     ("merge", "Merge “" + GenresAdminState.acting_name + "”"),
                                     ("delete", "Delete “" + GenresAdminState.acting_name + "”"), "")),
            rx.match(GenresAdminState.dialog, ("rename", rename), ("merge", merge), ("delete", delete), rx.fragment()),
            max_width="28em",
            id="genre-dialog",
        ),
        open=GenresAdminState.dialog != "",
        on_open_change=GenresAdminState.set_dialog_open,
    )


@rx.page(route=routes.ADMIN_GENRES, title=page_title("Genres"), on_load=GenresAdminState.load)
def admin_genres() -> rx.Component:
    return layout(
        rx.vstack(
            rx.heading("Genres", size="7"),
            rx.cond(
                GenresAdminState.allowed,
                rx.vstack(
                    rx.text("One list for the whole catalog. Items can carry several genres; imports from TMDB "
                            "and OMDb use these names (and add missing ones). Every change is audited.",
                            size="2", color_scheme="gray"),
                    rx.form(
                        rx.flex(
                            rx.input(name="name", placeholder="New genre, e.g. Anime", max_length=60, required=True,
                                     flex="1 1 12em", id="genre-new-name"),
                            rx.button(rx.icon("plus", size=16), "Add", type="submit", id="genre-add"),
                            spacing="2", width="100%", wrap="wrap",
                        ),
                        on_submit=GenresAdminState.add, reset_on_submit=False, width="100%",
                    ),
                    rx.hstack(
                        rx.input(rx.input.slot(rx.icon("search", size=14)), placeholder="Filter",
                                 value=GenresAdminState.query, on_change=GenresAdminState.set_query.debounce(150),
                                 flex="1", id="genre-filter"),
                        rx.text(GenresAdminState.rows.length(), " genres · ", GenresAdminState.total_items,
                                " links", size="1", color_scheme="gray", white_space="nowrap"),
                        spacing="3", align="center", width="100%",
                    ),
                    rx.cond(GenresAdminState.shown.length() == 0,
                            rx.text("No genre matches.", color_scheme="gray"),
                            rx.grid(rx.foreach(GenresAdminState.shown, genre_row),
                                    columns=rx.breakpoints(initial="1", sm="2"), spacing="2", width="100%",
                                    id="genre-list")),
                    spacing="3", width="100%",
                ),
                rx.text("Only administrators manage genres.", color_scheme="gray"),
            ),
            genre_dialog(),
            spacing="4", width="100%",
        ),
        max_width="48em",
    )
