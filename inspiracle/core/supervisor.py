"""Keeping `serve`'s processes alive: each child runs in a process group of its own, and one that dies is
cleaned up (its whole group, so no pool process or beat outlives it) and started again.

A process that keeps dying right after it starts (a port in use, a broken setting) is not restarted for
ever: after RAPID_FAILURES quick deaths in a row the supervisor gives up and says which one."""

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# A child that ran at least this long before dying had started fine: its failure count starts again.
HEALTHY_AFTER = 30.0
RAPID_FAILURES = 5


class GaveUp(Exception):
    pass


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict[str, str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    rapid_failures: int = 0
    restarts: int = field(default=0)

    def start(self) -> None:
        # A session of its own: the child's group holds its pool processes too, so one killpg ends them all.
        self.process = subprocess.Popen(self.argv, env=self.env, start_new_session=True)  # noqa: S603
        self.started_at = time.monotonic()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal_group(self, signum: int) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)

    def stop(self, timeout: float = 15) -> None:
        if self.process is None:
            return
        self.signal_group(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=timeout)
        self.signal_group(signal.SIGKILL)  # whatever of its group is left (a pool process, an orphan)
        self.process.wait()


def restart_dead(children: list[Child], say: Callable[[str], None]) -> None:
    """One round of supervision: every child that died is cleaned up and started again."""
    for child in children:
        if child.alive():
            continue
        code = child.process.returncode if child.process else None
        child.signal_group(signal.SIGKILL)
        quick = time.monotonic() - child.started_at < HEALTHY_AFTER
        child.rapid_failures = child.rapid_failures + 1 if quick else 1
        if child.rapid_failures >= RAPID_FAILURES:
            raise GaveUp(
                f"the {child.name} stopped {child.rapid_failures} times in a row right after starting"
            )
        say(f"the {child.name} stopped (exit code {code}); starting it again")
        child.restarts += 1
        child.start()


def stop_all(children: list[Child]) -> None:
    for child in children:
        child.signal_group(signal.SIGTERM)
    for child in children:
        child.stop()
