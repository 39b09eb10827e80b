"""/admin/metadata: the movie metadata providers (TMDB, OMDb): keys, on/off, order, allowed hosts, test search."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.state.metadata_providers import CandidateRow, MetadataAdminState, ProviderRow


def provider_card(row: ProviderRow) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.hstack(
                    rx.text(row.label, weight="bold", size="4"),
                    rx.cond(row.usable, rx.badge(rx.icon("circle-check", size=12), "Ready", color_scheme="green"),
                            rx.badge(rx.icon("circle-alert", size=12), "Disabled", color_scheme="orange")),
                    spacing="2", align="center",
                ),
                rx.spacer(),
                rx.hstack(
                    rx.icon_button(rx.icon("arrow-up", size=14), size="1", variant="soft", disabled=row.first,
                                   aria_label="Earlier in the order",
                                   on_click=MetadataAdminState.move_provider(row.name, -1)),
                    rx.icon_button(rx.icon("arrow-down", size=14), size="1", variant="soft", disabled=row.last,
                                   aria_label="Later in the order",
                                   on_click=MetadataAdminState.move_provider(row.name, 1)),
                    rx.switch(checked=row.enabled, on_change=lambda on: MetadataAdminState.set_provider_enabled(
                        row.name, on), aria_label="Use " + row.label, id="provider-enabled-" + row.name),
                    spacing="2", align="center",
                ),
                width="100%", align="center", wrap="wrap", gap="2",
            ),
            rx.cond(~row.usable, rx.text(row.message, size="2", color_scheme="orange",
                                         class_name="provider-message")),
            rx.form(
                rx.flex(
                    rx.input(type="hidden", name="provider", value=row.name),
                    rx.input(name="key", type="password", auto_complete="off", max_length=520,
                             placeholder=rx.cond(row.has_key, "Key set (" + row.key_hint + "); paste a new one",
                                                 "Paste the API key"),
                             flex="1 1 14em", min_width="0", id="key-" + row.name),
                    rx.button("Save key", type="submit", variant="soft"),
                    rx.cond(row.has_key, rx.button("Remove key", type="button", variant="soft", color_scheme="red",
                                                   on_click=MetadataAdminState.remove_key(row.name))),
                    spacing="2", wrap="wrap", width="100%",
                ),
                on_submit=MetadataAdminState.save_key, reset_on_submit=False, width="100%",
            ),
            spacing="2", width="100%",
        ),
        width="100%", class_name="provider-row",
    )


def candidate_row(row: CandidateRow) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.text(row.title, weight="bold", overflow_wrap="anywhere"),
                rx.text(row.year, " · ", row.kind, " · ", row.providers,
                        rx.cond(row.imdb_id != "", " · " + row.imdb_id, ""), size="1", color_scheme="gray"),
                rx.cond(row.overview != "", rx.text(row.overview, size="1", color_scheme="gray", trim="both")),
                spacing="1", min_width="0", flex="1",
            ),
            rx.button("Preview", size="1", variant="soft", on_click=MetadataAdminState.show_preview(row.ref),
                      loading=MetadataAdminState.previewing),
            spacing="3", align="start", width="100%",
        ),
        width="100%", class_name="candidate-row",
    )


def _fact(label: str, value) -> rx.Component:
    return rx.cond(value != "", rx.text(rx.text.strong(label + " "), value, size="2"))


def preview_card() -> rx.Component:
    p = MetadataAdminState.preview
    return rx.cond(
        p.title != "",
        rx.card(
            rx.vstack(
                rx.heading(p.title, size="4"),
                rx.text(p.facts, size="2", color_scheme="gray"),
                _fact("Plot", p.plot), _fact("Genres", p.genres), _fact("Ratings", p.ratings),
                _fact("Cast", p.cast), _fact("IMDb", p.imdb_id), _fact("From", p.sources),
                _fact("Pictures an import downloads:", p.images),
                spacing="2", width="100%",
            ),
            width="100%", id="metadata-preview",
        ),
    )


@rx.page(route=routes.ADMIN_METADATA, title=page_title("Metadata providers"), on_load=MetadataAdminState.load)
def admin_metadata() -> rx.Component:
    return layout(
        rx.vstack(
            rx.heading("Metadata providers", size="7"),
            rx.cond(
                MetadataAdminState.allowed,
                rx.vstack(
                    rx.cond(MetadataAdminState.recorded_origin != "", rx.callout(
                        "Metadata comes from the recorded test server at " + MetadataAdminState.recorded_origin
                        + " (METADATA_RECORDED_ORIGIN), not from TMDB or OMDb. This setting is for tests only.",
                        icon="triangle-alert", color_scheme="red", width="100%", id="metadata-recorded-origin")),
                    rx.text("Imports fill a catalog entry (title, plot, genres, cast, ratings, poster and backdrop) "
                            "from these providers, the first in this order winning. A provider without a key is "
                            "disabled. Keys are never shown again after saving.", size="2", color_scheme="gray"),
                    rx.vstack(rx.foreach(MetadataAdminState.rows, provider_card), spacing="2", width="100%"),
                    rx.heading("Extra allowed hosts", size="4"),
                    rx.text("Imports only download over https from the providers' own hosts and these (one per "
                            "line). Internal addresses are always refused.", size="2", color_scheme="gray"),
                    rx.form(
                        rx.vstack(
                            rx.text_area(name="hosts", default_value=MetadataAdminState.hosts_text, rows="3",
                                         placeholder="images.example.com", width="100%", id="allowed-hosts"),
                            rx.button("Save hosts", type="submit", variant="soft"),
                            spacing="2", width="100%",
                        ),
                        on_submit=MetadataAdminState.save_hosts, reset_on_submit=False, width="100%",
                    ),
                    rx.heading("Try a search", size="4"),
                    rx.form(
                        rx.flex(
                            rx.input(name="title", placeholder="Title", required=True, max_length=200,
                                     flex="1 1 12em", min_width="0", id="metadata-title"),
                            rx.input(name="year", placeholder="Year", input_mode="numeric", max_length=4,
                                     width="6em", id="metadata-year"),
                            rx.button(rx.icon("search", size=16), "Search", type="submit",
                                      loading=MetadataAdminState.searching, id="metadata-search"),
                            spacing="2", wrap="wrap", width="100%",
                        ),
                        on_submit=MetadataAdminState.search, reset_on_submit=False, width="100%",
                    ),
                    rx.foreach(MetadataAdminState.notices,
                               lambda notice: rx.callout(notice, icon="info", color_scheme="orange", size="1",
                                                         width="100%")),
                    preview_card(),
                    rx.cond(MetadataAdminState.searched & (MetadataAdminState.results.length() == 0),
                            rx.text("Nothing found.", color_scheme="gray")),
                    rx.vstack(rx.foreach(MetadataAdminState.results, candidate_row), spacing="2", width="100%"),
                    spacing="3", width="100%",
                ),
                rx.text("Only administrators manage metadata providers.", color_scheme="gray"),
            ),
            spacing="4", width="100%",
        ),
        max_width="48em",
    )
