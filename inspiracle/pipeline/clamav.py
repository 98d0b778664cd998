"""A small client for the ClamAV daemon (clamd), speaking its socket protocol directly (WRK-2).

``settings.CLAMD_ADDRESS`` is "unix:///path/to/socket" or "tcp://host:port"; empty means no scanner is
configured, which the result says out loud ("not_scanned") instead of passing the file silently.
"""

import logging
import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from inspiracle.pipeline.checks import unpacked
from inspiracle.pipeline.errors import FileRefused

logger = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024
SEPARATE_STREAMS = 8
TOO_LARGE = "the file is larger than the scanner accepts"
# clamd reports a file it gave up on (AlertExceedsMax yes) as a "signature"; that is no verdict, so the file
# is refused as unscanned rather than named as malware.
LIMITS_PREFIX = "Heuristics.Limits.Exceeded"
# clamd appends this to every name from a database that Cisco did not sign (third-party feeds and our own test
# signatures); the name before it is the one people can look up.
UNOFFICIAL_SUFFIX = ".UNOFFICIAL"


class ScannerUnavailable(Exception):
    """clamd could not be reached or did not answer in time; the task retries later."""


@dataclass(frozen=True)
class ScanResult:
    status: Literal["clean", "infected", "not_scanned"]
    signature: str = ""


def scan_file(path: Path) -> ScanResult:
    """Stream ``path`` to clamd with zINSTREAM. Infected files are returned, not raised: the caller refuses."""
    with path.open("rb") as file:
        return scan_stream(iter(lambda: file.read(CHUNK_SIZE), b""))


def scan_file_and_unpacked(path: Path, packed: tuple[tuple[int, int, int], ...]) -> ScanResult:
    """The file, then (if it is clean) what clamd cannot unpack by itself: its zlib streams, inflated and
    bounded by ``checks.unpacked``, as one more stream (issue 10: EICAR in a zTXt chunk passed)."""
    result = scan_file(path)
    # Each stream on its own, as a file of its own, for signatures that match a whole file (stock ClamAV
    # knows EICAR only so); past the first few, the rest together, so that a file with thousands of tiny
    # streams does not cost thousands of scans.
    groups = [packed[i : i + 1] for i in range(min(len(packed), SEPARATE_STREAMS))]
    groups += [packed[SEPARATE_STREAMS:]] if len(packed) > SEPARATE_STREAMS else []
    for group in groups:
        if result.status != "clean":
            break
        result = scan_stream(unpacked(path, group))
    return result


def scan_stream(chunks: Iterable[bytes]) -> ScanResult:
    """Send ``chunks`` to clamd as one stream with zINSTREAM and read its verdict."""
    if not settings.CLAMD_ADDRESS:
        return ScanResult("not_scanned")
    try:
        with _connect() as sock:
            sock.sendall(b"zINSTREAM\0")
            for piece in chunks:
                for at in range(0, len(piece), CHUNK_SIZE):
                    chunk = piece[at : at + CHUNK_SIZE]
                    sock.sendall(struct.pack(">L", len(chunk)) + chunk)
            sock.sendall(struct.pack(">L", 0))
            reply = _read_reply(sock)
    except (BrokenPipeError, ConnectionResetError):
        reply = ""
    except TimeoutError as exc:
        raise ScannerUnavailable(f"clamd did not answer within {settings.CLAMD_TIMEOUT} s") from exc
    if not reply:
        # clamd drops the connection as soon as a stream passes StreamMaxLength, usually before we can read its
        # "size limit exceeded" reply. A daemon that still answers PING did this on purpose; one that does not
        # went away mid-scan, and that is worth a retry.
        if ping():
            raise FileRefused("scan_failed", detail=TOO_LARGE)
        raise ScannerUnavailable(f"clamd at {settings.CLAMD_ADDRESS} closed the connection during a scan")
    return _parse_reply(reply)


def _parse_reply(reply: str) -> ScanResult:
    if reply == "stream: OK":
        return ScanResult("clean")
    if reply.startswith("stream: ") and reply.endswith(" FOUND"):
        signature = reply.removeprefix("stream: ").removesuffix(" FOUND").removesuffix(UNOFFICIAL_SUFFIX)
        if signature.startswith(LIMITS_PREFIX):
            raise FileRefused("scan_failed", detail="the file is too large or too deeply packed to scan")
        return ScanResult("infected", signature)
    logger.warning("clamd refused a scan: %s", reply)
    if "size limit exceeded" in reply:
        raise FileRefused("scan_failed", detail=TOO_LARGE)
    raise FileRefused("scan_failed", detail="the scanner reported an error")


def ping() -> bool:
    """True when clamd answers PING; for health and readiness checks."""
    try:
        return _command("zPING") == "PONG"
    except ScannerUnavailable:
        return False


def version() -> str:
    """clamd's engine and signature database versions, e.g. "ClamAV 1.4.6/27512/Tue Jan 7 09:00:00 2025"."""
    return _command("zVERSION")


def _command(command: str) -> str:
    try:
        with _connect() as sock:
            sock.sendall(command.encode() + b"\0")
            return _read_reply(sock)
    except OSError as exc:
        raise ScannerUnavailable(
            f"clamd at {settings.CLAMD_ADDRESS} did not answer {command}: {exc}"
        ) from exc


def _connect() -> socket.socket:
    address = settings.CLAMD_ADDRESS
    if not address:
        raise ScannerUnavailable("CLAMD_ADDRESS is not set")
    parts = urlsplit(address)
    target: str | tuple[str, int]
    if parts.scheme == "unix":
        family, target = socket.AF_UNIX, parts.path
    elif parts.scheme == "tcp" and parts.hostname and parts.port:
        family, target = (
            socket.AF_INET6 if ":" in parts.hostname else socket.AF_INET,
            (parts.hostname, parts.port),
        )
    else:
        raise ImproperlyConfigured(f"CLAMD_ADDRESS must be unix:///path or tcp://host:port, not {address!r}")
    sock = socket.socket(family, socket.SOCK_STREAM)
    # The timeout bounds every connect, send and receive, so a hung daemon cannot hold a worker forever;
    # clamd answers only after scanning the whole stream, so it must cover the slowest scan we accept.
    sock.settimeout(settings.CLAMD_TIMEOUT)
    try:
        sock.connect(target)
    except OSError as exc:
        sock.close()
        raise ScannerUnavailable(f"cannot reach clamd at {address}: {exc}") from exc
    return sock


def _read_reply(sock: socket.socket) -> str:
    """The reply up to the NUL that the "z" command prefix asks clamd to end it with."""
    reply = b""
    while not reply.endswith(b"\0"):
        data = sock.recv(4096)
        if not data:
            break
        reply += data
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()
