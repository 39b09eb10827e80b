"""/upload: send many files at once, watch each one arrive, see what became of it."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.components.upload_panel import (
    drop_zone,
    over_cap_notice,
    overall_progress,
    owner_picker,
    price_notice,
    result_list,
    selection_bar,
)
from mediashare.state.upload import UploadState


@rx.page(route=routes.UPLOAD, title=page_title("Upload"), on_load=UploadState.load)
def upload() -> rx.Component:
    return layout(
        rx.vstack(
            rx.heading("Upload", size="7"),
            rx.text("Files are checked one by one: a file that is refused never holds up the others.",
                    size="2", color_scheme="gray"),
            owner_picker(),
            price_notice(),
            drop_zone(),
            selection_bar(),
            over_cap_notice(),
            overall_progress(),
            result_list(),
            spacing="4",
            width="100%",
        ),
        max_width="48em",
    )
