"""What a log line costs: the JSON formatter alone, and with the request-id and redaction filters that every
handler runs (inspiracle/core/logging.py).

Run: uv run --offline python bench/log_lines.py [--lines 20000]

The line is the application's access line for a report tracking address (one secret to take out). Both cases
alternate in rounds, so a busy neighbour on this shared machine slows both alike; the median round is printed.
"""

import argparse
import io
import logging
import statistics
import time

from inspiracle.core.logging import JsonFormatter, RedactSecrets, RequestIdFilter


def _handler(*, filters: bool) -> logging.Handler:
    handler = logging.StreamHandler(io.StringIO())
    handler.setFormatter(JsonFormatter())
    if filters:
        handler.addFilter(RequestIdFilter())
        handler.addFilter(RedactSecrets())
    return handler


def _round(handler: logging.Handler, lines: int) -> float:
    path = "/reports/R-2026-0001/?lang=en&key=TrackingKey-Zq81mWx"
    started = time.perf_counter()
    for _ in range(lines):
        record = logging.LogRecord(
            "inspiracle.request", logging.INFO, __file__, 1, "%s %s %s", ("GET", path, 200), None
        )
        record.method, record.path, record.status, record.ms = "GET", path, 200, 12.5
        handler.handle(record)
    return (time.perf_counter() - started) / lines * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    plain, filtered = _handler(filters=False), _handler(filters=True)
    results: dict[str, list[float]] = {"formatter only": [], "with request id + redaction": []}
    for _ in range(args.rounds):
        results["formatter only"].append(_round(plain, args.lines))
        results["with request id + redaction"].append(_round(filtered, args.lines))
    for name, values in results.items():
        print(f"{name:30} {statistics.median(values):7.1f} µs a line (median of {args.rounds} rounds)")


if __name__ == "__main__":
    main()
