"""The one logging configuration of web, worker and gunicorn (OPS-3): JSON lines on stderr, every handler
adding the request id and taking secrets out (``inspiracle.core.logging``). No Django import here: gunicorn
reads it before any application is loaded."""


def json_logging(level: str, loggers: dict) -> dict:
    return {
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
        "root": {"handlers": ["console"], "level": level},
        "loggers": loggers,
    }
