"""How often a published work's page was opened: the gallery's "most viewed" order (issue 15).

A visitor counts once a day per work: the signed-in account, or else the address (an IPv6 visitor by the /64
network their provider hands out, so that changing the last bits does not count again). Reloading, or a script
rotating cookies or user agents, does not add to the count. Only a keyed hash of the visitor is kept, never the
address itself.

Two filters, the cheap one first:
- the cache (``cache.add``): a reload in the same process costs one cache operation and no query. With the
  default cache each process has its own memory, so this alone would count a visitor once per process a day;
- the table of the day's views (``WorkView``): one INSERT that ignores a conflict with the unique (day, work,
  visitor); only a new row adds one to the count, in the same transaction. That makes it exactly once a day
  across processes and servers, without a shared cache. Past days' rows are pruned nightly (OPS-3).

The count changes no generation (core/generations.py): the gallery's cached pages keep the order they were
rendered with for at most their cache time (five minutes), instead of every view emptying every cached page."""

import hashlib
import hmac
import ipaddress
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from inspiracle.core.http import client_ip
from inspiracle.works.models import Work, WorkView

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


def _keyed(visitor: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), visitor.encode(), hashlib.sha256).hexdigest()[:32]


def work_viewed(request, work_id: int) -> bool:
    """Count a view of the published work ``work_id`` by this request's visitor, once a day; says whether it
    counted."""
    day = timezone.localdate()
    visitor = _keyed(_visitor(request))
    if not cache.add(f"work-viewed:{work_id}:{day.isoformat()}:{visitor}", 1, REMEMBERED_SECONDS):
        return False
    with transaction.atomic():
        if not _first_view_of_the_day(work_id, day, visitor):
            return False  # counted by another process, or before this one's cache was emptied
        # The only writer of the column; the status check keeps a work that just left the gallery from counting.
        counted = Work.objects.filter(pk=work_id, status=Work.Status.PUBLISHED).update(
            view_count=F("view_count") + 1
        )
    return bool(counted)


def _first_view_of_the_day(work_id: int, day: date, visitor: str) -> bool:
    """Record the view; False when the row was there already. ON CONFLICT DO NOTHING (SQLite and PostgreSQL)
    rather than catching an IntegrityError: of two processes racing on the same row, PostgreSQL makes the second
    wait for the first to commit and then do nothing (SQLite has one writer at a time), so exactly one inserts and
    neither fails."""
    table = connection.ops.quote_name(WorkView._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (work_id, day, visitor) VALUES (%s, %s, %s) "  # noqa: S608 (our table name)
            "ON CONFLICT (day, work_id, visitor) DO NOTHING",
            [work_id, day, visitor],
        )
        return cursor.rowcount == 1
