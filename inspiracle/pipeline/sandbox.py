"""Reading untrusted files where a CPU, memory and time limit holds (issue 10, WRK-2).

Avatars, certificate scans and report documents are checked while their sender waits, but decoding a hostile
file can take minutes (a progressive JPEG with 20,000 passes held both web workers until gunicorn killed them).
So the check runs in a child process forked from the web worker: the child has everything imported already
(a fork costs milliseconds, a fresh interpreter with Pillow and numpy about half a second), gets RLIMIT_CPU and
RLIMIT_AS, and is killed at a wall-clock deadline. The web worker only waits on a pipe and is free again when
the limit strikes. The child writes JSON, never a pickle: it has just parsed hostile bytes.
"""

import base64
import json
import logging
import os
import resource
import select
import signal
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from inspiracle.pipeline import checks
from inspiracle.pipeline.checks.layout import CORRUPT, TOO_MUCH_MEMORY
from inspiracle.pipeline.errors import FileRefused

log = logging.getLogger(__name__)


def run_limited(job: Callable[[], dict]) -> dict:
    """``job()`` run in a forked child under settings.DECODE_CPU_SECONDS of CPU (and twice that of wall
    time) and DECODE_MEMORY_BYTES more memory than the worker holds. Returns what ``job`` returned (a dict of
    JSON values; bytes travel as base64 under keys ending in ``_b64``); a FileRefused raised in the child is
    raised here; running out of time or memory is FileRefused("too_slow") or ("damaged")."""
    cpu = settings.DECODE_CPU_SECONDS
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        # Python warns when a process with threads forks (another thread may hold a lock the child needs).
        # gunicorn's sync workers have one thread; where others exist (the test suite's S3 server), the child
        # takes no lock of theirs, and one stuck anyway is killed at the deadline like a slow decode.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(job, write_end, cpu)
    os.close(write_end)
    reply, finished = _collect(read_end, pid, deadline=time.monotonic() + 2 * cpu + 1)
    _, status = os.waitpid(pid, 0)
    if not finished or (os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL)):
        raise FileRefused("too_slow", seconds=cpu)
    try:
        answer = json.loads(reply)
    except ValueError:
        log.warning("a limited decode ended without an answer (status %s)", status)
        raise FileRefused("damaged", detail=CORRUPT) from None
    if "refused" in answer:
        code, params = answer["refused"]
        raise FileRefused(code, **params)
    return answer["ok"]


def _child(job: Callable[[], dict], write_end: int, cpu: int) -> None:
    status = 1
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))  # SIGXCPU at the soft limit, SIGKILL at hard
        # The forked child already maps all of the worker's memory: the budget is what it may add to that.
        pages = int(Path("/proc/self/statm").read_text().split()[0])
        limit = pages * os.sysconf("SC_PAGE_SIZE") + settings.DECODE_MEMORY_BYTES
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        reply: dict[str, object]
        try:
            reply = {"ok": job()}
        except FileRefused as refusal:
            reply = {"refused": [refusal.code, refusal.params]}
        except MemoryError:
            reply = {"refused": ["damaged", {"detail": TOO_MUCH_MEMORY}]}
        with os.fdopen(write_end, "wb") as out:
            out.write(json.dumps(reply).encode())
        status = 0
    except BaseException:  # noqa: BLE001 - whatever happens, the child must end here, not in the worker's code
        log.exception("limited decode failed")
    finally:
        os._exit(status)


def _collect(read_end: int, pid: int, *, deadline: float) -> tuple[bytes, bool]:
    """Everything the child writes, or (partial, False) when the deadline passed and it was killed."""
    pieces: list[bytes] = []
    with os.fdopen(read_end, "rb", buffering=0) as pipe:
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([pipe], [], [], left)
            if not ready:
                continue
            piece = pipe.read(1 << 16)
            if not piece:
                return b"".join(pieces), True
            pieces.append(piece)
    os.kill(pid, signal.SIGKILL)
    return b"".join(pieces), False


def inspect_limited(
    path: Path, *, name: str, max_bytes: int, decode_follows: bool = False
) -> checks.Inspection:
    """``checks.inspect_upload`` on ``path`` under the limits, with the image settings (pixels, frames, scans)."""

    def job() -> dict:
        inspection = checks.inspect_upload(
            path,
            name=name,
            max_bytes=max_bytes,
            max_pixels=settings.IMAGE_MAX_PIXELS,
            max_frames=settings.IMAGE_MAX_FRAMES,
            max_scans=settings.IMAGE_MAX_SCANS,
            decode_follows=decode_follows,
        )
        return {**inspection.__dict__, "packed": [list(span) for span in inspection.packed]}

    fields = run_limited(job)
    return checks.Inspection(**{**fields, "packed": tuple(tuple(span) for span in fields["packed"])})


def inspect_bytes_limited(data: bytes, *, name: str, max_bytes: int) -> checks.Inspection:
    """``inspect_limited`` for bytes already in memory (a certificate scan, a report document)."""
    with tempfile.TemporaryDirectory(prefix="inspiracle-check-") as scratch:
        path = Path(scratch) / "upload"
        path.write_bytes(data)
        return inspect_limited(path, name=name, max_bytes=max_bytes)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def unb64(text: str) -> bytes:
    return base64.b64decode(text)
