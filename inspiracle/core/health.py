"""Liveness and readiness (OPS-3), for load balancers, orchestrators and ``serve``.

- ``/health/live``: the process answers. No database, no network: restarting a process does not fix a
  database outage, so liveness must not fail because of one.
- ``/health/ready``: everything a request or an upload needs answers (database, broker, both storages, the
  malware scanner when one is configured), each within ``HEALTH_CHECK_TIMEOUT`` seconds; 503 with the name of
  what failed otherwise. ``/health/`` is the same answer, for monitors set up before the split.

Probes are answered by ``HealthProbeMiddleware`` before the HTTPS redirect and the host check: a probe asks
over plain HTTP by the instance's address, which is in no ALLOWED_HOSTS, and would otherwise be redirected or
refused (and logged as an ERROR) rather than answered.
"""

import logging
import os
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections
from django.http import JsonResponse

log = logging.getLogger(__name__)


def _database() -> None:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        connections.close_all()  # this thread's connection: the thread ends here


def _broker() -> None:
    from celery import current_app

    with current_app.connection_for_write(connect_timeout=settings.HEALTH_CHECK_TIMEOUT) as conn:
        conn.ensure_connection(max_retries=1)


def _storage_ready(alias: str) -> None:
    storage = storages[alias]
    if isinstance(storage, FileSystemStorage):
        # The folder is made on the first save: ready if it, or the nearest folder above it, is writable.
        path = Path(storage.location)
        while not path.exists() and path != path.parent:
            path = path.parent
        if not (path.is_dir() and os.access(path, os.W_OK | os.X_OK)):
            raise OSError(f"{alias} storage folder {storage.location} is not writable")
    elif hasattr(storage, "bucket_name") and hasattr(storage, "connection"):
        # S3 (django-storages' S3Storage): the bucket exists and these credentials reach it (one HEAD request).
        storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
    else:
        storage.listdir("")


def _storage() -> None:
    for alias in ("default", "private"):
        _storage_ready(alias)


def _scanner() -> None:
    from inspiracle.pipeline import clamav

    if not clamav.ping():
        raise OSError("clamd did not answer PING")


def _checks() -> dict:
    checks = {"database": _database, "broker": _broker, "storage": _storage}
    if settings.CLAMD_ADDRESS:
        checks["scanner"] = _scanner
    return checks


def readiness() -> dict[str, str]:
    """Each check's outcome: "ok", "failed" or "timeout". They run side by side, so the whole answer takes
    at most one timeout; a check still hanging then is left to end on its own (its thread is not waited for)."""
    checks = _checks()
    pool = ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="health")
    futures = {name: pool.submit(check) for name, check in checks.items()}
    wait(futures.values(), timeout=settings.HEALTH_CHECK_TIMEOUT)
    pool.shutdown(wait=False, cancel_futures=True)
    outcome = {}
    for name, future in futures.items():
        if not future.done():
            outcome[name] = "timeout"
        elif future.exception() is not None:
            outcome[name] = "failed"
            # The reason goes to the log only (it may name hosts); the redaction filter drops credentials.
            log.warning("readiness check %s failed: %r", name, future.exception())
        else:
            outcome[name] = "ok"
    if not settings.CLAMD_ADDRESS:
        outcome["scanner"] = "not configured"
    return outcome


def health_live(request):
    return JsonResponse({"status": "ok"})


def health_ready(request):
    checks = readiness()
    failed = sorted(name for name, state in checks.items() if state in {"failed", "timeout"})
    return JsonResponse(
        {"status": "not ready" if failed else "ready", "checks": checks, "failed": failed},
        status=503 if failed else 200,
        headers={"Cache-Control": "no-store"},
    )


PROBES = {"/health/live": health_live, "/health/ready": health_ready, "/health": health_ready}


class HealthProbeMiddleware:
    """First in the stack: a probe's path is answered here, before anything reads the Host header or
    redirects to HTTPS (SECURE_REDIRECT_EXEMPT says the same to SecurityMiddleware, for the URLconf routes)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info.rstrip("/"))
        if probe is not None and request.method in {"GET", "HEAD"}:
            return probe(request)
        return self.get_response(request)
