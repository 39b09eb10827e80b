"""The Reflex app: registers the pages, mounts our HTTP API, starts the periodic jobs. Nothing else."""

import reflex as rx

from mediashare import pages  # noqa: F401  (registers every @rx.page)
from mediashare.api import build_api
from mediashare.api.upload_limit import UploadLimit
from mediashare.components.layout import page_title
from mediashare.jobs import schedule
from mediashare.pages.not_found import not_found
from mediashare.state.guard import AccessMiddleware
from mediashare.state.session import SessionState

app = rx.App(
    head_components=[rx.el.meta(name="referrer", content="same-origin")],
    api_transformer=[build_api(), UploadLimit],  # UploadLimit wraps everything, Reflex's /_upload included
)
app.add_middleware(AccessMiddleware())
app.register_lifespan_task(schedule.run_forever)
app.add_page(not_found, route="404", title=page_title("Page not found"), on_load=SessionState.load)
