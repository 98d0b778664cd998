from django.db import models


class AuditEvent(models.Model):
    """One security or staff event (AUD-1). Rows are only ever appended: each carries the hash of the one
    before it, so an edited, removed or re-ordered row breaks the chain at that point.

    The actor is kept as a plain id plus a label, not a foreign key: deleting or anonymizing an account must
    never rewrite the log.
    """

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    ip = models.CharField(max_length=45, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"#{self.seq} {self.action}"


class AuditHead(models.Model):
    """The newest link of the chain, one row. Taking its lock serializes writers on PostgreSQL (SQLite
    serializes them anyway), and comparing it with the last event reveals a truncated log."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self):
        return f"head at #{self.seq}"
