"""Run by test_upload_crash: an upload in a process of its own, which the test then kills.

    python -m tests.state.crash_upload <session token> mid-stream|between-commits

Prints "ready" once the process is where the test wants to kill it, then waits forever.
"""

from __future__ import annotations

import asyncio
import sys
import time

import reflex as rx

from mediashare import routes
from mediashare.storage import LocalStorage
from tests.media_files import jpeg_bytes
from tests.state.test_upload_state import chunks_of, upload_state


def _hang(*_args: object, **_kwargs: object) -> None:
    print("ready", flush=True)
    time.sleep(3600)


async def main(token: str, mode: str) -> None:
    state = upload_state(f"{routes.SESSION_COOKIE}={token}")
    files = [("first.jpg", jpeg_bytes(seed=31)), ("second.jpg", jpeg_bytes(1600, 1200, seed=32))]
    chunks = chunks_of(files)
    if mode == "between-commits":  # the second file's row is committed as pending, then the process dies
        original = LocalStorage.adopt
        calls = []

        def adopt(self: LocalStorage, received, *, key: str, area: str = "originals") -> None:
            calls.append(key)
            if len(calls) == 2:
                _hang()
            original(self, received, key=key, area=area)

        LocalStorage.adopt = adopt  # type: ignore[method-assign]
    iterator = rx.UploadChunkIterator(maxsize=8)
    task = asyncio.ensure_future(_drain(state, iterator))
    iterator.set_consumer_task(task)
    first_file = sum(1 for chunk in chunks if chunk.filename == "first.jpg")
    cut = len(chunks) if mode == "between-commits" else first_file + 3
    for chunk in chunks[:cut]:
        await iterator.push(chunk)
    if mode == "mid-stream":
        while not any(row.status == "receiving" and row.name == "second.jpg" for row in state.rows):
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.2)
        print("ready", flush=True)
        await asyncio.sleep(3600)
    await iterator.finish()
    await task


async def _drain(state, iterator) -> None:
    async for _ in type(state).receive.fn(state, iterator, ["first.jpg", "second.jpg"], [1, 1]):
        pass


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
