"""The harness of the page benchmarks (bench/shop.py, bench/web.py): a throwaway installation served by gunicorn
with 2 sync workers, and URLs driven against a bare template view in the same run, finely interleaved.

This machine is shared and noisy: a neighbour that takes the CPU for a second would slow whichever URL was being
driven then. So each round cycles through the URLs many times in short slices (``slice_seconds`` each), and each
URL's rate is its requests over its own slices; a burst of load then falls on all of them alike. Beside req/s the
harness reads the CPU time the gunicorn workers spent (from /proc), per request: a second view that a neighbour's
load hardly moves. Only the standard library talks HTTP.
"""

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE = "/bench/bare/"
URL = str | tuple[str, dict[str, str]]  # a path, or a path with request headers
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Installation:
    env: dict[str, str]
    seeded: dict[str, str]  # what the seed printed as "NAME value" lines


@contextmanager
def installation(seed: str = "") -> Iterator[Installation]:
    """A migrated installation with the demo data and collected static files in a temporary data folder; ``seed``
    is Python run in its shell afterwards."""
    with tempfile.TemporaryDirectory(prefix="bench-web-") as data:
        env = {
            **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")},
            "INSPIRACLE_DATA_DIR": data,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "LOG_LEVEL": "WARNING",
        }
        for args in (["migrate", "-v0"], ["load_demo"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run(
                [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
            )
        printed = ""
        if seed:
            shell = [sys.executable, "manage.py", "shell", "-c", seed]
            printed = subprocess.run(
                shell, cwd=ROOT, env=env, check=True, capture_output=True, text=True
            ).stdout
        seeded = dict(
            line.split(" ", 1) for line in printed.splitlines() if line[:1].isupper() and " " in line
        )
        yield Installation(env, seeded)


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


@contextmanager
def gunicorn(site: Installation, wsgi: str = "bench.shop_wsgi") -> Iterator["Server"]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", wsgi],
        cwd=ROOT,
        env=site.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = Server(f"http://127.0.0.1:{port}", process.pid)
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(server.base + BARE, timeout=2).read()
                break
            except OSError:
                time.sleep(0.5)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)


@dataclass
class Tally:
    requests: int = 0
    seconds: float = 0.0
    cpu: float = 0.0

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.cpu / self.requests


@dataclass
class Server:
    base: str
    pid: int
    workers: list[int] = field(default_factory=list)

    def request(self, url: URL) -> urllib.request.Request:
        path, headers = (url, {}) if isinstance(url, str) else url
        return urllib.request.Request(self.base + path, headers=headers)

    def check(self, url: URL) -> int:
        """The body size of one request; anything but 200 stops the benchmark."""
        with urllib.request.urlopen(self.request(url), timeout=30) as response:
            assert response.status == 200, (url, response.status)
            return len(response.read())

    def drive(self, url: URL, seconds: float, tally: Tally, threads: int = 4) -> None:
        done = [0] * threads
        stop = time.monotonic() + seconds

        def worker(slot: int) -> None:
            while time.monotonic() < stop:
                with urllib.request.urlopen(self.request(url), timeout=30) as response:
                    response.read()
                    assert response.status == 200, (url, response.status)
                done[slot] += 1

        workers = _children(self.pid)
        cpu = _cpu_seconds(workers)
        started = time.monotonic()
        pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        tally.seconds += time.monotonic() - started
        tally.cpu += _cpu_seconds(workers) - cpu
        tally.requests += sum(done)


def compare(
    server: Server, urls: dict[str, URL], *, rounds: int, seconds: float, slice_seconds: float = 0.5
) -> None:
    """Drive ``urls`` (name -> path; the bare view is added first) interleaved in slices, print each round and
    a summary: req/s, the ratio to the bare view per round (min and median), and worker CPU ms per request."""
    urls = {"bare template": BARE, **urls}
    for url in urls.values():  # warm both workers: caches, compiled templates, open connections
        server.check(url)
        server.drive(url, 1.0, Tally())
    tallies: dict[str, list[Tally]] = {name: [] for name in urls}
    for round_ in range(rounds):
        this = {name: Tally() for name in urls}
        for _ in range(max(1, round(seconds / slice_seconds))):
            for name, url in urls.items():
                server.drive(url, slice_seconds, this[name])
        for name, tally in this.items():
            tallies[name].append(tally)
        print(f"round {round_ + 1}: " + ", ".join(f"{n} {t.rate:.0f}/s" for n, t in this.items()), flush=True)
    bare = tallies["bare template"]
    print(
        f"\n{'URL':34} {'req/s':>7} {'x bare per round':>22} {'min':>5} {'median':>6} {'CPU ms/req':>10} {'x bare':>6}"
    )
    for name, rounds_ in tallies.items():
        ratios = [b.rate / t.rate for b, t in zip(bare, rounds_, strict=True)]
        cpu = statistics.median(t.cpu_ms for t in rounds_)
        cpu_ratio = cpu / statistics.median(t.cpu_ms for t in bare)
        print(
            f"{name:34} {statistics.median(t.rate for t in rounds_):7.0f} {', '.join(f'{x:.2f}' for x in ratios):>22}"
            f" {min(ratios):5.2f} {statistics.median(ratios):6.2f} {cpu:10.2f} {cpu_ratio:6.2f}"
        )
