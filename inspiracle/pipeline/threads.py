"""Work started in a thread of its own, its outcome handed over through a future (pure library)."""

import threading
from collections.abc import Callable
from concurrent.futures import Future


def in_thread[T](name: str, work: Callable[[], T]) -> Future[T]:
    """``work()`` run in a daemon thread; its result, or the exception that stopped it, comes out of the future.
    For C code that releases the GIL (Pillow, OpenCV) or waits on a socket, beside what the caller does."""
    future: Future[T] = Future()

    def run() -> None:
        try:
            future.set_result(work())
        except BaseException as exc:  # handed to whoever waits for the result
            future.set_exception(exc)

    threading.Thread(target=run, name=name, daemon=True).start()
    return future
