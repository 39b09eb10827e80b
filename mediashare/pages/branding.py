"""/branding: a reseller's name, link, logo, colors and words, with a live preview before saving."""

import reflex as rx

from mediashare import routes
from mediashare.components.brand_card import brand_card
from mediashare.components.layout import layout, page_title
from mediashare.state.branding import LOGO_MAX_BYTES, LOGO_UPLOAD_ID, BrandingState

_IMAGE_TYPES = {"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"]}


def _error(field: str) -> rx.Component:
    """The server's sentence for `field` after a refused save."""
    return rx.cond(
        BrandingState.errors.contains(field),
        rx.text(BrandingState.errors[field], size="2", color=rx.color("red", 11), id=f"branding-{field}-error",
                role="alert"),
    )


def _field(label: str, field: str, control: rx.Component, hint: str = "") -> rx.Component:
    return rx.vstack(
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for=f"branding-{field}"),
        control,
        rx.text(hint, size="1", color_scheme="gray") if hint else rx.fragment(),
        _error(field),
        spacing="1",
        width="100%",
    )


def _text(field: str, value, **props) -> rx.Component:
    return rx.input(id=f"branding-{field}", name=field, value=value, size="3", width="100%",
                    on_change=lambda text: BrandingState.edit(field, text), **props)


def _color(label: str, field: str, value, preview, advice_ok: str) -> rx.Component:
    picker = rx.el.input(type="color", value=preview, aria_label=f"Pick the {label.lower()}",
                         id=f"branding-{field}-picker",
                         on_change=lambda text: BrandingState.edit(field, text),
                         style={"width": "3em", "height": "2.5em", "padding": "0", "border": "none",
                                "background": "none", "cursor": "pointer", "flex_shrink": "0"})
    return rx.vstack(
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for=f"branding-{field}"),
        rx.hstack(picker, _text(field, value, max_length=7, spell_check=False, auto_capitalize="none"),
                  align="center", spacing="2", width="100%"),
        rx.cond(
            BrandingState.color_advice.contains(field),
            rx.text(BrandingState.color_advice[field], size="1", color=rx.color("amber", 11),
                    id=f"branding-{field}-advice"),
            rx.text(advice_ok, size="1", color_scheme="gray"),
        ),
        _error(field),
        spacing="1",
        width="100%",
    )


def _accent_sample() -> rx.Component:
    accent = {"color": BrandingState.preview_accent, "font_weight": "600"}
    return rx.text("Need help? ", rx.el.span("Contact us", style=accent, id="branding-preview-accent"), size="2")


def branding_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            _field("Business name", "display_name",
                   _text("display_name", BrandingState.display_name, max_length=80, required=True)),
            _field("Link name", "slug",
                   _text("slug", BrandingState.slug, max_length=40, required=True, spell_check=False,
                         auto_capitalize="none"),
                   hint="3 to 40 characters: a–z, 0–9 and '-'. Your page is /r/<link name>."),
            rx.grid(
                _color("Primary color", "primary_color", BrandingState.primary_color, BrandingState.preview_primary,
                       "Text on it: " + BrandingState.primary_ratio + " (needs 4.5:1)"),
                _color("Accent color", "accent_color", BrandingState.accent_color, BrandingState.preview_accent,
                       "On the page: " + BrandingState.accent_ratio + " (needs 3:1)"),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3",
                width="100%",
            ),
            _field("Welcome text", "welcome_text",
                   rx.text_area(id="branding-welcome_text", name="welcome_text", value=BrandingState.welcome_text,
                                on_change=lambda text: BrandingState.edit("welcome_text", text), max_length=500,
                                rows="3", width="100%"),
                   hint="Plain text, up to 500 characters, shown on your sign-in page."),
            _field("Support email", "support_email",
                   _text("support_email", BrandingState.support_email, type="email", max_length=254),
                   hint="Your customers' emails say to write here (and replies go here)."),
            rx.button("Save branding", type="submit", size="3", id="branding-save"),
            spacing="4",
            width="100%",
            align="start",
        ),
        on_submit=BrandingState.save,
        reset_on_submit=False,
        width="100%",
        id="branding-form",
    )


def logo_editor() -> rx.Component:
    return rx.vstack(
        rx.heading("Logo", size="4"),
        rx.cond(
            BrandingState.saved,
            rx.vstack(
                rx.upload.root(
                    rx.button(rx.icon("image-up", size=16), "Choose a logo", type="button", variant="soft",
                              loading=BrandingState.saving_logo),
                    id=LOGO_UPLOAD_ID,
                    accept=_IMAGE_TYPES,
                    max_files=1,
                    multiple=False,
                    max_size=LOGO_MAX_BYTES,
                    on_drop=BrandingState.upload_logo(rx.upload_files(upload_id=LOGO_UPLOAD_ID)),
                ),
                rx.cond(
                    BrandingState.logo_url != "",
                    rx.button("Remove logo", variant="ghost", color_scheme="gray", size="1",
                              on_click=BrandingState.remove_logo, id="branding-remove-logo"),
                ),
                rx.text("PNG, JPEG or WebP, up to 2 MB. We keep a copy at most 512 px wide or high.", size="1",
                        color_scheme="gray"),
                spacing="2",
                align="start",
            ),
            rx.text("Save your branding first, then add a logo.", size="2", color_scheme="gray"),
        ),
        spacing="2",
        width="100%",
        align="start",
    )


def link_box() -> rx.Component:
    return rx.cond(
        BrandingState.link != "",
        rx.vstack(
            rx.heading("Your link", size="4"),
            rx.text("Send customers here: they sign in or sign up on a page with your branding, and new accounts "
                    "join your team.", size="2", color_scheme="gray"),
            rx.flex(
                rx.input(value=BrandingState.link, read_only=True, id="branding-link", flex="1 1 16em",
                         min_width="0", size="3", aria_label="Your link"),
                rx.button(rx.icon("copy", size=16), "Copy link", size="3", on_click=BrandingState.copy_link,
                          id="branding-copy", type="button"),
                spacing="2",
                wrap="wrap",
                width="100%",
            ),
            spacing="2",
            width="100%",
        ),
    )


def reseller_picker() -> rx.Component:
    """Admins and superusers: whose branding to edit."""
    return rx.vstack(
        rx.heading("Branding", size="7"),
        rx.text("Choose the reseller whose branding you want to edit.", color_scheme="gray"),
        rx.cond(
            BrandingState.choices.length() > 0,
            rx.vstack(
                rx.foreach(BrandingState.choices,
                           lambda choice: rx.link(choice[0], href=choice[1], class_name="branding-choice")),
                spacing="2",
                id="branding-choices",
            ),
            rx.text("There are no reseller accounts yet.", color_scheme="gray"),
        ),
        spacing="4",
        width="100%",
    )


@rx.page(route=routes.BRANDING, title=page_title("Branding"), on_load=BrandingState.load)
def branding_page() -> rx.Component:
    return layout(
        rx.cond(
            BrandingState.loaded,
            rx.cond(BrandingState.picking, reseller_picker(), rx.vstack(
                rx.heading("Branding", size="7"),
                rx.cond(BrandingState.editing_for != "",
                        rx.badge("Editing the branding of ", BrandingState.editing_for, size="2", id="branding-for")),
                rx.text("What your customers see: the top bar, your sign-in page and the emails we send them.",
                        color_scheme="gray"),
                link_box(),
                rx.flex(
                    rx.card(branding_form(), flex="1 1 20em", min_width="0"),
                    rx.vstack(
                        rx.heading("Preview", size="4"),
                        brand_card(_accent_sample(),
                                   name=BrandingState.preview_name, logo=BrandingState.logo_url,
                                   primary=BrandingState.preview_primary,
                                   on_primary=BrandingState.preview_on_primary,
                                   welcome=BrandingState.welcome_text, id="branding-preview"),
                        rx.card(logo_editor(), width="100%"),
                        flex="1 1 18em",
                        min_width="0",
                        spacing="3",
                    ),
                    spacing="4",
                    wrap="wrap",
                    width="100%",
                    align="start",
                ),
                spacing="4",
                width="100%",
            )),
            rx.center(rx.spinner(size="3"), padding="2em", width="100%"),
        ),
        max_width="64em",
    )
