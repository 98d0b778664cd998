"""Moderation's state changes, one module per flow: review decisions, sanctions and strikes, appeals."""

from inspiracle.moderation.services.appeals import appeal_decide, appeal_open, appeal_reply, appeal_take
from inspiracle.moderation.services.review import (
    CLAIM_MINUTES,
    claim_expired,
    content_mask,
    content_take_down,
    decision_reverse,
    review_approve,
    review_bulk,
    review_claim,
    review_decide,
)
from inspiracle.moderation.services.sanctions import (
    sanction_apply,
    sanction_lift,
    sanctions_expire,
    strike_record,
    strike_resolve,
)

__all__ = [
    "CLAIM_MINUTES",
    "appeal_decide",
    "appeal_open",
    "appeal_reply",
    "appeal_take",
    "claim_expired",
    "content_mask",
    "content_take_down",
    "decision_reverse",
    "review_approve",
    "review_bulk",
    "review_claim",
    "review_decide",
    "sanction_apply",
    "sanction_lift",
    "sanctions_expire",
    "strike_record",
    "strike_resolve",
]
