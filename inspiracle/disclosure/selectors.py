"""The register of authority requests (PRV-5): open ones past their deadline first, then by deadline."""

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from inspiracle.accounts.permissions import DISCLOSURE_RECORD, require_capability
from inspiracle.disclosure.models import DisclosureRequest

S = DisclosureRequest.Status
OPEN = (S.RECORDED, S.APPROVED, S.EXPORTED)
STATES = ("all", "open", *S.values)


def request_list_for_register(
    user, *, state: str = "all", overdue_only: bool = False, search: str = ""
) -> QuerySet[DisclosureRequest]:
    """Each row with ``overdue`` (open and its deadline passed, Beijing calendar day)."""
    require_capability(user, DISCLOSURE_RECORD)
    overdue = Q(status__in=OPEN, deadline__lt=timezone.localdate())
    found = DisclosureRequest.objects.select_related("recorded_by", "approved_by").annotate(
        overdue=Case(When(overdue, then=Value(True)), default=Value(False), output_field=BooleanField())
    )
    if state == "open":
        found = found.filter(status__in=OPEN)
    elif state in S.values:
        found = found.filter(status=state)
    if overdue_only:
        found = found.filter(overdue)
    if search := search.strip():
        found = found.filter(
            Q(reference__iexact=search)
            | Q(authority__icontains=search)
            | Q(authority_reference__icontains=search)
            | Q(accounts__username=search.lstrip("@").lower())
        ).distinct()
    return found.prefetch_related("accounts").order_by("-overdue", "deadline", "pk")
