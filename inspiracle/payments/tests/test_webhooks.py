"""POST /api/payments/webhooks/<provider>: signed events from the provider, recorded once (COM-5)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from inspiracle.core.errors import ApplicationError
from inspiracle.payments import events, signing
from inspiracle.payments.models import ReceivedWebhook
from inspiracle.payments.providers.test import webhook_for

pytestmark = pytest.mark.django_db
URL = "/api/payments/webhooks/test"


def post(body: bytes, headers: dict[str, str], url: str = URL):
    # A server calls, not a browser: no session, and CSRF checks on (they must not apply).
    return Client(enforce_csrf_checks=True).post(url, body, content_type="application/json", headers=headers)


def error(response) -> tuple[int, str, str]:
    body = response.json()["error"]
    return response.status_code, body["code"], body["message"]


def test_a_signed_event_is_processed_and_handed_to_the_handlers(handled):
    """REQ: COM-5"""
    body, headers = webhook_for(
        type="payment.captured", provider_ref="tch_1", amount_fen=4_200, event_id="evt_1"
    )
    response = post(body, headers)
    assert (response.status_code, response.json()) == (200, {"status": "processed"})
    assert [(e.event_id, e.type, e.provider_ref, e.amount_fen) for e in handled] == [
        ("evt_1", "payment.captured", "tch_1", 4_200)
    ]
    row = ReceivedWebhook.objects.get()
    assert (row.provider, row.event_id, row.type, row.amount_fen) == (
        "test",
        "evt_1",
        "payment.captured",
        4_200,
    )


def test_a_replayed_event_answers_duplicate_and_calls_the_handler_once(handled):
    """REQ: COM-5"""
    body, headers = webhook_for(type="payment.refunded", provider_ref="tch_1", amount_fen=100)
    assert post(body, headers).json() == {"status": "processed"}
    assert post(body, headers).json() == {"status": "duplicate"}
    assert len(handled) == 1 and ReceivedWebhook.objects.count() == 1


def test_a_bad_signature_is_refused_with_a_clear_json_error(handled):
    body, headers = webhook_for(type="payment.captured", provider_ref="tch_1", amount_fen=100)
    forged = body.replace(b"100", b"999")
    status, code, message = error(post(forged, headers))
    assert (status, code) == (400, "webhook_rejected")
    assert message == "The webhook was refused: The signature does not match the body and the webhook secret."
    assert not handled and not ReceivedWebhook.objects.exists()


def test_a_missing_signature_header_is_refused(handled):
    body, _headers = webhook_for(type="payment.captured", provider_ref="tch_1", amount_fen=100)
    status, code, message = error(post(body, {}))
    assert (status, code) == (400, "webhook_rejected") and "Inspiracle-Signature header is missing" in message


def test_an_event_signed_more_than_five_minutes_ago_is_refused(handled):
    at = timezone.now() - timedelta(minutes=5, seconds=30)
    body, headers = webhook_for(type="payment.captured", provider_ref="tch_1", amount_fen=100, at=at)
    status, code, message = error(post(body, headers))
    assert (status, code) == (400, "webhook_rejected") and "more than five minutes off" in message
    assert not handled


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"\xff\xfe not json", "not JSON"),
        (b"[1, 2]", "a JSON object"),
        (
            b'{"id": "evt_1", "type": "payment.stolen", "provider_ref": "x", "amount_fen": 1, "created": 1}',
            "type",
        ),
        (
            b'{"id": "evt\\u0000", "type": "payment.voided", "provider_ref": "x", "amount_fen": 1, "created": 1}',
            "id",
        ),
        (
            b'{"id": "e", "type": "payment.voided", "provider_ref": "x", "amount_fen": -5, "created": 1}',
            "amount_fen",
        ),
        (b'{"id": "e", "type": "payment.voided", "provider_ref": "x", "amount_fen": 5}', "created"),
    ],
)
def test_a_signed_but_garbled_body_is_refused_naming_what_is_wrong(handled, body, words):
    headers = signing.sign(body, secret=settings.PAYMENT_WEBHOOK_SECRET)
    status, code, message = error(post(body, headers))
    assert (status, code) == (400, "webhook_rejected") and words in message, message
    assert not handled


def test_a_body_over_64_kib_is_refused_before_it_is_read(handled):
    body = b"{" + b" " * (64 * 1024) + b"}"
    headers = signing.sign(body, secret=settings.PAYMENT_WEBHOOK_SECRET)
    status, code, message = error(post(body, headers))
    assert (status, code, message) == (413, "too_large", "A webhook body may be at most 64 KiB.")
    assert not handled


def test_an_unknown_provider_is_not_found(handled):
    body, headers = webhook_for(type="payment.captured", provider_ref="tch_1", amount_fen=100)
    status, code, _message = error(post(body, headers, url="/api/payments/webhooks/alipay"))
    assert (status, code) == (404, "not_found") and not handled


def test_a_handler_that_refuses_undoes_the_receipt_so_the_next_delivery_is_processed(monkeypatch):
    calls = []

    def refuse(event):
        calls.append(event)
        raise ApplicationError(
            "The order is being changed; deliver again later.", code="busy_order", status=409
        )

    monkeypatch.setattr(events, "_handlers", [refuse])
    body, headers = webhook_for(type="payment.captured", provider_ref="tch_1", amount_fen=100)
    assert error(post(body, headers))[:2] == (409, "busy_order")
    assert not ReceivedWebhook.objects.exists()
    monkeypatch.setattr(events, "_handlers", [calls.append])
    assert post(body, headers).json() == {"status": "processed"}
    assert len(calls) == 2 and ReceivedWebhook.objects.count() == 1


def test_the_signature_header_is_found_in_any_case(provider):
    body, headers = webhook_for(type="payment.voided", provider_ref="tch_1", amount_fen=100, event_id="e1")
    lowered = {name.lower(): value for name, value in headers.items()}
    assert provider.verify_webhook(body=body, headers=lowered).event_id == "e1"


def test_a_secret_being_rotated_may_sign_alongside_the_current_one(provider):
    body, headers = webhook_for(type="payment.voided", provider_ref="tch_1", amount_fen=100, event_id="e1")
    t = headers[signing.SIGNATURE_HEADER].split(",")[0]
    old = signing.signature(body, secret="the-old-secret", timestamp=int(t[2:]))
    headers[signing.SIGNATURE_HEADER] += f",v1={old}"
    assert provider.verify_webhook(body=body, headers=headers).event_id == "e1"
