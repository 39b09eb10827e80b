"""Reflex configuration, derived from mediashare.settings (the environment)."""

import reflex as rx

from mediashare.components.theme import THEME
from mediashare.settings import get_settings

_settings = get_settings()

config = rx.Config(
    app_name="mediashare",
    # Redis holds per-tab UI state when configured (several workers or machines); otherwise disk.
    redis_url=_settings.redis_url,
    state_manager_mode="redis" if _settings.redis_url else "disk",
    # Only our own origin may open the websocket or call our routes from a browser.
    cors_allowed_origins=[_settings.public_origin],
    backend_port=_settings.port,
    frontend_port=_settings.port,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    default_color_mode="system",
    plugins=[rx.plugins.RadixThemesPlugin(theme=THEME)],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
