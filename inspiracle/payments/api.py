"""Webhooks from the payment provider (COM-5): server to server, signed, no session, no CSRF."""

from typing import Literal

from django.utils.translation import gettext as _
from ninja import Router, Schema

from inspiracle.core.api import error_responses
from inspiracle.core.errors import ApplicationError
from inspiracle.payments import services

router = Router(tags=["payments"])
WEBHOOK_MAX_BYTES = 64 * 1024  # a provider's notice is a few hundred bytes; anything far larger is not one

EVENT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "The provider's event, signed in the Inspiracle-Signature header.",
                    "additionalProperties": True,
                }
            }
        },
    },
    "parameters": [
        {
            "in": "header",
            "name": "Inspiracle-Signature",
            "required": False,
            "schema": {"type": "string"},
            "description": "t=<unix seconds>,v1=<hex HMAC-SHA256 of '<t>.<body>' with the webhook secret>",
        }
    ],
}


class ReceiptOut(Schema):
    status: Literal["processed", "duplicate"]


@router.post(
    "/payments/webhooks/{provider_name}",
    auth=None,
    response={200: ReceiptOut, **error_responses(409, 413)},
    url_name="payments-webhook",
    openapi_extra=EVENT_BODY,
)
def webhook(request, provider_name: str):
    """A provider's signed event (Stripe's scheme for the test provider; see payments.signing). "processed"
    the first time, "duplicate" for a replay; 400 for a bad signature, a stale timestamp or a bad body."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > WEBHOOK_MAX_BYTES:
        raise ApplicationError(
            _("A webhook body may be at most %(kib)d KiB.") % {"kib": WEBHOOK_MAX_BYTES // 1024},
            code="too_large",
            status=413,
        )
    receipt = services.webhook_receive(
        provider_name=provider_name, body=request.body, headers=request.headers
    )
    return {"status": receipt.status}
