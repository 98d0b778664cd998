"""The audit log in words (AUD-1, MOD-8): a translated label for each action code, and an event's details
(its ``data``) as readable text rather than a Python dict. Codes are written by many apps; a code this table
does not know yet is shown as "Other action" with the code itself, never hidden.
"""

import re
from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from inspiracle.audit.models import AuditEvent
from inspiracle.reasons import BY_CODE as REASONS

ACTION_LABELS: Mapping[str, Promise] = {
    # Accounts, sign-in and security
    "account.registered": _("Account registered"),
    "account.verified": _("Account verified"),
    "account.language_changed": _("Account language changed"),
    "account.cancel_requested": _("Account cancellation requested"),
    "account.cancel_restored": _("Account cancellation withdrawn"),
    "account.anonymized": _("Account anonymized"),
    "registration.updated": _("Registration information corrected"),
    "registration.email_confirmation_sent": _("E-mail confirmation sent"),
    "registration.email_confirmed": _("E-mail address confirmed"),
    "profile.updated": _("Public profile changed"),
    "profile.avatar_changed": _("Avatar changed"),
    "certificate.uploaded": _("Organization certificate uploaded"),
    "certificate.accepted": _("Organization certificate accepted"),
    "certificate.refused": _("Organization certificate refused"),
    "role.changed": _("Staff role changed"),
    "protected_name.added": _("Protected name added"),
    "protected_name.removed": _("Protected name removed"),
    "pii.viewed": _("Personal information viewed"),
    "pii.searched": _("Accounts searched by personal information"),
    "staff.note_added": _("Staff note added"),
    "password.changed": _("Password changed"),
    "password.reset": _("Password reset"),
    "password.reset_requested": _("Password reset requested"),
    "signin.succeeded": _("Signed in"),
    "signin.failed": _("Sign-in failed"),
    "signin.refused": _("Sign-in refused"),
    "signin.locks_cleared": _("Sign-in lockout cleared"),
    "session.revoked": _("Session signed out"),
    "session.revoked_others": _("Other sessions signed out"),
    "token.created": _("API token created"),
    "token.revoked": _("API token revoked"),
    "totp.enabled": _("Two-factor sign-in turned on"),
    "totp.disabled": _("Two-factor sign-in turned off"),
    "notifications.email_preferences_changed": _("E-mail notice choices changed"),
    # Agreements
    "agreement.published": _("Agreement version published"),
    "agreement.announced": _("Agreement change announced"),
    "consent.accepted": _("Agreement accepted"),
    # Works and review
    "work.uploaded": _("Work uploaded"),
    "work.edited": _("Work edited"),
    "work.checks_passed": _("Work passed the checks"),
    "work.checks_failed": _("Work failed the checks"),
    "work.published": _("Work published"),
    "work.republished": _("Work published again"),
    "work.resubmitted": _("Work resubmitted for review"),
    "work.unpublished": _("Work unpublished by its owner"),
    "work.deleted": _("Work deleted"),
    "work.exclusive_marked": _("Work marked as exclusively licensed"),
    "work.exclusive_lifted": _("Exclusive licence mark lifted"),
    "review.claimed": _("Review taken"),
    "review.approve": _("Review: approved"),
    "review.reject": _("Review: rejected"),
    "review.correction": _("Review: correction requested"),
    "review.reversed": _("Review decision undone"),
    "content.takedown": _("Content taken down"),
    "content.mask": _("Content partly masked"),
    "screening.term_added": _("Screening term added"),
    "screening.term_removed": _("Screening term removed"),
    "proofs.backfilled": _("Proofs of creation backfilled"),
    # Sanctions, strikes and appeals
    "sanction.applied": _("Sanction applied"),
    "sanction.lifted": _("Sanction lifted"),
    "sanction.ended": _("Sanction ended"),
    "strike.recorded": _("Strike recorded"),
    "strike.overruled": _("Strike overruled"),
    "strike.dismissed": _("Strike dismissed"),
    "appeal.opened": _("Appeal opened"),
    "appeal.taken": _("Appeal taken"),
    "appeal.message": _("Appeal message"),
    "appeal.upheld": _("Appeal upheld"),
    "appeal.denied": _("Appeal denied"),
    # Reports
    "report.filed": _("Report filed"),
    "report.accepted": _("Report accepted as complete"),
    "report.upheld": _("Report upheld"),
    "report.rejected": _("Report rejected"),
    "report.due_corrected": _("Report deadline corrected"),
    "report.documents_purged": _("Report documents purged"),
    "report.counter_notice": _("Counter-notice sent"),
    "report.counter_notice_restored": _("Counter-notice: content restored"),
    "report.counter_notice_refused": _("Counter-notice refused"),
    "report.item_licensed": _("Report item settled by a licence"),
    "report.item_licence_fallback": _("Report item: licence not agreed, decided as a report"),
    "rights_profile.created": _("Rights holder profile created"),
    "rights_profile.verified": _("Rights holder profile verified"),
    "rights_profile.refused": _("Rights holder profile refused"),
    "calendar.loaded": _("Working-day calendar loaded"),
    # Licensing, reposts, messages
    "licensing.request_sent": _("Licensing request sent"),
    "licensing.proposal_made": _("Licensing proposal made"),
    "licensing.request_declined": _("Licensing request declined"),
    "licensing.request_withdrawn": _("Licensing request withdrawn"),
    "licensing.request_expired": _("Licensing request expired"),
    "licensing.deal_made": _("Deal agreed"),
    "licensing.deal_annulled": _("Deal annulled"),
    "licensing.contact_disclosed": _("Contact details shown to the other party"),
    "repost.requested": _("Repost requested"),
    "repost.approved": _("Repost approved"),
    "repost.declined": _("Repost declined"),
    "repost.revoked": _("Repost permission revoked"),
    "thread.started": _("Conversation started"),
    "thread.closed": _("Conversation closed"),
    "thread.reviewed": _("Reported conversation read by staff"),
    "message.sent": _("Message sent"),
    "message.hidden": _("Message hidden"),
    "messaging.direct_setting": _("Direct messages setting changed"),
    "thread_report.filed": _("Conversation reported"),
    "thread_report.decided": _("Conversation report decided"),
    # Shop
    "shop.product_submitted": _("Product submitted"),
    "shop.product_claimed": _("Product review taken"),
    "shop.product_approved": _("Product approved"),
    "shop.product_rejected": _("Product rejected"),
    "shop.product_withdrawn": _("Product withdrawn"),
    "shop.product_type_changed": _("Product type changed"),
    "shop.variant_added": _("Product variant added"),
    "shop.variant_changed": _("Product variant changed"),
    "shop.print_area_changed": _("Print area changed"),
    "shop.order_placed": _("Order placed"),
    "shop.order_paid": _("Order paid"),
    "shop.order_in_production": _("Order in production"),
    "shop.order_shipped": _("Order shipped"),
    "shop.order_delivered": _("Order delivered"),
    "shop.order_cancelled": _("Order cancelled"),
    "shop.order_refunded": _("Order refunded"),
    "shop.payout_requested": _("Payout requested"),
    "shop.payout_settled": _("Payout paid"),
    # Privacy, exports, disclosure
    "privacy.access_closed": _("Account access closed"),
    "privacy.certificates_deleted": _("Certificates deleted"),
    "privacy.legal_hold_placed": _("Legal hold placed"),
    "privacy.legal_hold_released": _("Legal hold released"),
    "privacy.profile_cleared": _("Profile cleared"),
    "privacy.rights_profiles_cleared": _("Rights holder profiles cleared"),
    "exports.requested": _("Data archive requested"),
    "exports.build_started": _("Data archive being built"),
    "exports.built": _("Data archive ready"),
    "exports.failed": _("Data archive failed"),
    "exports.expired": _("Data archive expired"),
    "exports.downloaded": _("Data archive downloaded"),
    "disclosure.recorded": _("Disclosure request recorded"),
    "disclosure.approved": _("Disclosure approved"),
    "disclosure.rejected": _("Disclosure rejected"),
    "disclosure.exported": _("Disclosure exported"),
    "disclosure.export_requeued": _("Disclosure export queued again"),
    "disclosure.delivered": _("Disclosure delivered"),
    "disclosure.withdrawn": _("Disclosure withdrawn"),
    "disclosure.document_viewed": _("Authority's document viewed"),
    "housekeeping.pruned": _("Old records pruned"),
}

# The keys events put in ``data``, as shown; a key not here is shown as it is.
DETAIL_KEYS: Mapping[str, Promise] = {
    "fields": _("fields"),
    "from": _("from"),
    "to": _("to"),
    "kind": _("kind"),
    "what": _("what"),
    "message": _("message"),
    "report": _("report"),
    "appeal": _("appeal"),
    "sanction": _("sanction"),
    "strike": _("strike"),
    "count": _("count"),
    "work": _("work"),
    "works": _("works"),
    "thread": _("conversation"),
    "item": _("item"),
    "items": _("items"),
    "method": _("method"),
    "reason": _("reason"),
    "reason_code": _("reason"),
    "size": _("size"),
    "files": _("files"),
    "due_at": _("due"),
    "amount_fen": _("amount (fen)"),
    "certificate_id": _("certificate"),
    "counter_notice": _("counter-notice"),
    "profile": _("profile"),
    "hold": _("legal hold"),
    "scopes": _("scopes"),
    "sessions": _("sessions"),
    "order": _("order"),
    "deal": _("deal"),
    "category": _("category"),
    "outcome": _("outcome"),
    "with": _("with"),
    "via": _("via"),
    "days": _("days"),
    "missing": _("missing"),
    "file": _("file"),
    "part": _("part"),
    "decision": _("decision"),
    "consent_id": _("consent"),
    "age_attested": _("age confirmed"),
    "document": _("document"),
    "documents": _("documents"),
    "number": _("number"),
    "effective_date": _("effective date"),
    "requires_reacceptance": _("acceptance asked again"),
    "starts_at": _("starts"),
    "ends_at": _("ends"),
    "ends_on": _("ends on"),
    "works_unpublished": _("works unpublished"),
    "conservative": _("conservative"),
    "attachments": _("attachments"),
    "request": _("request"),
    "proposal": _("proposal"),
    "site": _("site"),
    "from_profile": _("from a profile"),
    "accounts": _("accounts"),
    "authority": _("authority"),
    "authority_reference": _("authority's reference"),
    "kinds": _("kinds"),
    "period": _("period"),
    "deadline": _("deadline"),
    "notice_prohibited": _("notice prohibited"),
    # The filters of a reading of the audit log itself.
    "action": _("action"),
    "actor": _("actor"),
    "target": _("target"),
    "since": _("since"),
    "until": _("until"),
}


# Values of ``data["what"]``: which personal information a ``pii.viewed`` event read.
WHAT_LABELS: Mapping[str, Promise] = {
    "audit_log": _("the audit log"),
    "certificate": _("an organization certificate"),
    "registration": _("registration information"),
    "report_evidence": _("a report's document"),
    "shipping_address": _("a shipping address"),
    "upload_ip": _("the address a work was uploaded from"),
}

# Values that are codes, by the key they are written under: shown as the label the reader knows. The same
# msgids as the models' choices, so one translation serves both; a value not listed is shown as it is.
_SANCTION_KINDS: Mapping[str, Promise] = {
    "warning": _("Warning"),
    "publishing": _("Publishing restriction"),
    "participation": _("Participation restriction"),
    "suspension": _("Suspension"),
    "termination": _("Termination"),
    "reclaim": _("Impersonating account reclaimed"),
}
_STATES: Mapping[str, Promise] = {
    # A repost permission's status (reposts), a staff role (role.changed).
    "requested": _("Awaiting the creator's answer"),
    "approved": _("Approved"),
    "declined": _("Declined"),
    "revoked": _("Revoked"),
    "moderator": _("Moderator"),
    "legal_officer": _("Legal officer"),
    "admin": _("Administrator"),
}
VALUE_LABELS: Mapping[str, Mapping[str, Promise]] = {
    "kind": _SANCTION_KINDS,
    "from": _STATES,
    "to": _STATES,
    # How an agreement was accepted (consent.accepted).
    "method": {
        "registration": _("at registration"),
        "reacceptance": _("explicit re-acceptance"),
        "continued_use": _("continued use after notice"),
    },
    # Where contact details were shown (licensing.contact_*).
    "via": {
        "deal": _("Shared when the deal was made"),
        "page": _("Deal page"),
        "print": _("Printable summary"),
        "pdf": _("PDF summary"),
        "api": _("API"),
    },
    # A message report's outcome (messaging).
    "outcome": {
        "dismissed": _("No action taken"),
        "actioned": _("Acted on"),
    },
}

# Targets named by their model's ``__str__`` (English, and part of the hashed row): by target type, the
# stored label's shape and the name shown in the reader's language. A label of another shape (a reference,
# a username, a label the caller chose) is shown as stored.
TARGET_NAMES: tuple[tuple[str, re.Pattern[str], Promise], ...] = tuple(
    (model, re.compile(pattern), name)
    for model, pattern, name in (
        ("messaging.ThreadReport", r"thread report (?P<id>\d+)", _("message report #%(id)s")),
        ("messaging.Thread", r"thread (?P<id>\d+)", _("conversation #%(id)s")),
        ("messaging.Message", r"message (?P<id>\d+)", _("message #%(id)s")),
        ("messaging.Attachment", r"attachment (?P<id>\d+)", _("attachment #%(id)s")),
        (
            "reports.RightsHolderProfile",
            r"rights profile (?P<id>\d+) of (?P<user>\d+)",
            _("rights holder profile #%(id)s of account #%(user)s"),
        ),
        ("reports.CounterNotice", r"counter-notice (?P<id>\d+)", _("counter-notice #%(id)s")),
        ("reports.EmailProof", r"email proof (?P<id>\d+)", _("e-mail proof #%(id)s")),
        (
            "moderation.Strike",
            r"strike (?P<id>\d+) of (?P<user>\d+)",
            _("strike #%(id)s of account #%(user)s"),
        ),
        (
            "moderation.Appeal",
            r"appeal (?P<id>\d+) of (?P<user>\d+)",
            _("appeal #%(id)s of account #%(user)s"),
        ),
        (
            "moderation.AppealMessage",
            r"message (?P<id>\d+) on appeal (?P<appeal>\d+)",
            _("message #%(id)s on appeal #%(appeal)s"),
        ),
        ("moderation.Sanction", r"(?P<kind>[a-z]+) of (?P<user>\d+)", _("%(kind)s of account #%(user)s")),
        ("staff.StaffNote", r"staff note (?P<id>\d+)", _("staff note #%(id)s")),
        ("exports.Export", r"export (?P<id>\d+)", _("data archive #%(id)s")),
        (
            "privacy.LegalHold",
            r"legal hold (?P<id>\d+) on (?P<user>\d+)",
            _("legal hold #%(id)s on account #%(user)s"),
        ),
        (
            "accounts.RegistrationInfo",
            r"registration of (?P<user>\d+)",
            _("registration information of account #%(user)s"),
        ),
        (
            "accounts.OrganizationCertificate",
            r"certificate (?P<id>\d+) of (?P<user>\d+)",
            _("certificate #%(id)s of account #%(user)s"),
        ),
        (
            "accounts.RecoveryCode",
            r"recovery code (?P<id>\d+) of (?P<user>\d+)",
            _("recovery code #%(id)s of account #%(user)s"),
        ),
        ("accounts.TotpDevice", r"totp of (?P<user>\d+)", _("two-factor sign-in of account #%(user)s")),
    )
)


def action_label(code: str) -> str:
    """The action ``code`` ("report.upheld") in the active language."""
    label = ACTION_LABELS.get(code)
    if label is not None:
        return str(label)
    return gettext("Other action (%(code)s)") % {"code": code}


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, list | tuple):
        return pgettext("list separator", ", ").join(_value_text(item) for item in value)
    if isinstance(value, dict):
        return pgettext("list separator", ", ").join(_pair(str(key), value[key]) for key in sorted(value))
    return str(value)


def _pair(key: str, value: Any) -> str:
    if key == "what" and isinstance(value, str) and value in WHAT_LABELS:
        value = str(WHAT_LABELS[value])
    elif key in {"reason", "reason_code"} and isinstance(value, str) and value in REASONS:
        value = str(REASONS[value].label)  # MOD-2's catalogue: the label, not the code
    elif isinstance(value, str) and value in VALUE_LABELS.get(key, {}):
        value = str(VALUE_LABELS[key][value])
    label = DETAIL_KEYS.get(key)
    return pgettext("audit detail", "%(key)s: %(value)s") % {
        "key": str(label) if label is not None else key,
        "value": _value_text(value),
    }


def details_text(event: AuditEvent) -> str:
    """An event's ``data`` as "key: value; key: value" in the active language ("" when it has none)."""
    data = event.data
    if not data:
        return ""
    if not isinstance(data, dict):
        return _value_text(data)
    # Keys in order of name: PostgreSQL's jsonb does not keep the order they were written in.
    return pgettext("detail separator", "; ").join(_pair(str(key), data[key]) for key in sorted(data))


def target_text(event: AuditEvent) -> str:
    """The event's target as shown: a report's document is named in the reader's language (its stored label,
    "evidence 12", is English and part of the hashed record, so it is kept and only shown differently)."""
    data = event.data if isinstance(event.data, dict) else {}
    if data.get("what") == "report_evidence" and data.get("evidence") is not None:
        return gettext("Report document #%(n)s") % {"n": data["evidence"]}
    for model, pattern, name in TARGET_NAMES:
        found = pattern.fullmatch(event.target_label) if event.target_type == model else None
        if found is not None:
            values = found.groupdict()
            if "kind" in values:
                values["kind"] = str(_SANCTION_KINDS.get(values["kind"], values["kind"]))
            return str(name) % values
    return event.target_label
