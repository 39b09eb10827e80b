"""/camera: take photos with the device's camera (single, a timed sequence, or a photo-booth quad),
review them, and keep the good ones in the library."""

import reflex as rx

from mediashare import routes
from mediashare.components.camera import camera_view
from mediashare.components.camera_panel import (
    mode_picker,
    price_notice,
    problem_notice,
    results,
    review_strip,
    settings_panel,
    shutter_bar,
)
from mediashare.components.layout import layout, page_title
from mediashare.state.camera import CameraState


@rx.page(route=routes.CAMERA, title=page_title("Camera"), on_load=CameraState.load)
def camera() -> rx.Component:
    return layout(
        rx.vstack(
            rx.heading("Camera", size="7"),
            problem_notice(),
            mode_picker(),
            camera_view(),
            shutter_bar(),
            review_strip(),
            results(),
            settings_panel(),
            price_notice(),
            spacing="3",
            width="100%",
        ),
        max_width="48em",
    )
