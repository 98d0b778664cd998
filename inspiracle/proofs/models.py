from django.db import models


class ProofLeaf(models.Model):
    """One accepted file's fingerprint in the proof-of-creation log (WRK-10). Rows are only ever appended,
    with contiguous indexes from 0 (enforced by a trigger and the head's lock). Work, file and owner are plain
    ids, not foreign keys: deleting a work or an account must never rewrite the log."""

    index = models.PositiveBigIntegerField(unique=True)
    file_id = models.BigIntegerField(unique=True)
    work_id = models.BigIntegerField(db_index=True)
    leaf = models.TextField()  # the canonical JSON that is hashed, stored byte for byte
    leaf_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["index"]

    def __str__(self):
        return f"leaf #{self.index}"


class ProofLogHead(models.Model):
    """The log's size, one row. Taking its lock serializes appenders, so two never take the same index."""

    size = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"log of {self.size} leaves"


class TreeHead(models.Model):
    """A signed statement of the log's root at a size (RFC 9162's signed tree head), published."""

    tree_size = models.PositiveBigIntegerField(unique=True)
    root_hash = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    key_id = models.CharField(max_length=64)
    signature = models.CharField(max_length=128)

    class Meta:
        ordering = ["-tree_size"]

    def __str__(self):
        return f"tree head at {self.tree_size}"
