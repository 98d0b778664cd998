"""Logs (OPS-3): JSON lines with the callers' extra fields and the request id, and no secret in any line."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import Client

from inspiracle.core.logging import (
    REDACTED,
    _on_publish,
    _on_task_end,
    _on_task_start,
    request_id_var,
)

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def log_lines():
    """What the configured console handler (the one LOGGING sets up) writes, as parsed JSON lines."""
    handler = logging.getHandlerByName("console")
    assert handler is not None
    buffer = io.StringIO()
    old = handler.setStream(buffer)

    def lines() -> list[dict]:
        return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]

    lines.text = buffer.getvalue
    try:
        yield lines
    finally:
        handler.setStream(old)


def test_a_log_line_is_json_and_keeps_the_extra_fields(log_lines):
    """REQ: OPS-3: the pipeline's per-step timings were dropped by the old formatter."""
    logging.getLogger("inspiracle.pipeline.runner").info(
        "pipeline accepted file", extra={"file": 7, "ms": {"fetch": 1.5, "scan": 20.25}}
    )
    (line,) = log_lines()
    assert line["message"] == "pipeline accepted file"
    assert (line["level"], line["logger"]) == ("INFO", "inspiracle.pipeline.runner")
    assert line["file"] == 7 and line["ms"] == {"fetch": 1.5, "scan": 20.25}
    assert line["at"].endswith("+00:00")


def test_an_exception_is_written_inside_its_json_line(log_lines):
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("inspiracle.test").exception("failed")
    (line,) = log_lines()
    assert "ValueError: boom" in line["exception"] and line["message"] == "failed"


@pytest.mark.django_db
def test_every_request_gets_an_id_returned_in_the_header_and_written_in_its_log_lines(log_lines):
    """REQ: OPS-3"""
    response = Client().get("/agreements/", HTTP_X_REQUEST_ID="lb-4f9a2c71-0001")
    assert response["X-Request-ID"] == "lb-4f9a2c71-0001"
    access = [line for line in log_lines() if line["logger"] == "inspiracle.request"]
    assert access and all(line["request_id"] == "lb-4f9a2c71-0001" for line in access)
    assert access[-1]["path"] == "/agreements/" and access[-1]["status"] == 200
    assert isinstance(access[-1]["ms"], float)


@pytest.mark.django_db
@pytest.mark.parametrize("given", ["", "short", "has space inside", "x" * 200, "new\nline-injected"])
def test_a_missing_or_malformed_request_id_is_replaced_by_a_new_one(given):
    headers = {"HTTP_X_REQUEST_ID": given} if given else {}
    rid = Client().get("/agreements/", **headers)["X-Request-ID"]
    assert rid != given and len(rid) == 32 and int(rid, 16) >= 0


def test_a_task_queued_during_a_request_carries_its_id_into_the_worker() -> None:
    """REQ: OPS-3: the id travels in the task message's headers (never in its arguments)."""
    headers: dict = {}
    token = request_id_var.set("req-0123456789")
    try:
        _on_publish(headers=headers)
    finally:
        request_id_var.reset(token)
    assert headers == {"request_id": "req-0123456789"}
    task = SimpleNamespace(request=SimpleNamespace(request_id="req-0123456789"))
    _on_task_start(task_id="t1", task=task)
    assert request_id_var.get() == "req-0123456789"
    _on_task_end(task_id="t1")
    assert request_id_var.get() == ""


# --- No secret in any line ---------------------------------------------------------------------------------
SECRETS = {
    "tracking key": "TrackingKey-Zq81mWx",
    "bearer token": "insp_0a1b2c3d_TokenSecretPart9",
    "password": "Correct-Horse-77",
    "email code": "482913",
    "appeal pass": "eyJhcHBlYWwiOjF9:1tA9sD:SignedAppealPass",
    "reset token": "cx1k2m-3f9d0e8a7b6c5d4e3f2a",
    "email pass": "eyJlbWFpbCI6ImEifQ:PassSig",
    "broker password": "BrokerPw-55",
    "session cookie": "sessioncookievalue123",
}


@pytest.mark.django_db
def test_no_secret_reaches_a_log_line_from_requests_that_carry_them(log_lines, agreements):
    """REQ: OPS-3, PRV-1: the access line and Django's own warnings for requests whose address, query or
    headers carry each kind of secret."""
    s = SECRETS
    client = Client()
    client.get(f"/reports/R-2026-0001/?key={s['tracking key']}")
    client.get(f"/accounts/appeal/{s['appeal pass']}/")
    client.get(f"/accounts/password-reset/MTA/{s['reset token']}/")
    client.get(f"/api/me?code={s['email code']}&password={s['password']}")
    client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {s['bearer token']}", HTTP_X_EMAIL_PASS=s["email pass"])
    client.post("/accounts/signin/?next=/", {"username": "nobody", "password": s["password"]})
    text = log_lines.text()
    access = [line for line in log_lines() if line["logger"] == "inspiracle.request"]
    assert len(access) == 6
    assert f"key={REDACTED}" in text and f"/accounts/appeal/{REDACTED}/" in text
    for name, secret in s.items():
        assert secret not in text, name


def test_no_secret_reaches_a_log_line_whatever_form_it_is_logged_in(log_lines):
    """REQ: OPS-3: messages, their arguments, extra fields, nested values and tracebacks."""
    s = SECRETS
    log = logging.getLogger("inspiracle.test")
    log.warning("request headers %s", {"HTTP_AUTHORIZATION": f"Bearer {s['bearer token']}"})
    log.warning("Authorization: Token %s", s["bearer token"])
    log.warning("headers %s", {"HTTP_X_REPORT_KEY": s["tracking key"], "HTTP_X_EMAIL_PASS": s["email pass"]})
    log.warning("body %s", json.dumps({"email": "a@example.com", "code": s["email code"]}))
    log.warning("body %s", json.dumps({"new_password1": s["password"], "email_pass": s["email pass"]}))
    log.warning("broker down at redis://:%s@10.0.0.2:6379/0", s["broker password"])
    log.warning("link %s", f"https://inspiracle.example/reports/R-1/?lang=en&key={s['tracking key']}")
    log.warning("cookie", extra={"headers": {"Cookie": f"sessionid={s['session cookie']}"}, "password": "x"})
    log.info("signed preview", extra={"url": f"http://s3/b/k?X-Amz-Signature={s['reset token']}"})
    try:
        raise RuntimeError(f"could not open /accounts/appeal/{s['appeal pass']}/")
    except RuntimeError:
        log.exception("appeal page failed")
    text = log_lines.text()
    for name, secret in s.items():
        assert secret not in text, name
    lines = log_lines()
    assert lines[7]["password"] == REDACTED and lines[7]["headers"]["Cookie"] == REDACTED
    assert "could not open /accounts/appeal/" in lines[-1]["exception"]


def test_what_is_not_secret_stays_readable(log_lines):
    logging.getLogger("inspiracle.test").info(
        "pipeline refused file status_code=200 work=5", extra={"code": "not_an_image"}
    )
    (line,) = log_lines()
    assert (
        line["message"] == "pipeline refused file status_code=200 work=5" and line["code"] == "not_an_image"
    )


def test_the_worker_writes_json_lines_too(tmp_path: Path) -> None:
    """REQ: OPS-3: Celery keeps the project's logging instead of installing its own text handlers."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(INSPIRACLE_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings_test")
    argv = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO"]
    process = subprocess.Popen(
        argv, cwd=ROOT, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    lines: list[str] = []
    assert process.stderr is not None  # started with stderr=PIPE
    try:
        for line in process.stderr:
            if line.startswith("{"):
                lines.append(line)
                if "ready." in line:
                    break
    finally:
        process.terminate()
        process.wait(timeout=30)
    records = [json.loads(line) for line in lines]
    assert records and records[-1]["message"].endswith("ready.")
    assert {"at", "level", "logger", "message"} <= set(records[-1])
