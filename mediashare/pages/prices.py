"""/admin/prices: the credit price list (admins and superusers); checked and audited on the server."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.state.credits import PriceRow, PricesState


def price_field(row: PriceRow) -> rx.Component:
    return rx.vstack(
        rx.text(row.label, as_="label", html_for="price-" + row.action, size="2", weight="medium"),
        rx.input(name=row.action, id="price-" + row.action, default_value=row.value.to_string(),
                 type="number", min="0", step="1", input_mode="numeric", width="10em"),
        spacing="1",
    )


@rx.page(route=routes.ADMIN_PRICES, title=page_title("Prices"), on_load=PricesState.load)
def prices() -> rx.Component:
    return layout(
        rx.vstack(
            rx.heading("Prices", size="7"),
            rx.cond(
                PricesState.allowed,
                rx.form(
                    rx.vstack(
                        rx.text("What each action costs, in credits. 0 makes it free. Every change is audited.",
                                size="2", color_scheme="gray"),
                        rx.foreach(PricesState.prices, price_field),
                        rx.button("Save prices", type="submit", id="prices-save"),
                        spacing="4",
                    ),
                    on_submit=PricesState.save,
                    id="prices-form",
                ),
                rx.text("Only administrators can change prices.", color_scheme="gray"),
            ),
            spacing="4",
            width="100%",
        ),
        max_width="40em",
    )
