"""MOD-3: the screening list, and the screening of a work's title and description against it."""

import unicodedata

from django.db import transaction
from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.accounts.permissions import STAFF_CONSOLE, require_capability
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError
from inspiracle.works.models import ScreeningTerm


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def screen_text(title: str, description: str) -> list[dict]:
    """MOD-3: every listed term found in the title or description (folded: case, full-width forms)."""
    hits = []
    folded = {"title": _fold(title), "description": _fold(description)}
    for term in ScreeningTerm.objects.values_list("term", flat=True):
        needle = _fold(term)
        for field, text in folded.items():
            if needle and needle in text:
                hits.append({"field": field, "term": term})
    return hits


def screening_term_add(*, actor: User, term: str, note: str = "") -> ScreeningTerm:
    require_capability(actor, STAFF_CONSOLE)
    term = " ".join(term.split())
    if not term:
        raise ApplicationError(_("Enter a term."), fields={"term": [_("Enter a term.")]})
    if ScreeningTerm.objects.filter(term__iexact=term).exists():
        raise ApplicationError(
            _("'%(term)s' is already on the list.") % {"term": term}, fields={"term": [_("Already listed.")]}
        )
    with transaction.atomic():
        row = ScreeningTerm.objects.create(term=term[:80], note=note[:200], created_by=actor)
        audit_record(action="screening.term_added", actor=actor, target=row, target_label=row.term)
    return row


def screening_term_remove(*, actor: User, term: ScreeningTerm) -> None:
    require_capability(actor, STAFF_CONSOLE)
    with transaction.atomic():
        audit_record(action="screening.term_removed", actor=actor, target=term, target_label=term.term)
        term.delete()
