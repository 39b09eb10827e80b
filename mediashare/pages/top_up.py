"""/top-up: ask for credits or a plan, with the price shown before asking; one's own requests."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.components.topups import own_request_card
from mediashare.state.payments import PlanOption, TopUpState


def plan_item(option: PlanOption) -> rx.Component:
    return rx.select.item(option.name + " — " + option.price + " · " + option.credits + " · " + option.storage,
                          value=option.value)


@rx.page(route=routes.TOP_UP, title=page_title("Top up"), on_load=TopUpState.load)
def top_up() -> rx.Component:
    return layout(
        rx.vstack(
            rx.heading("Top up", size="7"),
            rx.card(
                rx.flex(
                    rx.hstack(rx.icon("coins", size=20), rx.text("Balance", size="3"),
                              rx.text(TopUpState.balance, size="5", weight="bold", id="topup-balance"),
                              align="center", spacing="2"),
                    rx.spacer(),
                    rx.text(rx.cond(TopUpState.current_plan != "", "Plan: " + TopUpState.current_plan, "No plan"),
                            size="2", color_scheme="gray", id="topup-current-plan"),
                    wrap="wrap", spacing="3", align="center", width="100%",
                ),
                width="100%",
            ),
            rx.cond(TopUpState.instructions != "",
                    rx.callout(TopUpState.instructions, icon="info", width="100%", id="topup-instructions")),
            rx.heading("Buy credits", size="4"),
            rx.flex(
                rx.input(value=TopUpState.amount, on_change=TopUpState.set_amount.debounce(300), type="number",
                         min="1", step="1", input_mode="numeric", width="9em", id="topup-credits",
                         aria_label="Credits"),
                rx.button("Request credits", on_click=TopUpState.ask_credits, disabled=~TopUpState.can_ask,
                          id="topup-ask"),
                spacing="3", wrap="wrap", align="center",
            ),
            rx.text(TopUpState.quoted, size="2", color_scheme="gray", id="topup-quote"),
            rx.cond(
                TopUpState.plan_options.length() > 0,
                rx.vstack(
                    rx.heading("Or choose a plan", size="4"),
                    rx.text("A plan brings its credits every month and its storage.", size="2", color_scheme="gray"),
                    rx.form(
                        rx.flex(
                            rx.select.root(
                                rx.select.trigger(placeholder="Choose a plan", width="100%"),
                                rx.select.content(rx.foreach(TopUpState.plan_options, plan_item)),
                                name="plan", required=True,
                            ),
                            rx.button("Request this plan", type="submit", id="topup-ask-plan"),
                            spacing="3", wrap="wrap", align="center", width="100%",
                        ),
                        on_submit=TopUpState.ask_plan,
                        width="100%",
                    ),
                    spacing="2", width="100%",
                ),
            ),
            rx.heading("Your requests", size="4"),
            rx.cond(
                TopUpState.requests.length() == 0,
                rx.text("No requests yet.", color_scheme="gray"),
                rx.vstack(rx.foreach(TopUpState.requests, own_request_card), spacing="2", width="100%",
                          id="topup-requests"),
            ),
            spacing="4",
            width="100%",
        ),
        max_width="40em",
    )
