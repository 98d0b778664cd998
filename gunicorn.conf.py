"""gunicorn's own settings, read from the working folder (``serve`` and ``./run`` start it from here; elsewhere
pass ``-c gunicorn.conf.py``). Only logging: gunicorn's lines become JSON and go through the same request-id
and redaction filters as the application's (OPS-3). Its access line is not written: the application writes
one per request (inspiracle.core.logging.RequestIdMiddleware) with the request id, redacted; gunicorn's
carried the raw query string (report tracking keys) and the client's address."""

import os

from inspiracle.core.logconfig import json_logging

logconfig_dict = json_logging(
    os.environ.get("LOG_LEVEL", "INFO"),
    {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
)
