"""Writing and checking the audit log (AUD-1)."""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from inspiracle.audit.models import AuditEvent, AuditHead
from inspiracle.core.http import current_origin

GENESIS = "0" * 64


def event_hash(*, prev_hash: str, fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


def _hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": event.at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_label": event.target_label,
        "ip": event.ip,
        "user_agent": event.user_agent,
        "reason": event.reason,
        "data": event.data,
    }


def audit_record(
    *,
    action: str,
    actor=None,
    target: models.Model | None = None,
    target_label: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Call it inside the transaction of the change it records, so that both land or
    neither does."""
    origin = current_origin.get()
    with transaction.atomic():
        # Why the lock: two writers reading the same head would both link to it and fork the chain.
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditHead.objects.create(pk=1, seq=0, hash=GENESIS)
        event = AuditEvent(
            seq=head.seq + 1,
            at=timezone.now(),
            actor_id=getattr(actor, "pk", None),
            actor_label=getattr(actor, "username", "") or ("" if actor is None else str(actor)),
            action=action,
            target_type=target._meta.label if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            target_label=(target_label or (str(target) if target is not None else ""))[:200],
            ip=origin.ip,
            user_agent=origin.user_agent,
            reason=reason,
            data=data or {},
            prev_hash=head.hash,
        )
        # The JSON column hands back what json.loads makes of it: hash exactly that form.
        event.data = json.loads(json.dumps(event.data, default=str))
        event.hash = event_hash(prev_hash=head.hash, fields=_hashed_fields(event))
        event.save(force_insert=True)
        AuditHead.objects.filter(pk=1).update(seq=event.seq, hash=event.hash)
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_seq: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_seq is None


def audit_verify(batch_size: int = 2000) -> ChainReport:
    """Walk the chain from the first event and report the first link that does not hold."""
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return ChainReport(
                checked, expected_seq, f"event #{expected_seq} is missing (next is #{event.seq})"
            )
        if event.prev_hash != expected_prev:
            return ChainReport(checked, event.seq, "its link to the previous event does not match")
        if event_hash(prev_hash=event.prev_hash, fields=_hashed_fields(event)) != event.hash:
            return ChainReport(checked, event.seq, "its content does not match its hash (edited)")
        expected_prev, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != expected_seq - 1 or head.hash != expected_prev):
        return ChainReport(checked, expected_seq, f"the log ends before event #{head.seq} (events removed)")
    return ChainReport(checked)
