"""Which notices come by e-mail (UX-4): topics a user may turn off, and those that are always sent.

Every notice is in the inbox whatever the user chooses; a topic only says whether it is e-mailed too. A
decision of the platform or its staff that concerns the user (MOD-2, MOD-4, MOD-5, MOD-6, RPT-3, RPT-7,
RPT-8, RPT-9), a deal, an order or a payment, and the mails about the account's security and data are always
sent: the user is owed them, so no setting turns them off. What other members do (a message, a licensing
request, a repost request) and a parcel's progress are the user's to turn off.

A kind that no topic names is mandatory: a new notice is e-mailed until someone decides otherwise.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Topic:
    key: str
    label: Promise
    help: Promise
    kinds: frozenset[str]
    mandatory: bool


TOPICS: tuple[Topic, ...] = (
    Topic(
        "decisions",
        _("Decisions about your works and account"),
        _("Review results, takedowns, masking, sanctions, strikes, appeals and verification."),
        frozenset(
            {
                "work.approved",
                "work.rejected",
                "work.correction_requested",
                "work.back_in_review",
                "work.restored",
                "work.taken_down",
                "work.masked",
                "sanction.applied",
                "sanction.lifted",
                "appeal.decided",
                "appeal.message",
                "strike.recorded",
                "strike.resolved",
                "account.verified",
                "account.verification_refused",
                "message.hidden",
                "message.report_decided",
                "message.thread_closed",
                "shop.product_approved",
                "shop.product_rejected",
            }
        ),
        mandatory=True,
    ),
    Topic(
        "reports",
        _("Reports, counter-notices and legal requests"),
        _("Reports you filed or that concern your works, their deadlines and outcomes, and disclosures."),
        frozenset(
            {
                "report.incomplete",
                "report.accepted",
                "report.upheld",
                "report.rejected",
                "report.against_you",
                "report.counter_notice",
                "report.counter_notice_decided",
                "report.rights_profile_verified",
                "report.rights_profile_refused",
                "report.licence_agreed",
                "report.licence_not_agreed",
                "report.licence_fallback",
                "licensing.request_from_report",
                "disclosure.delivered",
            }
        ),
        mandatory=True,
    ),
    Topic(
        "contracts",
        _("Deals, orders and payments"),
        _("Licences agreed or annulled, permissions revoked, orders paid, sold or refunded, and payouts."),
        frozenset(
            {
                "licensing.deal_made",
                "licensing.deal_annulled",
                "licensing.exclusive_ended",
                "repost.revoked",
                "shop.order_paid",
                "shop.order_sold",
                "shop.order_refunded",
                "shop.payout_settled",
            }
        ),
        mandatory=True,
    ),
    Topic(
        "account",
        _("Security and your data"),
        _("Password resets, confirming an e-mail address, cancelling the account and your data archive."),
        frozenset({"exports.ready"}),
        mandatory=True,
    ),
    Topic(
        "messages",
        _("New messages"),
        _("Another member wrote to you in a conversation."),
        frozenset({"message.received"}),
        mandatory=False,
    ),
    Topic(
        "licensing",
        _("Licensing requests"),
        _("Requests for a licence of your works, proposals and their answers."),
        frozenset(
            {
                "licensing.request_received",
                "licensing.proposal_received",
                "licensing.request_declined",
                "licensing.request_withdrawn",
                "licensing.request_expired",
            }
        ),
        mandatory=False,
    ),
    Topic(
        "reposts",
        _("Repost requests"),
        _("Requests to repost your works elsewhere, and the answers to yours."),
        frozenset({"repost.requested", "repost.approved", "repost.declined"}),
        mandatory=False,
    ),
    Topic(
        "deliveries",
        _("Parcel progress"),
        _("Your shop order has shipped or was delivered."),
        frozenset({"shop.order_shipped", "shop.order_delivered"}),
        mandatory=False,
    ),
)

BY_KEY = {topic.key: topic for topic in TOPICS}
OPTIONAL_KEYS = frozenset(topic.key for topic in TOPICS if not topic.mandatory)


def topic_for_kind(kind: str) -> Topic | None:
    for topic in TOPICS:
        if kind in topic.kinds:
            return topic
    return None


def optional_topic_key(kind: str) -> str | None:
    """The key of the optional topic a notice of ``kind`` belongs to; None when it is always e-mailed."""
    topic = topic_for_kind(kind)
    return topic.key if topic is not None and not topic.mandatory else None


def unknown_or_mandatory(keys: Iterable[str]) -> list[str]:
    """The keys among ``keys`` that cannot be turned off (mandatory) or do not exist."""
    return sorted(key for key in keys if key not in OPTIONAL_KEYS)
