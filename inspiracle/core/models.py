"""The one table core keeps: the counters of the rate limiter (``core/ratelimit.py``)."""

from django.db import models


class RateCounter(models.Model):
    """How often one subject (an address, a network, an account from a network) hit one limit in the current
    window. ``key`` is made of keyed hashes (``ratelimit.key``), so the table does not list who tried what
    (PRV-1). A row means nothing once ``expires_at`` has passed; the housekeeping job deletes those."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    hits = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()
    blocked_until = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="one_counter_per_subject")]

    def __str__(self):
        return f"{self.scope} {self.key[:8]}: {self.hits}"


class Generation(models.Model):
    """A counter its owner bumps whenever what it names changes ("works": a work's status; "products": what a
    shop card shows). Pages that cache what they render put the numbers in their cache keys: a change shows
    at once, in every process, for the price of one query."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.name}={self.value}"
