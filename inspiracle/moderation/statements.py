"""What the platform itself says in a measure's message (issue 15): kept as a code and its parameters, and
put into words when read, in the reader's language. What a staff member typed is not one of these: it is kept
in ``message`` and shown as written.
"""

from collections.abc import Mapping

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

STATEMENTS: Mapping[str, Promise] = {
    # An upheld infringement report acted on a work or an account (RPT-9, RPT-15).
    "report_upheld": _("Report %(reference)s upheld."),
    # RPT-9: the strike thresholds that led to a measure.
    "strikes_escalated": _(
        "You have %(count)d strikes for infringing others' rights within %(days)d days. The platform's rules "
        "turn %(warning)d into a warning, %(restriction)d into a publishing restriction of %(restriction_days)d "
        "days and %(ban)d into a permanent ban."
    ),
}


def statement_text(code: str, params: Mapping[str, object] | None) -> str:
    """The statement ``code`` in the active language ("" for none; an unknown code is shown as it is)."""
    phrase = STATEMENTS.get(code) if code else None
    if phrase is None:
        return code
    values = dict(params or {})
    try:
        return str(phrase) % values
    except (KeyError, TypeError, ValueError):
        # A translation that mangled a placeholder: the English sentence rather than a broken page.
        with translation.override(None):
            return str(phrase) % values


def shown_message(*, statement: str, params: Mapping[str, object] | None, message: str) -> str:
    """A measure's message as its reader sees it: the platform's statement, then what staff wrote."""
    return "\n\n".join(part for part in (statement_text(statement, params), message) if part)


def statement_check(code: str) -> None:
    # A programming error, not a user's: the callers pass a code of this table.
    if code and code not in STATEMENTS:
        raise ValueError(f"unknown statement {code!r}")


def notice_params(code: str, params: Mapping[str, object] | None) -> dict[str, object]:
    """The notification parameters that carry the statement: the phrase (stored as its msgid and translated
    for the recipient, notifications/messages.py) and its own parameters."""
    if not code:
        return {}
    return {"statement": STATEMENTS[code], **(params or {})}
