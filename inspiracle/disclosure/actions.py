"""What the audit log records of disclosures to state authorities (AUD-1, PRV-5): every step, by whom."""

from enum import StrEnum


class Action(StrEnum):
    RECORDED = "disclosure.recorded"
    APPROVED = "disclosure.approved"
    REJECTED = "disclosure.rejected"
    EXPORTED = "disclosure.exported"
    DELIVERED = "disclosure.delivered"
    WITHDRAWN = "disclosure.withdrawn"
    DOCUMENT_VIEWED = "disclosure.document_viewed"  # the authority's document opened by an officer (MOD-8)
    EXPORT_REQUEUED = "disclosure.export_requeued"
