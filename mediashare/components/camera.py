"""The camera: `react-webcam` (maintained, handles the stream's life cycle) inside a small wrapper
that takes full-resolution shots, shows the countdown, the flash and plays the shutter sound.

A shot is the video track drawn at its own size (videoWidth×videoHeight, never mirrored: only the
preview of a front camera is) into a canvas and encoded as a JPEG blob, kept in the browser
(`window.__msCamera`). The state learns the blob's id, size and a `blob:` address for the review
strip; the upload button posts the kept blobs as files to Reflex's chunked upload (frames are far
larger than the 1 MB a websocket message may carry).
"""

from __future__ import annotations

import dataclasses

import reflex as rx
from reflex.vars.base import Var

from mediashare.state.camera import CAMERA_UPLOAD_ID, CameraState

JPEG_QUALITY = 0.92

_WRAPPER = """
const MS_CAMERA_SIZES = {best: [4096, 2160], "1080": [1920, 1080], "720": [1280, 720], "480": [640, 480]};

function msShutterSound() {
  try {
    const Context = window.AudioContext || window.webkitAudioContext;
    const audio = new Context();
    const noise = audio.createBuffer(1, audio.sampleRate * 0.08, audio.sampleRate);
    const data = noise.getChannelData(0);
    for (let i = 0; i < data.length; i++) data[i] = (Math.random() * 2 - 1) * (1 - i / data.length);
    const source = audio.createBufferSource();
    source.buffer = noise;
    source.connect(audio.destination);
    source.start();
    source.onended = () => audio.close();
  } catch (error) { /* no sound is fine */ }
}

const msCameraBlobs = new Map();  // id → JPEG blob, kept across remounts until sent or forgotten
let msCameraNext = 1;

function MsCamera({deviceId, facing, resolution, flash, sound, onReady, onDevices, onCameraError, onShot, onDone}) {
  const webcam = useRef(null);
  const busy = useRef(false);
  const [countdown, setCountdown] = useState(0);
  const [flashing, setFlashing] = useState(false);
  const [mirrored, setMirrored] = useState(facing === "user");
  const props = useRef({});
  props.current = {flash, sound, onShot, onDone, onCameraError};
  const [width, height] = MS_CAMERA_SIZES[resolution] || MS_CAMERA_SIZES.best;
  const constraints = deviceId
    ? {deviceId: {exact: deviceId}, width: {ideal: width}, height: {ideal: height}}
    : {facingMode: facing, width: {ideal: width}, height: {ideal: height}};

  const capture = async () => {
    const video = webcam.current && webcam.current.video;
    if (!video || !video.videoWidth) throw new Error("The camera is not ready.");
    const canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", JPEG_QUALITY));
    if (!blob) throw new Error("The picture could not be encoded.");
    const id = msCameraNext++;
    msCameraBlobs.set(id, blob);
    if (props.current.flash) { setFlashing(true); setTimeout(() => setFlashing(false), 180); }
    if (props.current.sound) msShutterSound();
    props.current.onShot && props.current.onShot({id, url: URL.createObjectURL(blob), width: canvas.width,
      height: canvas.height, size: blob.size, offset: -new Date().getTimezoneOffset()});
  };

  const shoot = async (count, seconds) => {
    if (busy.current) return;
    busy.current = true;
    try {
      for (let shot = 0; shot < count; shot++) {
        for (let left = seconds; left > 0; left--) {
          setCountdown(left);
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
        setCountdown(0);
        await capture();
      }
    } catch (error) {
      const report = props.current.onCameraError;
      report && report({name: "CaptureFailed", message: String(error.message || error)});
    } finally {
      busy.current = false;
      setCountdown(0);
      props.current.onDone && props.current.onDone();
    }
  };

  useEffect(() => {
    window.__msCamera = {
      shoot,
      files: (ids) => (ids || []).filter((id) => msCameraBlobs.has(id))
        .map((id) => new File([msCameraBlobs.get(id)], `camera-${id}.jpg`, {type: "image/jpeg"})),
      forget: (ids) => (ids || []).forEach((id) => msCameraBlobs.delete(id)),
    };
    if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      onCameraError && onCameraError({name: "InsecureContext", message: window.location.origin});
    }
    return () => { if (window.__msCamera && window.__msCamera.shoot === shoot) delete window.__msCamera; };
  }, []);

  const started = (stream) => {
    const track = stream.getVideoTracks()[0];
    const settings = track ? track.getSettings() : {};
    const actual = settings.facingMode;
    setMirrored(actual ? actual === "user" : facing === "user");
    onReady && onReady({width: settings.width || 0, height: settings.height || 0, facing: actual || ""});
    navigator.mediaDevices.enumerateDevices().then((all) => onDevices && onDevices(
      all.filter((d) => d.kind === "videoinput").map((d) => ({id: d.deviceId, label: d.label}))));
  };

  return createElement("div", {style: {position: "relative", width: "100%", background: "black",
      borderRadius: "12px", overflow: "hidden", lineHeight: 0}},
    createElement(Webcam, {ref: webcam, audio: false, mirrored, videoConstraints: constraints,
      screenshotFormat: "image/jpeg", onUserMedia: started, id: "camera-video", playsInline: true,
      onUserMediaError: (error) => onCameraError && onCameraError({
        name: window.isSecureContext ? ((error && error.name) || "Error") : "InsecureContext",
        message: String((error && error.message) || error)}),
      style: {width: "100%", maxHeight: "62vh", objectFit: "contain", display: "block"}}),
    countdown > 0 && createElement("div", {id: "camera-countdown", style: {position: "absolute", inset: 0,
      display: "flex", alignItems: "center", justifyContent: "center", fontSize: "min(30vw, 9rem)",
      fontWeight: 700, color: "white", textShadow: "0 0 18px rgba(0,0,0,0.8)", lineHeight: 1}}, String(countdown)),
    flashing && createElement("div", {id: "camera-flash", style: {position: "absolute", inset: 0,
      background: "white", opacity: 0.9}}));
}
""".replace("JPEG_QUALITY", str(JPEG_QUALITY))


def _info(info: rx.Var[dict]) -> tuple[rx.Var[dict]]:
    return (info,)


def _list(found: rx.Var[list]) -> tuple[rx.Var[list]]:
    return (found,)


def _nothing() -> tuple:
    return ()


class CameraView(rx.Component):
    """Live preview and shutter of the camera (`react-webcam`, https://github.com/mozmorris/react-webcam)."""

    tag = "MsCamera"

    device_id: rx.Var[str]
    facing: rx.Var[str]
    resolution: rx.Var[str]
    flash: rx.Var[bool]
    sound: rx.Var[bool]

    on_ready: rx.EventHandler[_info]
    on_devices: rx.EventHandler[_list]
    on_camera_error: rx.EventHandler[_info]
    on_shot: rx.EventHandler[_info]
    on_done: rx.EventHandler[_nothing]

    def add_imports(self) -> dict:
        return {
            "react": [rx.ImportVar(tag="useState"), rx.ImportVar(tag="useRef"), rx.ImportVar(tag="useEffect"),
                      rx.ImportVar(tag="createElement")],
            "react-webcam@7.2.0": [rx.ImportVar(tag="Webcam", is_default=True)],
        }

    def add_custom_code(self) -> list[str]:
        return [_WRAPPER]


def camera_view() -> rx.Component:
    return CameraView.create(
        device_id=CameraState.camera_device, facing=CameraState.facing, resolution=CameraState.resolution,
        flash=CameraState.flash, sound=CameraState.sound,
        on_ready=CameraState.camera_ready, on_devices=CameraState.devices_found,
        on_camera_error=CameraState.camera_failed, on_shot=CameraState.shot_taken, on_done=CameraState.capture_done,
    )


def upload_kept() -> rx.event.EventSpec:
    """Post the shots the state wants (`upload_ids`) from the browser's blobs to the chunked upload."""
    spec = CameraState.receive(rx.upload_files_chunk(upload_id=CAMERA_UPLOAD_ID,
                                                     on_upload_progress=CameraState.set_progress))
    ids = CameraState.upload_ids
    files = Var(_js_expr=f"(window.__msCamera ? window.__msCamera.files({ids}) : [])", _var_type=list,
                _var_data=ids._get_all_var_data())
    args = tuple((name, files) if str(name) in ("files", "chunks") else (name, value) for name, value in spec.args)
    return dataclasses.replace(spec, args=args)
