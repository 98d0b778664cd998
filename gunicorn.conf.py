"""gunicorn's own settings, read from the working folder (``serve`` and ``./run`` start it from here; elsewhere
pass ``-c gunicorn.conf.py``). Only logging: gunicorn's lines become JSON and go through the same request-id
and redaction filters as the application's (OPS-3). Its access line is not written: the application writes
one per request (inspiracle.core.logging.RequestIdMiddleware) with the request id, redacted; gunicorn's
carried the raw query string (report tracking keys) and the client's address."""

import os

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "inspiracle.core.logging.RequestIdFilter"},
        "redact": {"()": "inspiracle.core.logging.RedactSecrets"},
    },
    "formatters": {"json": {"()": "inspiracle.core.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id", "redact"],
            "stream": "ext://sys.stderr",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
}
