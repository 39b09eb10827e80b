"""/admin/plans: plans (create, edit, archive, delete unused), assigning one, the price of a credit."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.state.plans import PlanRow, PlansAdminState


def plan_card(row: PlanRow) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.hstack(rx.text(row.name, weight="bold"),
                          rx.cond(row.active, rx.fragment(), rx.badge("archived", color_scheme="gray")),
                          spacing="2", align="center"),
                rx.text(row.credits, " credits a month · ", row.storage, " · ", row.price, size="2"),
                rx.text(row.subscribers, " account(s) on it", size="1", color_scheme="gray"),
                spacing="1", min_width="0", flex="1",
            ),
            rx.flex(
                rx.button("Edit", size="1", variant="soft", on_click=PlansAdminState.edit_plan(row.id)),
                rx.cond(row.active,
                        rx.button("Archive", size="1", variant="soft", color_scheme="gray",
                                  on_click=PlansAdminState.archive_plan(row.id)),
                        rx.button("Offer again", size="1", variant="soft",
                                  on_click=PlansAdminState.restore_plan(row.id))),
                rx.cond(row.subscribers == 0,
                        rx.button("Delete", size="1", variant="soft", color_scheme="red",
                                  on_click=PlansAdminState.delete_plan(row.id))),
                spacing="2", wrap="wrap",
            ),
            spacing="3", wrap="wrap", width="100%", align="start",
        ),
        width="100%",
        class_name="plan-row",
    )


def _labelled(label: str, field: rx.Component) -> rx.Component:
    return rx.vstack(rx.text(label, size="2", weight="medium"), field, spacing="1", width="100%")


def plan_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(PlansAdminState.editing_id > 0, "Edit plan", "New plan")),
            rx.form(
                rx.vstack(
                    _labelled("Name", rx.input(name="name", default_value=PlansAdminState.form_name, max_length=64,
                                               required=True, width="100%", id="plan-name")),
                    _labelled("Credits each month", rx.input(name="credits", default_value=PlansAdminState.form_credits,
                                                             type="number", min="0", step="1", width="100%",
                                                             id="plan-credits")),
                    _labelled("Storage (GB)", rx.input(name="storage", default_value=PlansAdminState.form_storage,
                                                       input_mode="decimal", width="100%", id="plan-storage")),
                    _labelled("Price per month (" + PlansAdminState.currency + ")",
                              rx.input(name="price", default_value=PlansAdminState.form_price, input_mode="decimal",
                                       width="100%", id="plan-price")),
                    rx.hstack(
                        rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
                        rx.button("Save", type="submit", id="plan-save"),
                        spacing="3", justify="end", width="100%",
                    ),
                    spacing="3", width="100%",
                ),
                on_submit=PlansAdminState.save,
                reset_on_submit=False,
            ),
            max_width="28em",
            id="plan-dialog",
        ),
        open=PlansAdminState.form_open,
        on_open_change=PlansAdminState.set_form_open,
    )


def assign_form() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.input(name="username", placeholder="Username", max_length=64, required=True, flex="1 1 10em",
                     id="assign-username"),
            rx.select.root(
                rx.select.trigger(placeholder="Plan", min_width="10em"),
                rx.select.content(rx.foreach(PlansAdminState.plan_choices,
                                             lambda choice: rx.select.item(choice[1], value=choice[0]))),
                name="plan", default_value="none",
            ),
            rx.button("Assign", type="submit", id="assign-submit"),
            spacing="3", wrap="wrap", align="center", width="100%",
        ),
        on_submit=PlansAdminState.assign,
        width="100%",
    )


@rx.page(route=routes.ADMIN_PLANS, title=page_title("Plans"), on_load=PlansAdminState.load)
def admin_plans() -> rx.Component:
    return layout(
        rx.vstack(
            rx.heading("Plans", size="7"),
            rx.cond(
                PlansAdminState.allowed,
                rx.vstack(
                    rx.text("Accounts on a plan get its credits on the first of each month (UTC) and its storage. "
                            "Archived plans are offered to nobody new; every change is audited.",
                            size="2", color_scheme="gray"),
                    rx.button(rx.icon("plus", size=16), "New plan", on_click=PlansAdminState.start_new,
                              id="plan-new"),
                    rx.cond(PlansAdminState.rows.length() == 0, rx.text("No plans yet.", color_scheme="gray"),
                            rx.vstack(rx.foreach(PlansAdminState.rows, plan_card), spacing="2", width="100%")),
                    rx.heading("Put an account on a plan", size="4"),
                    assign_form(),
                    rx.heading("Buying credits", size="4"),
                    rx.form(
                        rx.flex(
                            rx.text("Price of one credit (" + PlansAdminState.currency + ")", size="2",
                                    as_="label", html_for="credit-price"),
                            rx.input(name="credit_price", id="credit-price", default_value=PlansAdminState.credit_price,
                                     input_mode="decimal", width="8em"),
                            rx.button("Save", type="submit", variant="soft"),
                            spacing="3", wrap="wrap", align="center",
                        ),
                        on_submit=PlansAdminState.save_credit_price,
                        reset_on_submit=False,
                    ),
                    spacing="3", width="100%",
                ),
                rx.text("Only administrators manage plans.", color_scheme="gray"),
            ),
            plan_dialog(),
            spacing="4", width="100%",
        ),
        max_width="48em",
    )
