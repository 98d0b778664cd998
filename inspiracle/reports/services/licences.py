"""RPT-15: a licence instead of a takedown. The rights holder chooses it per reported work and states the terms
once per report (filing); when a legal officer upholds the report, each such work gets a licensing request from
the rights holder's account instead of a takedown (deciding). What happens when the request ends is in
``settling``.

Reports sit above licensing: this module calls licensing's services; licensing knows a report only by its
reference."""

from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from inspiracle.agreements.selectors import local_today
from inspiracle.core.errors import ApplicationError
from inspiracle.licensing.models import LicenceRequest
from inspiracle.licensing.services.requests import request_send
from inspiracle.licensing.terms import terms_parse
from inspiracle.reports.models import Category, Report, ReportItem

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

OFFER_FIELD = "licence_offer"


def offer_given(raw: dict | None) -> bool:
    """Whether a form or API body states any term (an offer of only empty fields is no offer)."""
    return raw is not None and any(value not in (None, "", [], ()) for value in raw.values())


def offer_clean(report: Report, raw: dict[str, Any], errors: dict[str, list[str]]) -> dict | None:
    """The offered terms as they are stored, or None with the reasons in ``errors`` (``licence_offer.<term>``).
    Checked like a licensing request's terms (COM-1), by terms_parse and its field names."""
    if report.category != Category.IP:
        errors[OFFER_FIELD] = [
            _("A licence can be offered instead of a takedown only in an intellectual property report.")
        ]
        return None
    if not report.reporter_id:
        errors[OFFER_FIELD] = [signin_needed()]
        return None
    # JSON may hold numbers or objects where a form holds text: as text they are checked, never crash a parse.
    raw = {name: v if v is None or isinstance(v, str | list) else str(v) for name, v in raw.items()}
    terms, problems = terms_parse(raw, today=local_today())
    for name, messages in problems.items():
        errors[f"{OFFER_FIELD}.{name}"] = messages
    if terms is None:
        return None
    if terms.exclusive:
        # An exclusive grant would lock the uploader's own work for the reporter in the register (COM-6) and
        # mark it "no reposting": not a remedy for an infringement.
        errors[f"{OFFER_FIELD}.kind"] = [
            _(
                "Offer an IP licence, co-branding or production licence; an exclusive licence cannot be offered here."
            )
        ]
        return None
    return {name: _stored(value) for name, value in terms.as_fields().items()}


def _stored(value: Any) -> Any:
    """A term as JSON keeps it: dates in ISO 8601, amounts as exact decimal text."""
    if value is None or isinstance(value, str | list):
        return value
    return value.isoformat() if isinstance(value, date) else str(value)


def signin_needed() -> str:
    return _(
        "Sign in or register to offer a licence instead of a takedown: the licensing request is sent from your "
        "account, and you negotiate it there."
    )


def remedy_check(report: Report, item: ReportItem) -> str | None:
    """Why this address cannot ask for a licence, or None when it can."""
    if item.remedy not in ReportItem.Remedy.values:
        return _("Choose “takedown” or “licence”.")
    if item.remedy == ReportItem.Remedy.TAKEDOWN:
        return None
    if report.category != Category.IP:
        return _("A licence can be offered instead of a takedown only in an intellectual property report.")
    if not report.reporter_id:
        return signin_needed()
    if not item.work_id:
        return _("A licence can be offered for a work, not for a profile.")
    return None


def offer_terms_today(offer: dict[str, Any], today: date) -> dict[str, Any]:
    """The stored offer as it is sent. A term that should have started while the report waited for its
    decision starts today and keeps its length: the rights holder offered a term of that length, and a
    licensing request cannot start in the past."""
    starts_on, ends_on = date.fromisoformat(offer["starts_on"]), date.fromisoformat(offer["ends_on"])
    if starts_on >= today:
        return dict(offer)
    shift = today - starts_on
    return {**offer, "starts_on": today.isoformat(), "ends_on": (ends_on + shift).isoformat()}


def licence_offer_send(*, report: Report, item: ReportItem) -> LicenceRequest:
    """Deciding: the licensing request from the rights holder to the uploader for this work, in the deciding
    transaction. A refusal (the reporter's account is gone or restricted, the work is no longer published, the
    terms overlap an exclusive grant) names the address, so that the officer can take it down instead."""

    def refused(reason: "StrOrPromise", exc: ApplicationError | None = None) -> ApplicationError:
        message = _(
            "The licence for %(url)s cannot be sent: %(reason)s Choose “Take down the whole work” for it, or "
            "another measure, or reject the report."
        ) % {"url": item.url, "reason": reason}
        return ApplicationError(
            message,
            fields={f"actions.{item.pk}": [message]},
            code=exc.code if exc else "licence_refused",
            status=409,
            extra=exc.extra if exc else None,
        )

    if item.remedy != ReportItem.Remedy.LICENCE or not item.work_id:
        raise refused(_("the rights holder did not offer a licence for it."))
    if report.reporter is None or not report.reporter.is_active:
        raise refused(_("the rights holder no longer has an active account."))
    if not report.licence_offer:
        raise refused(_("the report states no licence terms."))
    try:
        return request_send(
            requester=report.reporter,
            work_ids=[item.work_id],
            data=offer_terms_today(report.licence_offer, local_today()),
            report_reference=report.reference,
        )
    except ApplicationError as exc:
        raise refused(exc.message, exc) from None
