"""The one rate limiter: every limit of the platform (sign-in, registration, password reset, reports, email
codes) counts here, atomically, so that exactly the limit passes however many requests arrive at once.

A try is counted *before* the work it guards (a password check, a mail, a report) under a row lock: the
counter row is created if missing (INSERT ... ON CONFLICT DO NOTHING), then locked (SELECT ... FOR UPDATE on
PostgreSQL; SQLite's IMMEDIATE transactions hold the database's write lock), read, decided and written in one
transaction. A check-then-insert (count the rows, then add one) let 11-14 of 20 parallel reports through a
limit of 10. Work that turns out not to need the slot gives it back (``release``, ``clear``), and a caller
that counts inside its own transaction gets the count rolled back with it.

A window starts with its first hit and lasts ``Limit.window`` seconds. Reaching ``Limit.hits`` blocks the
subject until the window ends, or for ``Limit.lockout`` seconds; with ``slowdown_after``, each hit from that
many on also makes the next one wait 1, 2, 4 ... (at most 60) seconds.
"""

import ipaddress
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inspiracle.core import crypto
from inspiracle.core.errors import Throttled
from inspiracle.core.http import current_origin
from inspiracle.core.models import RateCounter

SLOWDOWN_CAP_SECONDS = 60


@dataclass(frozen=True)
class Limit:
    scope: str
    hits: int  # allowed in one window
    window: int  # seconds, from the window's first hit
    refusal: Callable[[int], str]  # the message for a refused try, given the wait in seconds
    lockout: int = 0  # seconds blocked once ``hits`` is reached (0: until the window ends)
    slowdown_after: int = 0  # from this many hits on, the next one waits 2**(n - slowdown_after) seconds


def key(*parts: str) -> str:
    """A subject as keyed hashes, one per part, joined by '.': ``key(account, network)`` starts with
    ``key(account) + '.'``, so every counter of one account can be found without knowing the networks."""
    return ".".join(crypto.blind_index(part, purpose="ratelimit")[:32] for part in parts)


def network() -> str:
    """The network the current request comes from: the IPv4 address, or the /64 of an IPv6 address (one
    customer's prefix, inside which a client may pick any address). Empty outside a request."""
    ip = current_origin.get().ip
    if not ip:
        return ""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return f"net:{ip}"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return f"net:{address.ipv4_mapped}"
        return f"net:{ipaddress.ip_network(f'{address}/64', strict=False)}"
    return f"net:{address}"


def wait_seconds(until: datetime, now: datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds()))


def wait_text(seconds: int) -> str:
    """A wait as people say it: seconds under two minutes, minutes from there."""
    if seconds >= 120:
        minutes = (seconds + 59) // 60
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}


def check(limit: Limit, subject: str) -> None:
    """Refuse early, without counting, when the subject is blocked now: a cheap look before expensive work
    (reading uploads). Only ``hit`` decides; this may let a try through that ``hit`` then refuses."""
    now = timezone.now()
    blocked = (
        RateCounter.objects.filter(scope=limit.scope, key=subject, blocked_until__gt=now)
        .values_list("blocked_until", flat=True)
        .first()
    )
    if blocked is not None:
        wait = wait_seconds(blocked, now)
        raise Throttled(limit.refusal(wait), retry_after=wait)


def email_code_limits(
    *, scope: str, index: str, per_address: int, per_network: int
) -> list[tuple[Limit, str]]:
    """E-mailed codes (reports, repost requests): per address (a mailbox is not flooded) and per network
    (addresses are not sprayed); ``index`` is the address's blind index."""
    address_limit = Limit(
        scope=f"{scope}.codes.address",
        hits=per_address,
        window=3600,
        refusal=lambda wait: (
            _("Five codes were sent to this address in the last hour; use the latest one or wait %(wait)s.")
            % {"wait": wait_text(wait)}
        ),
    )
    network_limit = Limit(
        scope=f"{scope}.codes.network",
        hits=per_network,
        window=3600,
        refusal=lambda wait: (
            _("Too many codes were asked for from your network; wait %(wait)s.") % {"wait": wait_text(wait)}
        ),
    )
    net = network()
    return [(address_limit, key(f"email:{index}"))] + ([(network_limit, key(net))] if net else [])


def hit(*counted: tuple[Limit, str]) -> None:
    """Count one try against each (limit, subject), all or none: raises Throttled (with the longest wait)
    when any of them is blocked, and then counts nothing."""
    now = timezone.now()
    refused: list[tuple[int, Limit]] = []
    # Why sorted: two requests that lock the same rows in the same order cannot deadlock on PostgreSQL.
    ordered = sorted(counted, key=lambda pair: (pair[0].scope, pair[1]))
    with transaction.atomic():
        RateCounter.objects.bulk_create(
            [
                RateCounter(scope=limit.scope, key=subject, window_started_at=now, expires_at=now)
                for limit, subject in ordered
            ],
            ignore_conflicts=True,
        )
        for limit, subject in ordered:
            row = RateCounter.objects.select_for_update().get(scope=limit.scope, key=subject)
            if row.blocked_until and row.blocked_until > now:
                refused.append((wait_seconds(row.blocked_until, now), limit))
            elif not refused:
                _count(row, limit, now)
        if refused:
            wait, limit = max(refused, key=lambda pair: pair[0])
            # Raised inside the block: whatever was counted above is rolled back.
            raise Throttled(limit.refusal(wait), retry_after=wait)


def _count(row: RateCounter, limit: Limit, now: datetime) -> None:
    window = timedelta(seconds=limit.window)
    lock_over = row.blocked_until is not None and row.hits >= limit.hits  # a lockout that has ended
    if row.window_started_at + window <= now or lock_over:
        row.hits, row.window_started_at, row.blocked_until = 0, now, None
    row.hits += 1
    until: list[datetime] = []
    if row.hits >= limit.hits:
        until.append(
            now + timedelta(seconds=limit.lockout) if limit.lockout else row.window_started_at + window
        )
    if limit.slowdown_after and row.hits >= limit.slowdown_after:
        delay = min(2 ** (row.hits - limit.slowdown_after), SLOWDOWN_CAP_SECONDS)
        until.append(now + timedelta(seconds=delay))
    row.blocked_until = max(until) if until else None
    row.expires_at = max([row.window_started_at + window, *until])
    row.save(update_fields=["hits", "window_started_at", "blocked_until", "expires_at"])


def release(limit: Limit, subject: str) -> None:
    """Give back one counted try that turned out not to need the limit (a right password): afterwards it is as
    if it had never been counted. A slow-down or block that its own count imposed is lifted with it (before,
    two wrong passwords and then the right one left a slow-down standing that refused the second-factor code
    typed next, with a message about wrong passwords). A block that the other tries' count justifies stands;
    nothing blocked the subject when this try passed ``hit``, so any block now is from this try or a parallel
    one, and a parallel one alone would have blocked only from the threshold on."""
    threshold = min(limit.hits, limit.slowdown_after) if limit.slowdown_after else limit.hits
    with transaction.atomic():
        row = (
            RateCounter.objects.select_for_update().filter(scope=limit.scope, key=subject, hits__gt=0).first()
        )
        if row is None:
            return
        row.hits -= 1
        if row.hits < threshold:
            row.blocked_until = None
        row.save(update_fields=["hits", "blocked_until"])


def _rows(scope: str, subject: str, prefix: bool):
    rows = RateCounter.objects.filter(scope=scope)
    return rows.filter(key__startswith=f"{subject}.") if prefix else rows.filter(key=subject)


def blocked_count(scope: str, subject: str, *, prefix: bool = False) -> int:
    """How many of a subject's counters block now (with ``prefix``: of every key starting ``subject.``)."""
    return _rows(scope, subject, prefix).filter(blocked_until__gt=timezone.now()).count()


def clear(scope: str, subject: str, *, prefix: bool = False) -> int:
    """Forget a subject's counter (or, with ``prefix``, every counter whose key starts with ``subject``
    followed by '.'): a sign-in that succeeded, a lockout staff lifted. Returns how many were blocking."""
    blocked = blocked_count(scope, subject, prefix=prefix)
    _rows(scope, subject, prefix).delete()
    return blocked
