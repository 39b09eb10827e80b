"""The camera page's panels: guidance when the camera cannot work, settings, shutter, review strip,
upload progress and results."""

from __future__ import annotations

import reflex as rx

from mediashare import routes
from mediashare.components.camera import upload_kept
from mediashare.state.camera import MAX_SHOTS, NEW_ALBUM, AlbumOption, CameraState, DeviceChoice, ResultRow, ShotCard

_RELOAD = rx.call_script("window.location.reload()")

GUIDANCE = {
    "denied": ("Camera access is blocked",
               "MediaShare may not use your camera. Allow it in your browser: click the camera (or lock) icon in "
               "the address bar — on a phone, open this site's settings — choose Allow for the camera, then try "
               "again."),
    "none": ("No camera found",
             "This device has no camera we can use. Connect a camera, or check it is switched on and allowed in "
             "your system's privacy settings, then try again."),
    "busy": ("The camera is busy",
             "Another app or tab is using the camera (a video call, say). Close it there, then try again."),
    "insecure": ("The camera needs a secure connection",
                 "Browsers only give the camera to pages opened over HTTPS (http://localhost is the one exception). "
                 "Open MediaShare at its https:// address. If you run this server: put it behind HTTPS (a reverse "
                 "proxy with a certificate, e.g. Caddy or nginx with Let's Encrypt) and set PUBLIC_URL to the "
                 "https:// address."),
}


def problem_notice() -> rx.Component:
    title = rx.match(CameraState.problem, *[(key, text[0]) for key, text in GUIDANCE.items()],
                     "The camera could not start")
    body = rx.match(CameraState.problem, *[(key, text[1]) for key, text in GUIDANCE.items()],
                    "Your browser said: " + CameraState.problem_detail + ". Reload the page to try again.")
    return rx.cond(
        CameraState.problem != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("camera-off")),
            rx.vstack(
                rx.text(title, weight="bold", id="camera-problem-title"),
                rx.text(body, size="2", id="camera-problem-text"),
                rx.button(rx.icon("refresh-cw", size=14), "Try again", size="1", variant="soft", on_click=_RELOAD),
                spacing="2",
            ),
            color_scheme="red", width="100%", id="camera-problem",
        ),
    )


def _select(id_: str, value: rx.Var, on_change, options: list[tuple[str, str]], label: str) -> rx.Component:
    return rx.el.label(
        rx.text(label, size="1", color_scheme="gray"),
        rx.el.select(*[rx.el.option(text, value=key) for key, text in options], id=id_, value=value,
                     on_change=on_change, disabled=CameraState.capturing | CameraState.uploading,
                     style={"minHeight": "36px", "padding": "0 0.5em", "borderRadius": "6px",
                            "border": f"1px solid {rx.color('gray', 7)}", "background": rx.color("gray", 1),
                            "color": rx.color("gray", 12), "maxWidth": "100%"}),
        style={"display": "flex", "flexDirection": "column", "gap": "2px", "minWidth": "0"},
    )


def _device_option(device: DeviceChoice) -> rx.Component:
    return rx.el.option(device.label, value=device.id)


def mode_picker() -> rx.Component:
    return rx.segmented_control.root(
        rx.segmented_control.item("Single", value="single", id="camera-mode-single"),
        rx.segmented_control.item("Sequence", value="sequential", id="camera-mode-sequential"),
        rx.segmented_control.item("Photo booth", value="quad", id="camera-mode-quad"),
        value=CameraState.mode, on_change=CameraState.set_mode, width="100%", size="2", id="camera-mode",
    )


def shutter_bar() -> rx.Component:
    label = rx.match(CameraState.mode, ("sequential", "Start sequence"), ("quad", "Start photo booth"),
                     "Take photo")
    return rx.flex(
        rx.icon_button(rx.icon("switch-camera", size=20), variant="soft", size="3", aria_label="Front or back camera",
                       on_click=CameraState.switch_facing, id="camera-switch",
                       disabled=CameraState.capturing | CameraState.uploading),
        rx.button(rx.icon("camera", size=20), label, size="3", flex_grow="1", on_click=CameraState.start_capture,
                  loading=CameraState.capturing, disabled=~CameraState.ready | CameraState.uploading,
                  id="camera-shutter"),
        spacing="2", width="100%", align="center",
    )


def settings_panel() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.cond(
                CameraState.devices.length() > 1,
                rx.el.label(
                    rx.text("Camera", size="1", color_scheme="gray"),
                    rx.el.select(rx.el.option("Automatic", value=""), rx.foreach(CameraState.devices, _device_option),
                                 id="camera-device", value=CameraState.camera_device,
                                 on_change=CameraState.choose_device,
                                 disabled=CameraState.capturing | CameraState.uploading,
                                 style={"minHeight": "36px", "maxWidth": "14em"}),
                    style={"display": "flex", "flexDirection": "column", "gap": "2px"},
                ),
            ),
            _select("camera-resolution", CameraState.resolution, CameraState.set_resolution,
                    [("best", "Best available"), ("1080", "1080p"), ("720", "720p"), ("480", "480p")], "Resolution"),
            rx.cond(
                CameraState.mode == "sequential",
                _select("camera-count", CameraState.shots_count.to_string(), CameraState.set_shots_count,
                        [(str(n), f"{n} shots") for n in range(2, MAX_SHOTS + 1)], "Shots"),
            ),
            rx.cond(
                CameraState.mode != "single",
                _select("camera-interval", CameraState.interval.to_string(), CameraState.set_interval,
                        [(str(n), f"{n} s") for n in range(1, 11)], "Countdown"),
            ),
            spacing="3", wrap="wrap", width="100%", align="end",
        ),
        rx.flex(
            rx.el.label(rx.switch(checked=CameraState.flash, on_change=CameraState.set_flash, id="camera-flash-on"),
                        rx.text("Flash", size="2"), style={"display": "flex", "gap": "6px", "alignItems": "center"}),
            rx.el.label(rx.switch(checked=CameraState.sound, on_change=CameraState.set_sound, id="camera-sound-on"),
                        rx.text("Shutter sound", size="2"),
                        style={"display": "flex", "gap": "6px", "alignItems": "center"}),
            rx.cond(CameraState.stream_size != "",
                    rx.text("Camera: ", CameraState.stream_size, size="1", color_scheme="gray", id="camera-size")),
            spacing="4", wrap="wrap", align="center",
        ),
        rx.cond(CameraState.mode == "quad", quad_options()),
        spacing="3", width="100%",
    )


def quad_options() -> rx.Component:
    return rx.flex(
        _select("camera-border", CameraState.border.to_string(), CameraState.set_border,
                [(str(n), f"{n} px" if n else "None") for n in (0, 4, 8, 12, 20, 32, 48)], "Border"),
        rx.el.label(
            rx.text("Colour", size="1", color_scheme="gray"),
            rx.el.input(type="color", value=CameraState.border_color, id="camera-border-color",
                        on_change=CameraState.set_border_color.debounce(200),
                        style={"height": "36px", "width": "48px"}),
            style={"display": "flex", "flexDirection": "column", "gap": "2px"},
        ),
        rx.el.label(
            rx.text("Caption", size="1", color_scheme="gray"),
            # on_blur too: pressing a button right after typing sends the final text before the click
            rx.input(value=CameraState.caption, on_change=CameraState.set_caption.debounce(300),
                     on_blur=CameraState.set_caption, max_length=60, placeholder="Optional", id="camera-caption",
                     width="12em"),
            style={"display": "flex", "flexDirection": "column", "gap": "2px"},
        ),
        rx.el.label(rx.switch(checked=CameraState.print_date, on_change=CameraState.set_print_date,
                              id="camera-date-on"),
                    rx.text("Date", size="2"), style={"display": "flex", "gap": "6px", "alignItems": "center"}),
        spacing="3", wrap="wrap", align="end", width="100%",
    )


def _shot(shot: ShotCard) -> rx.Component:
    return rx.box(
        rx.image(src=shot.url, alt="Shot taken at " + shot.label, width="100%", height="auto", border_radius="6px",
                 opacity=rx.cond(shot.keep, "1", "0.35")),
        rx.flex(
            rx.text(shot.label, size="1", color_scheme="gray"),
            rx.spacer(),
            rx.button(rx.cond(shot.keep, rx.icon("check", size=14), rx.icon("x", size=14)),
                      rx.cond(CameraState.mode == "quad", rx.cond(shot.keep, "Single kept", "Keep single"),
                              rx.cond(shot.keep, "Keep", "Discarded")),
                      size="1", variant=rx.cond(shot.keep, "solid", "soft"),
                      color_scheme=rx.cond(shot.keep, "green", "gray"),
                      on_click=CameraState.toggle_keep(shot.id), disabled=CameraState.uploading,
                      class_name="camera-keep"),
            align="center", width="100%", padding_top="4px", wrap="wrap", gap="1",
        ),
        min_width="0",
        class_name="camera-shot",
    )


def _album_option(option: AlbumOption) -> rx.Component:
    return rx.el.option(option.label, value=option.value)


def album_picker() -> rx.Component:
    """Where the kept shots go besides the library: no album, one of mine, or a new one."""
    return rx.flex(
        rx.el.label(
            rx.text("Also add to", size="1", color_scheme="gray"),
            rx.el.select(
                rx.el.option("No album", value=""),
                rx.foreach(CameraState.album_options, _album_option),
                rx.el.option("New album…", value=NEW_ALBUM),
                id="camera-album", value=CameraState.album_choice, on_change=CameraState.choose_album,
                disabled=CameraState.uploading,
                style={"minHeight": "36px", "padding": "0 0.5em", "borderRadius": "6px", "width": "100%",
                       "border": f"1px solid {rx.color('gray', 7)}", "background": rx.color("gray", 1),
                       "color": rx.color("gray", 12), "maxWidth": "100%", "textOverflow": "ellipsis"}),
            style={"display": "flex", "flexDirection": "column", "gap": "2px", "minWidth": "0",
                   "flex": "1 1 12em", "maxWidth": "24em"},
        ),
        rx.cond(
            CameraState.album_choice == NEW_ALBUM,
            rx.el.label(
                rx.text("New album title", size="1", color_scheme="gray"),
                rx.input(value=CameraState.new_album_title, on_change=CameraState.set_new_album_title.debounce(300),
                         on_blur=CameraState.set_new_album_title,  # the title typed just before "Save"
                         max_length=200, placeholder="Album title", id="camera-album-title", width="100%",
                         disabled=CameraState.uploading),
                style={"display": "flex", "flexDirection": "column", "gap": "2px", "minWidth": "0",
                       "flex": "1 1 12em", "maxWidth": "24em"},
            ),
        ),
        gap="3", wrap="wrap", width="100%", align="end", id="camera-album-picker",
    )


def review_strip() -> rx.Component:
    return rx.cond(
        CameraState.shots.length() > 0,
        rx.card(
            rx.vstack(
                rx.flex(
                    rx.heading("Review", size="3"),
                    rx.spacer(),
                    rx.text(rx.cond(CameraState.mode == "quad",
                                    "The 2×2 picture uses all four shots; keep singles too if you want them.",
                                    CameraState.kept_count.to_string() + " of " + CameraState.shots.length().to_string()
                                    + " kept"),
                            size="1", color_scheme="gray", id="camera-kept"),
                    width="100%", align="center", wrap="wrap", gap="2",
                ),
                rx.grid(rx.foreach(CameraState.shots, _shot), columns=rx.breakpoints(initial="2", sm="3", md="4"),
                        gap="3", width="100%", id="camera-review"),
                album_picker(),
                rx.flex(
                    rx.button(rx.icon("trash-2", size=14), "Discard all", variant="soft", color_scheme="gray",
                              on_click=CameraState.discard_all, disabled=CameraState.uploading,
                              id="camera-discard-all"),
                    rx.spacer(),
                    rx.button(rx.icon("upload", size=16),
                              rx.cond(CameraState.mode == "quad", "Save photo booth picture",
                                      "Save " + CameraState.kept_count.to_string() + " to library"),
                              on_click=[CameraState.begin_upload, upload_kept()],
                              disabled=~CameraState.can_upload, loading=CameraState.uploading, id="camera-upload"),
                    width="100%", align="center", gap="2", wrap="wrap",
                ),
                rx.cond(CameraState.uploading,
                        rx.progress(value=CameraState.progress, max=100, width="100%", id="camera-progress")),
                spacing="3", width="100%",
            ),
            width="100%",
        ),
    )


def _result(row: ResultRow) -> rx.Component:
    return rx.flex(
        rx.badge(row.status, color_scheme=rx.match(row.status, ("stored", "green"), ("duplicate", "blue"), "red"),
                 class_name="camera-result-status"),
        rx.text(row.message, size="2", class_name="camera-result-message"),
        gap="2", align="center", width="100%", class_name="camera-result",
    )


def results() -> rx.Component:
    return rx.cond(
        CameraState.results.length() > 0,
        rx.vstack(
            rx.foreach(CameraState.results, _result),
            rx.flex(
                rx.link("Open the gallery", href=routes.GALLERY, size="2", id="camera-gallery-link"),
                rx.cond(CameraState.result_album != "",
                        rx.link(rx.icon("images", size=14), "Open the album " + CameraState.result_album,
                                href=CameraState.result_album_href, size="2", id="camera-album-link",
                                style={"display": "inline-flex", "alignItems": "center", "gap": "4px"})),
                gap="4", wrap="wrap", align="center",
            ),
            spacing="1", width="100%", id="camera-results",
        ),
    )


def price_notice() -> rx.Component:
    return rx.cond(
        (CameraState.session_price > 0) | (CameraState.photo_price > 0),
        rx.text("Saving uses ", CameraState.session_price, " credits per session and ", CameraState.photo_price,
                " per photo; you have ", CameraState.credit_balance, ". ", rx.link("Credits", href=routes.CREDITS),
                size="1", color_scheme="gray", id="camera-price"),
    )
