"""Transcoding throughput: seconds of video made playable per second of wall time, against ffmpeg
only decoding the same clip (`-f null -`) measured in the same run.

    .venv/bin/python bench/transcode.py [--quick] [--threads N]

Clips are generated with the bundled ffmpeg, in formats browsers cannot play: HEVC in Matroska,
1080p and 720p, 10 s (with --quick: MPEG-4 part 2 in AVI, which is much cheaper to generate, 3 s).
Each is converted with the default "playable" profile (H.264 CRF 23 veryfast, AAC 128k, at most
1080p) with the job's own code and thread limit, but not niced (so that the reference, also not
niced, competes for the CPU on equal terms on a shared machine). Prints one line per figure,
then a JSON object of all figures as the last line.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mediashare.imaging import transcoder
from mediashare.services.transcode import DEFAULT_PROFILES


def _clip(path: Path, size: str, seconds: float, *, quick: bool) -> Path:
    codec = (["-c:v", "mpeg4", "-q:v", "3", "-c:a", "libmp3lame"] if quick else
             ["-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-x265-params", "log-level=error",
              "-c:a", "libopus"])
    subprocess.run([transcoder.ffmpeg_path(), "-nostdin", "-hide_banner", "-loglevel", "error",
                    "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=30", "-f", "lavfi", "-i", "sine=frequency=440",
                    "-t", str(seconds), *codec, "-y", str(path)], check=True, timeout=600)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter clips (well under a minute)")
    parser.add_argument("--threads", type=int, default=2, help="threads per conversion (the platform default: 2)")
    args = parser.parse_args()
    seconds = 3.0 if args.quick else 10.0
    main_profile = DEFAULT_PROFILES["playable"]
    profile = transcoder.Profile(max_height=int(main_profile["max_height"]), crf=int(main_profile["crf"]),
                                 preset=str(main_profile["preset"]), audio_kbps=int(main_profile["audio_kbps"]))
    limits = transcoder.Limits(timeout_seconds=600, max_output_bytes=2 * 1024**3, threads=args.threads, niceness=0)
    figures: dict[str, object] = {"clip_seconds": seconds, "threads": args.threads,
                                  "source": "mpeg4/avi" if args.quick else "hevc/mkv",
                                  "profile": {"crf": profile.crf, "preset": profile.preset}}
    with tempfile.TemporaryDirectory() as folder:
        for name, size in (("1080p", "1920x1080"), ("720p", "1280x720")):
            source = _clip(Path(folder) / (f"{name}.avi" if args.quick else f"{name}.mkv"), size, seconds,
                           quick=args.quick)
            found = transcoder.probe(source)
            decode = transcoder.decode_only_seconds(source, found.demuxer, threads=args.threads)
            started = time.perf_counter()
            result = transcoder.transcode(source, Path(folder) / f"{name}.mp4", found, profile, limits)
            took = time.perf_counter() - started
            duration = found.duration_seconds or seconds
            figures[name] = {
                "transcode_seconds": round(took, 3),
                "video_seconds_per_second": round(duration / took, 3),
                "reference_decode_only_video_seconds_per_second": round(duration / decode, 3),
                "ratio_to_decode_only": round(took / decode, 2),
                "output_mb": round(result.size_bytes / 1024**2, 2),
            }
            line = figures[name]
            print(f"{name}: {line['video_seconds_per_second']} s of video per second "  # type: ignore[index]
                  f"(decoding only: {line['reference_decode_only_video_seconds_per_second']}; "  # type: ignore[index]
                  f"transcoding takes {line['ratio_to_decode_only']}× the decode time)")  # type: ignore[index]
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
