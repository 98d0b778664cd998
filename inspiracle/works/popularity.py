"""How often a published work's page was opened: the gallery's "most viewed" order (issue 15).

A visitor counts once a day per work: the signed-in account, or else the address (an IPv6 visitor by the /64
network their provider hands out, so that changing the last bits does not count again). Reloading, or a script
rotating cookies or user agents, does not add to the count. Whether a visitor was counted already is one cache
operation (``cache.add``); only a first view of the day writes, one UPDATE of one column. The cache key holds a
keyed hash of the visitor, never the address itself. With the default cache (each process its own memory) a
visitor may count once per server process a day; a shared cache (CACHES) makes it once.

The count changes no generation (core/generations.py): the gallery's cached pages keep the order they were
rendered with for at most their cache time (five minutes), instead of every view emptying every cached page."""

import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.utils import timezone

from inspiracle.core.http import client_ip
from inspiracle.works.models import Work

# The key names the day, so a visitor counts again the next day; this only bounds how long a key takes room.
REMEMBERED_SECONDS = 25 * 3600


def _visitor(request) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "address:unknown"
    if ip.version == 6:
        return "net:" + str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return f"address:{ip}"


def work_viewed(request, work_id: int) -> bool:
    """Count a view of the published work ``work_id`` by this request's visitor, once a day; says whether it
    counted."""
    day = timezone.localdate().isoformat()
    visitor = hmac.new(settings.SECRET_KEY.encode(), _visitor(request).encode(), hashlib.sha256).hexdigest()
    key = f"work-viewed:{work_id}:{day}:{visitor[:32]}"
    if not cache.add(key, 1, REMEMBERED_SECONDS):
        return False
    # The only writer of the column; the status check keeps a work that just left the gallery from counting.
    return bool(
        Work.objects.filter(pk=work_id, status=Work.Status.PUBLISHED).update(view_count=F("view_count") + 1)
    )
