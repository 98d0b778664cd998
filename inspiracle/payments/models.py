"""Received webhooks, and the test provider's own books (COM-5).

``TestCharge`` and ``TestOperation`` play the remote side: what a real provider keeps on its servers. They never
hold a card number, only the behaviour its test card stands for.
"""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspiracle.payments.providers.base import EVENT_TYPES


class ReceivedWebhook(models.Model):
    """One event from a provider, kept so that a replay of it (same provider and id) changes nothing."""

    provider = models.CharField(max_length=40)
    event_id = models.CharField(max_length=100)
    type = models.CharField(max_length=40, choices=[(t, t) for t in EVENT_TYPES])
    provider_ref = models.CharField(max_length=100)
    amount_fen = models.PositiveBigIntegerField()
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="payments_webhook_once"),
        ]

    def __str__(self):
        return f"{self.provider} {self.event_id} {self.type}"


class TestCharge(models.Model):
    """A payment as the test provider sees it. Captured once, at most the authorized amount; refunded at most
    what was captured: the constraints hold even if the provider's own checks were wrong."""

    __test__ = False  # not a pytest test class

    class Behaviour(models.TextChoices):
        SUCCEEDS = "succeeds", _("Authorizes and captures")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired card")
        CAPTURE_FAILS = "capture_fails", _("Authorizes, but the capture fails")

    class Status(models.TextChoices):
        AUTHORIZED = "authorized", _("Authorized")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired card")
        CAPTURED = "captured", _("Captured")
        VOIDED = "voided", _("Voided")

    provider_ref = models.CharField(max_length=40, unique=True)
    reference = models.CharField(max_length=100)  # the merchant's, e.g. the order number
    behaviour = models.CharField(max_length=20, choices=Behaviour.choices)
    amount_fen = models.PositiveBigIntegerField()
    captured_fen = models.PositiveBigIntegerField(default=0)
    refunded_fen = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="testcharge_amount_positive"),
            models.CheckConstraint(
                condition=Q(captured_fen__lte=F("amount_fen")), name="testcharge_capture_within_amount"
            ),
            models.CheckConstraint(
                condition=Q(refunded_fen__lte=F("captured_fen")), name="testcharge_refund_within_capture"
            ),
            models.CheckConstraint(
                condition=Q(status="captured") | Q(captured_fen=0), name="testcharge_captured_status"
            ),
        ]

    def __str__(self):
        return self.provider_ref


class TestOperation(models.Model):
    """What the test provider answered to an idempotency key: a repeat of the key gets the same answer.
    ``request`` is what was asked (never the card), so a key reused for something else is caught."""

    __test__ = False  # not a pytest test class

    class Kind(models.TextChoices):
        AUTHORIZE = "authorize", _("Authorize")
        CAPTURE = "capture", _("Capture")
        REFUND = "refund", _("Refund")
        VOID = "void", _("Void")

    key = models.CharField(max_length=200, unique=True)
    operation = models.CharField(max_length=10, choices=Kind.choices)
    request = models.JSONField()
    result = models.JSONField()
    created = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.operation} {self.key}"
