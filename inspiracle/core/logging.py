"""Logs (OPS-3): one JSON object a line from web and worker alike, each line of a request carrying its id,
and no secret in any line.

``config/settings.py`` LOGGING puts ``RequestIdFilter`` and ``RedactSecrets`` on every handler and
``JsonFormatter`` on the console; the worker keeps that configuration (``CELERY_WORKER_HIJACK_ROOT_LOGGER``
is off) and the Celery signals connected in ``CoreConfig.ready`` carry the request id into tasks.
"""

import logging
import re
import time
import traceback
import uuid
from contextvars import ContextVar
from typing import Any

from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

REDACTED = "[redacted]"

# The request (or the task) being served: its id, carried into every log line and into the tasks it queues.
request_id_var: ContextVar[str] = ContextVar("request_id", default="")

# An id a proxy or a client sent is kept only if it cannot smuggle anything into a log line.
REQUEST_ID_HEADER = "X-Request-ID"
_WELL_FORMED_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")


class JsonFormatter(_BaseJsonFormatter):
    """python-json-logger with the names this project's lines always had: ``at`` (UTC, ISO 8601), ``level``,
    ``logger``, ``message``, ``exception``; every ``extra`` field a caller passes is kept beside them (the
    pipeline's per-step timings, for one)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(levelname)s %(name)s %(message)s")
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger", "exc_info": "exception"})
        kwargs.setdefault("timestamp", "at")
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every line written while a request (or a task it queued) is served."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            rid = request_id_var.get()
            if rid:
                record.request_id = rid
        return True


# --- Redaction --------------------------------------------------------------------------------------------
# Names whose values are secrets wherever they appear as name=value (query strings, form bodies) or as JSON
# "name": "value". "key" is the visitor's report tracking key, "code" an e-mailed or TOTP code, "pass" the
# reporter's e-mail pass; anything named like a password, token, secret or signature (S3's signed URLs) too.
_SECRET_NAME = (
    r"(?:[\w-]*(?:password|passwd|secret|token|signature|credential)[\w-]*"
    r"|key|code|pass|email_pass|otp|sessionid|csrftoken)"
)
# (pattern, replacement, needles): a pattern runs only on text containing one of its needles (lowercased),
# which keeps a line without secrets cheap.
_PATTERNS: list[tuple[re.Pattern[str], str, tuple[str, ...]]] = [
    # name=value in a URL or a form body (the lookbehind keeps "status_code=" or "work_key=" readable).
    (re.compile(rf"(?i)(?<![\w-])({_SECRET_NAME}=)[^&\s\"'#,;)]+"), rf"\1{REDACTED}", ("=",)),
    # "name": "value" in JSON, 'name': 'value' in a Python repr.
    (
        re.compile(rf"(?i)([\"']{_SECRET_NAME}[\"']\s*:\s*[\"'])[^\"']*"),
        rf"\1{REDACTED}",
        ('":', "':", '" :', "' :"),
    ),
    # Headers that carry secrets, as "Authorization: Bearer x", "'HTTP_AUTHORIZATION': 'Token x'", and the
    # reporter's e-mail pass and report key headers.
    (
        re.compile(
            r"(?i)((?:authorization|cookie|x[-_]email[-_]pass|x[-_]report[-_]key)[\"']?\s*[:=]\s*[\"']?)[^\"'\r\n]+"
        ),
        rf"\1{REDACTED}",
        ("authorization", "cookie", "email_pass", "email-pass", "report_key", "report-key"),
    ),
    (
        re.compile(r"(?i)\b(bearer|token|basic)\s+[A-Za-z0-9._~+/=-]{8,}"),
        rf"\1 {REDACTED}",
        ("bearer", "token", "basic"),
    ),
    # Personal access tokens wherever they appear (insp_<public prefix>_<secret>): the prefix stays.
    (re.compile(r"\b(insp_[0-9a-f]{8}_)[A-Za-z0-9_-]+"), rf"\1{REDACTED}", ("insp_",)),
    # Secrets in paths: the appeal pass of a suspended account, a password-reset link's user and token.
    (re.compile(r"(/accounts/appeal/)[^/\s?#\"']+"), rf"\1{REDACTED}", ("/accounts/appeal/",)),
    (
        re.compile(r"(/accounts/password-reset/)[^/\s?#\"']+/[^/\s?#\"']+"),
        rf"\1{REDACTED}/{REDACTED}",
        ("/accounts/password-reset/",),
    ),
    # Credentials inside a URL (a broker or database address in an error message).
    (re.compile(r"([a-z][a-z0-9+.-]*://[^:/@\s\"']*:)[^@/\s\"']+@"), rf"\1{REDACTED}@", ("://",)),
]
# Extra fields (and dictionary keys in them) whose value is a secret whatever it looks like. Not "code" or
# "key": as field names those are a refusal's code, a cache key; their secret forms are caught in the text.
_SECRET_FIELD = re.compile(
    r"(?i)^(?:[\w-]*(?:password|passwd|secret|token|signature|credential)[\w-]*"
    r"|pass|email_pass|otp|sessionid|authorization|cookie|http_cookie|http_authorization)$"
)
# Fields of every LogRecord: not extras, left alone (msg and args are redacted through the message).
_RECORD_FIELDS = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


def redact(text: str) -> str:
    lowered = text.lower()
    for pattern, replacement, needles in _PATTERNS:
        if any(needle in lowered for needle in needles):
            text = pattern.sub(replacement, text)
    return text


def _redact_value(value: Any, depth: int = 0) -> Any:
    if isinstance(value, str):
        return redact(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    if depth < 4 and isinstance(value, dict):
        return {
            k: REDACTED if _SECRET_FIELD.match(str(k)) else _redact_value(v, depth + 1)
            for k, v in value.items()
        }
    if depth < 4 and isinstance(value, list | tuple):
        return [_redact_value(v, depth + 1) for v in value]
    # Anything else (Django puts the request object on its records) is written as its text, redacted.
    return redact(str(value))


class RedactSecrets(logging.Filter):
    """On every handler: takes secrets out of the message, the extra fields and the traceback before any
    formatter sees them. Lines are redacted, not dropped: the event stays visible, the secret does not."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_redacted", False):
            return True  # a second handler: done already
        try:
            message = record.getMessage()
        except Exception:  # a malformed call (wrong args) must still leave a line, like logging itself does
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = redact(message), None
        for name, value in list(record.__dict__.items()):
            if name in _RECORD_FIELDS or name.startswith("_"):
                continue
            setattr(record, name, REDACTED if _SECRET_FIELD.match(name) else _redact_value(value))
        if record.exc_info:
            # Formatted here, redacted, and kept as text: every formatter writes exc_text when exc_info is gone.
            record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip())
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        record._redacted = True
        return True


# --- Request ids ------------------------------------------------------------------------------------------
access_log = logging.getLogger("inspiracle.request")


class RequestIdMiddleware:
    """First in the stack: gives the request its id (the caller's X-Request-ID if well formed, else a new
    one), returns it in the response header and writes one access line per request. The access line is
    ours rather than the web server's because it goes through the redaction filter: the path with its
    query string is where tracking keys and reset tokens travel."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(REQUEST_ID_HEADER, "")
        rid = given if _WELL_FORMED_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = rid
        token = request_id_var.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = rid
            access_log.info(
                "%s %s %s",
                request.method,
                request.get_full_path(),
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.get_full_path(),
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


def _on_publish(headers=None, **kwargs):
    """A task queued while serving a request carries the request's id in its message headers."""
    rid = request_id_var.get()
    if rid and headers is not None:
        headers.setdefault("request_id", rid)


_task_tokens: dict[str, Any] = {}


def _on_task_start(task_id=None, task=None, **kwargs):
    rid = getattr(task.request, "request_id", None) if task is not None else None
    if rid and _WELL_FORMED_ID.fullmatch(str(rid)) and task_id:
        _task_tokens[task_id] = request_id_var.set(str(rid))


def _on_task_end(task_id=None, **kwargs):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        request_id_var.reset(token)


def connect_celery_signals() -> None:
    from celery.signals import before_task_publish, task_postrun, task_prerun

    before_task_publish.connect(_on_publish, weak=False, dispatch_uid="inspiracle-request-id-publish")
    task_prerun.connect(_on_task_start, weak=False, dispatch_uid="inspiracle-request-id-start")
    task_postrun.connect(_on_task_end, weak=False, dispatch_uid="inspiracle-request-id-end")
