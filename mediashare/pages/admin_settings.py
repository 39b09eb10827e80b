"""/admin/settings: platform settings in sections (superusers): general, accounts, email, media."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.state.site_settings import FIELDS, PRESETS, ProfileRow, SiteSettingsState

S = SiteSettingsState

SECTION_TITLES = {
    "general": ("General", "settings"),
    "accounts": ("Accounts and sign-in", "user-round-cog"),
    "email": ("Email", "mail"),
    "media": ("Media", "film"),
}
CHOICE_LABELS = {
    "user": "User", "reseller": "Reseller",
    "starttls": "STARTTLS (usually port 587)", "ssl": "SSL/TLS (usually port 465)", "none": "None (plain text)",
}
# Settings with a page of their own.
OTHER_PAGES = (
    ("Prices", routes.ADMIN_PRICES, "tag"),
    ("Media types and size limits", routes.ADMIN_MEDIA_TYPES, "file-type"),
    ("Plans", routes.ADMIN_PLANS, "layers"),
    ("Metadata providers", routes.ADMIN_METADATA, "clapperboard"),
    ("Genres", routes.ADMIN_GENRES, "shapes"),
)


def _help(field) -> rx.Component:
    if field.key in ("lockout_threshold", "lockout_minutes"):
        return rx.text(S.hints[field.key], size="1", color_scheme="gray")
    return rx.text(field.help, size="1", color_scheme="gray") if field.help else rx.fragment()


def _error(key: str) -> rx.Component:
    return rx.cond(S.errors[key] != "", rx.text(S.errors[key], size="1", color_scheme="red", role="alert",
                                                id=f"error-{key}"))


def text_field(field) -> rx.Component:
    element_id = f"setting-{field.key}"
    common = dict(name=field.key, id=element_id, width="100%",
                  color_scheme=rx.cond(S.errors[field.key] != "", "red", "indigo"))
    if field.kind == "textarea":
        control = rx.text_area(default_value=S.texts[field.key], rows="2", max_length=600, **common)
    elif field.kind == "password":
        control = rx.flex(
            rx.input(type="password", auto_complete="new-password", max_length=500, flex="1 1 12em", min_width="0",
                     placeholder=rx.cond(S.secrets_set[field.key], "Set (type a new one to change it)", "Not set"),
                     **{**common, "width": "auto"}),
            rx.cond(S.secrets_set[field.key],
                    rx.button("Remove", type="button", variant="soft", color_scheme="red",
                              on_click=S.clear_secret(field.key))),
            spacing="2", wrap="wrap", width="100%",
        )
    elif field.kind == "number":
        control = rx.input(default_value=S.texts[field.key], input_mode="numeric", max_length=16, **common)
    else:
        control = rx.input(default_value=S.texts[field.key], max_length=500, **common)
    return rx.vstack(
        rx.el.label(rx.text(field.label, size="2", weight="medium"), html_for=element_id),
        control, _help(field), _error(field.key),
        spacing="1", width="100%",
    )


def switch_field(field) -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.switch(checked=S.flags[field.key], on_change=lambda on: S.set_switch(field.key, on),
                      id=f"setting-{field.key}", aria_label=field.label),
            rx.el.label(rx.text(field.label, size="2"), html_for=f"setting-{field.key}"),
            spacing="2", align="center",
        ),
        _help(field),
        spacing="1", width="100%",
    )


def choice_field(field) -> rx.Component:
    return rx.vstack(
        rx.text(field.label, size="2", weight="medium"),
        rx.select.root(
            rx.select.trigger(id=f"setting-{field.key}", aria_label=field.label),
            rx.select.content(*[rx.select.item(CHOICE_LABELS.get(choice, choice), value=choice)
                                for choice in field.choices]),
            value=S.choices[field.key], on_change=lambda v: S.set_choice(field.key, v),
        ),
        _help(field),
        spacing="1", width="100%",
    )


def quality_field(field) -> rx.Component:
    return rx.vstack(
        rx.text(field.label, size="2", weight="medium"),
        rx.flex(
            *[rx.flex(rx.checkbox(checked=S.flags[f"{field.key}:{label}"],
                                  on_change=lambda on, label=label: S.set_quality(label, on),
                                  id=f"setting-quality-{label}", aria_label=label),
                      rx.text(label, size="2"), spacing="1", align="center")
              for label in field.choices],
            spacing="4", wrap="wrap",
        ),
        spacing="1", width="100%",
    )


def _field(field) -> rx.Component:
    if field.is_text:
        return text_field(field)
    return {"switch": switch_field, "choice": choice_field}.get(field.kind, quality_field)(field)


def profile_form(row: ProfileRow) -> rx.Component:
    def number(name: str, label: str, value) -> rx.Component:
        return rx.vstack(rx.text(label, size="1", color_scheme="gray"),
                         rx.input(name=name, default_value=value, input_mode="numeric", max_length=6, width="6em",
                                  id="profile-" + row.label + "-" + name),
                         spacing="1")

    return rx.form(
        rx.el.input(type="hidden", name="label", value=row.label),
        rx.flex(
            rx.text(row.label, weight="bold", size="2", width="5.5em", padding_top="1.4em"),
            number("max_height", "Max height", row.max_height),
            number("crf", "CRF 0–51", row.crf),
            number("audio_kbps", "Audio kbps", row.audio_kbps),
            rx.vstack(rx.text("Speed", size="1", color_scheme="gray"),
                      rx.select(list(PRESETS), name="preset", default_value=row.preset), spacing="1"),
            rx.button("Save", type="submit", variant="soft", margin_top="1.4em"),
            spacing="3", wrap="wrap", align="start",
        ),
        rx.cond(S.profile_error_label == row.label,
                rx.text(S.profile_error, size="1", color_scheme="red", role="alert")),
        on_submit=S.save_profile, reset_on_submit=False, width="100%", class_name="profile-form",
    )


def profiles_box() -> rx.Component:
    return rx.vstack(
        rx.text("How playable versions are made", size="2", weight="medium"),
        rx.text("Maximum height 144–2160 pixels, quality (CRF) 0 best to 51 smallest, audio 32–320 kbit/s. "
                "Applies to videos converted from now on.", size="1", color_scheme="gray"),
        rx.foreach(S.profiles, profile_form),
        spacing="2", width="100%",
    )


def section_card(section: str) -> rx.Component:
    """A section's settings in their order: switches and choices save when changed, typed values
    with the section's Save button (one form, checked whole)."""
    title, icon = SECTION_TITLES[section]
    fields = [f for f in FIELDS if f.section == section]
    body: list[rx.Component] = [rx.el.input(type="hidden", name="section", value=section),
                                *[_field(f) for f in fields]]
    if any(f.is_text for f in fields):
        body.append(rx.button("Save " + title.split()[0].lower(), type="submit", id=f"save-{section}"))
    parts: list[rx.Component] = [
        rx.heading(rx.hstack(rx.icon(icon, size=20), title, align="center"), size="5"),
        rx.form(rx.vstack(*body, spacing="3", width="100%"), on_submit=S.save_section, reset_on_submit=False,
                width="100%"),
    ]
    if section == "email":
        parts.append(test_email_box())
    if section == "media":
        parts.append(profiles_box())
    return rx.card(rx.vstack(*parts, spacing="4", width="100%"), width="100%", id=f"section-{section}")


def test_email_box() -> rx.Component:
    return rx.vstack(
        rx.text("Send a test message to your own address through the server in use now (save first).",
                size="2", color_scheme="gray"),
        rx.button(rx.icon("send", size=16), "Send test email", type="button", variant="soft",
                  loading=S.testing_email, on_click=S.send_test_email, id="send-test-email"),
        rx.cond(S.test_message != "",
                rx.callout(S.test_message, icon=rx.cond(S.test_failed, "circle-alert", "circle-check"),
                           color_scheme=rx.cond(S.test_failed, "red", "green"), size="1", width="100%",
                           id="test-email-result")),
        spacing="2", width="100%",
    )


def other_pages() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("More settings", size="5"),
            rx.flex(
                *[rx.link(rx.button(rx.icon(icon, size=16), label, variant="soft", type="button"), href=href)
                  for label, href, icon in OTHER_PAGES],
                spacing="2", wrap="wrap",
            ),
            spacing="3", width="100%",
        ),
        width="100%",
    )


@rx.page(route=routes.ADMIN_SETTINGS, title=page_title("Settings"), on_load=SiteSettingsState.load)
def admin_settings() -> rx.Component:
    return layout(
        rx.vstack(
            rx.heading("Platform settings", size="7"),
            rx.cond(
                S.allowed,
                rx.cond(
                    S.loaded,
                    rx.vstack(
                        rx.text("Switches and choices apply as soon as you change them, typed values when you press "
                                "the section's Save; at once, for everyone, and written to the audit log.",
                                size="2", color_scheme="gray"),
                        *[section_card(section) for section in SECTION_TITLES],
                        other_pages(),
                        spacing="4", width="100%",
                    ),
                    rx.center(rx.spinner(size="3"), width="100%", padding="3em"),
                ),
                rx.text("Only superusers change platform settings.", color_scheme="gray"),
            ),
            spacing="4", width="100%",
        ),
        max_width="48em",
    )
