"""Generation counters for caches (see ``models.Generation``): bumped by the owner of the data inside the
transaction that changes it, read by the pages and lists that cache."""

import hashlib
from collections.abc import Callable, Iterable, Sequence

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from inspiracle.core.models import Generation

# Keys change with every bump, so an entry is never stale; this only bounds how long an unused one takes room.
CACHED_SECONDS = 300
_MISSING = object()


def generation_bump(name: str) -> None:
    """Call inside the transaction of the change: readers see the new number exactly when they see the change."""
    if Generation.objects.filter(name=name).update(value=F("value") + 1):
        return
    try:
        with transaction.atomic():  # the savepoint: a parallel first bump may have created the row
            Generation.objects.create(name=name, value=1)
    except IntegrityError:
        Generation.objects.filter(name=name).update(value=F("value") + 1)


def generations(names: Iterable[str]) -> str:
    """The current numbers of ``names``, as one string for a cache key.

    One plain SQL statement: this runs on every request of a cached page, where building the ORM query cost ten
    times more than running it (bench/shop.py)."""
    wanted = sorted(names)
    table = connection.ops.quote_name(Generation._meta.db_table)
    marks = ", ".join(["%s"] * len(wanted))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, value FROM {table} WHERE name IN ({marks})", wanted)  # noqa: S608
        values = dict(cursor.fetchall())
    return ".".join(str(values.get(name, 0)) for name in wanted)


def generation_cached[T](
    *, name: str, parts: object, depends_on: Sequence[str], compute: Callable[[], T]
) -> T:
    """``compute()``, from the cache while none of the generations ``depends_on`` moved. ``parts`` is everything
    else the value is made of (the language, the query, the site's address): two callers that may see different
    things must never share ``parts``. The value must pickle (the cache may be shared by processes)."""
    key = (
        f"generation-cached:{name}:"
        + hashlib.sha256(repr((parts, generations(depends_on))).encode()).hexdigest()
    )
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, CACHED_SECONDS)
    return value
