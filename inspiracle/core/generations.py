"""Generation counters for caches (see ``models.Generation``): bumped by the owner of the data inside the
transaction that changes it, read by the pages that cache."""

from collections.abc import Iterable

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from inspiracle.core.models import Generation


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
