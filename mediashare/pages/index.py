"""/: the landing page, with a personal greeting once signed in."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout
from mediashare.state.session import SessionState

_FEATURES = (
    ("shield-check", "Private by default", "Your originals stay on your server, served only to the people you choose."),
    ("wand-sparkles", "Restore old photos", "Bring faded prints back with a live preview; originals never change."),
    ("folder-tree", "Organize", "Albums, people, tags, a timeline and a map of where you were."),
    ("clapperboard", "Stream", "Films, series and music published to your family or your customers."),
)


def feature_card(icon: str, title: str, text: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.icon(icon, size=28, color=rx.color("accent", 10)),
            rx.heading(title, size="4"),
            rx.text(text, color_scheme="gray", size="2"),
            spacing="2",
        ),
        size="2",
    )


def hero() -> rx.Component:
    return rx.vstack(
        rx.cond(
            SessionState.signed_in,
            rx.heading("Welcome back, ", SessionState.user_name, size="8", id="greeting"),
            rx.heading("Your photos and videos, kept, restored and shared.", size="8", id="hero-title"),
        ),
        rx.text(
            "MediaShare is a self-hosted home for your pictures and films: keep them safe, bring old "
            "photos back to life, organize them, stream them, and share them with the people you choose.",
            size="4",
            color_scheme="gray",
            max_width="40em",
        ),
        rx.cond(
            SessionState.signed_in,
            rx.hstack(
                rx.link(rx.button(rx.icon("gauge", size=18), "Your dashboard", size="3"), href=routes.DASHBOARD,
                        id="hero-dashboard"),
                rx.link(rx.button("Your account", size="3", variant="soft"), href=routes.ACCOUNT),
                spacing="3",
                wrap="wrap",
            ),
            rx.link(rx.button("Sign in", size="3"), href=routes.LOGIN, id="hero-sign-in"),
        ),
        spacing="4",
        padding_y=["1em", "2em", "3em"],
    )


@rx.page(route=routes.HOME, title=SessionState.brand_name, on_load=SessionState.load)
def index() -> rx.Component:
    return layout(
        hero(),
        rx.grid(
            *[feature_card(*feature) for feature in _FEATURES],
            columns=rx.breakpoints(initial="1", sm="2", md="4"),
            spacing="4",
            width="100%",
        ),
    )
