"""A throwaway clamd for tests, loaded with the project's own test signatures instead of the real database.

The real database needs about 1.3 GiB of RAM and a network download; ours loads in well under a second and
detects EICAR (also inside archives) and a few harmless markers described in tests/clamav/README.md.
"""

import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from django.test import override_settings

from inspiracle.pipeline import clamav

SIGNATURES = Path(__file__).resolve().parents[2] / "tests" / "clamav" / "inspiracle-test.ndb"
# The kernel limits a unix socket path to 108 bytes, counting the final NUL.
MAX_SOCKET_PATH = 107
START_TIMEOUT = 30.0

# ScanImageFuzzyHash: clamd otherwise hashes every picture for image fuzzy-hash signatures, which cost more
# than everything else in the pipeline together (docs/decisions/0005-clamav-image-fuzzy-hash.md).
CONF = """\
Foreground yes
LocalSocket {socket}
DatabaseDirectory {database}
TemporaryDirectory {tmp}
LogSyslog no
ScanArchive yes
StreamMaxLength {stream_max_mb}M
MaxFileSize {stream_max_mb}M
MaxScanSize {max_scan_mb}M
AlertExceedsMax yes
ScanImageFuzzyHash no
SelfCheck 0
"""


@dataclass
class ClamdServer:
    process: subprocess.Popen
    address: str
    workdir: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_clamd(workdir: Path, *, stream_max_mb: int = 100) -> ClamdServer:
    """Start clamd on a unix socket in ``workdir`` and return once it answers PING. Keep ``workdir`` short
    (``tempfile.mkdtemp(prefix="clamd-")``): the socket lives there."""
    binary = next(
        (path for path in ("/usr/sbin/clamd", shutil.which("clamd")) if path and Path(path).exists()), None
    )
    if binary is None:
        raise RuntimeError("clamd is not installed; the tests need it: apt-get install clamav-daemon clamav")
    socket = workdir / "clamd.sock"
    if len(str(socket)) > MAX_SOCKET_PATH:
        raise ValueError(f"{socket} is too long for a unix socket; use a shorter workdir")
    database, tmp = workdir / "db", workdir / "tmp"
    for folder in (database, tmp):
        folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SIGNATURES, database / SIGNATURES.name)
    conf = workdir / "clamd.conf"
    conf.write_text(
        CONF.format(
            socket=socket,
            database=database,
            tmp=tmp,
            stream_max_mb=stream_max_mb,
            max_scan_mb=4 * stream_max_mb,
        )
    )
    log = (workdir / "clamd.log").open("wb")
    process = subprocess.Popen([binary, "-c", str(conf)], stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    log.close()
    server = ClamdServer(process=process, address=f"unix://{socket}", workdir=workdir)
    deadline = time.monotonic() + START_TIMEOUT
    with override_settings(CLAMD_ADDRESS=server.address, CLAMD_TIMEOUT=5):
        while not clamav.ping():
            if process.poll() is not None:
                output = (workdir / "clamd.log").read_text(errors="replace").strip()
                raise RuntimeError(f"clamd exited with status {process.returncode}:\n{output}")
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(f"clamd did not answer PING within {START_TIMEOUT:.0f} s")
            time.sleep(0.05)
    return server
