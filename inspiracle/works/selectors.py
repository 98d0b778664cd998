"""Reads of works, each for one audience; the visibility rule is in the query (WRK-3). The lists say which works;
``as_cards`` (pages), ``as_summaries`` (the API's lists) or ``with_details`` (one work in the API) say what is
loaded of each."""

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, overload

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from inspiracle.accounts.models import Profile, User
from inspiracle.core.rawsql import Reader
from inspiracle.works.files import derivative_address, derivative_url
from inspiracle.works.models import AIUse, Category, Match, Work, WorkFile

PAGE_SIZE = 24


def with_details(qs: QuerySet[Work]) -> QuerySet[Work]:
    """Everything the API says of each work: owner, licence, tags, files and the cover."""
    return qs.select_related("owner__profile", "licence_version__document").prefetch_related(
        "tags", "files", _ready_files()
    )


def _ready() -> QuerySet[WorkFile]:
    # A work's cover is the first of these: the files that passed the checks and that staff did not mask (MOD-4).
    return WorkFile.objects.filter(status=WorkFile.Status.READY, masked_at__isnull=True).order_by(
        "position", "pk"
    )


def _ready_files(*fields: str) -> Prefetch:
    ready = _ready()
    return Prefetch("files", queryset=ready.only(*fields) if fields else ready, to_attr="ready_files")


# What a card of works/_grid.html shows, and no more: a page of 24 cards loaded every file twice, the tags and
# the licence's whole text (about 13 KB a work) for a cover, a title and a name (issue 14, bench/web.py).
CARD_FIELDS = (
    "title",
    "title_masked_at",
    "status",
    "ai_use",
    "exclusive_since",
    "owner__username",
    "owner__profile__display_name",
)


# What a cover's address is made of (works/files.py), with its work's status.
COVER_FIELDS = ("pk", "work_id", "sha256", "thumbnail", "masked_at")


def as_cards(qs: QuerySet[Work]) -> QuerySet[Work]:
    """``qs`` loading only what a card shows, with ``ready_files`` for the cover."""
    cover = _ready_files(*COVER_FIELDS)
    return qs.select_related("owner__profile").only(*CARD_FIELDS).prefetch_related(cover)


# The gallery's orders: newest first, or most viewed first (works/popularity.py counts the views).
SORTS = {
    "newest": ("-published_at", "-pk"),
    "views": ("-view_count", "-published_at", "-pk"),
}
# Words searched at most, and the longest query read: a longer one is refused by the API and cut by the page.
SEARCH_WORDS = 8
SEARCH_MAX_LENGTH = 200


def work_list_for_public(
    *,
    category: str = "",
    tag: str = "",
    q: str = "",
    ai_use: str = "",
    owner: str = "",
    sort: str = "newest",
) -> QuerySet[Work]:
    """The public gallery: published works by category, tag, declared AI use or creator (``owner``, a username),
    and words each found in the public title or in the creator's username or name; newest first, or most viewed
    first (``sort``). Unknown values of the choices are left out: the callers say so (the API refuses them)."""
    qs = Work.objects.filter(status=Work.Status.PUBLISHED)
    # PostgreSQL refuses NUL in text
    tag, q, owner = (value.replace("\x00", "") for value in (tag, q, owner))
    if category in Category.values:
        qs = qs.filter(category=category)
    if ai_use in AIUse.values:
        qs = qs.filter(ai_use=ai_use)
    if tag:
        qs = qs.filter(tags__name__iexact=tag)
    if owner:
        qs = qs.filter(owner__username=owner.lower())
    for word in q[:SEARCH_MAX_LENGTH].split()[:SEARCH_WORDS]:
        # Only what the public sees is searchable: a title staff masked (MOD-4, e.g. to hide an ID number)
        # must not be found by its words, or the search would reveal what the mask hides.
        qs = qs.filter(
            Q(title__icontains=word, title_masked_at__isnull=True)
            | Q(owner__username__icontains=word)
            | Q(owner__profile__display_name__icontains=word)
        )
    return qs.order_by(*SORTS.get(sort, SORTS["newest"]))


def work_list_for_portfolio(owner_id: int) -> QuerySet[Work]:
    return Work.objects.filter(owner_id=owner_id, status=Work.Status.PUBLISHED).order_by(
        "-published_at", "-pk"
    )


def work_list_for_owner(owner, *, status: str = "") -> QuerySet[Work]:
    qs = Work.objects.filter(owner=owner).exclude(status=Work.Status.DELETED)
    if status in Work.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-uploaded_at", "-pk")


# What the work page needs before it knows whether its cached part will do: who may see it, its title, the
# robots header and what the repost panel reads (reposts/templatetags). The rest loads only on a cache miss.
PAGE_FIELDS = (
    "status",
    "owner_id",
    "title",
    "title_masked_at",
    "no_ai_training",
    "repost_allowed",
    "exclusive_since",
)


def work_get_for_page(work_id: int) -> Work | None:
    return Work.objects.only(*PAGE_FIELDS).filter(pk=work_id).first()


def work_files(work: Work) -> list[WorkFile]:
    return list(work.files.order_by("position", "pk"))


def work_matches(work: Work) -> list[Match]:
    """WRK-9: the matches of the work's files, with the other work and its owner, for the reviewer."""
    return list(
        Match.objects.filter(file__work=work)
        .select_related("file", "other__work__owner")
        .order_by("distance", "pk")
    )


# The generations whose bumps reach every change a card or a summary shows (the works' owners bump "works", the
# accounts' owners "profiles"): the gallery, portfolios and the public list of the API are kept under them.
CARD_GENERATIONS = ("works", "profiles")

# What a row of the API's work lists says (WorkSummaryOut): a card's fields and the dates, never the licence's
# text, the tags or every file (issue 14: the whole work made /api/works/public 9x a bare page, bench/web.py).
# Plain values: for a page of 24, making model instances cost more than running the queries.
SUMMARY_VALUES = (
    "id",
    "title",
    "title_masked_at",
    "status",
    "category",
    "ai_use",
    "exclusive_since",
    "uploaded_at",
    "published_at",
    "owner__username",
    "owner__profile__display_name",
)


@dataclass(frozen=True)
class WorkSummary:
    """A work as the API's lists show it; ``summaries`` makes them."""

    id: int
    title: str
    title_masked_at: datetime | None
    status: str
    category: str
    ai_use: str
    exclusive_since: datetime | None
    uploaded_at: datetime
    published_at: datetime | None
    owner: str
    owner_name: str
    thumbnail_url: str | None  # the cover's (``files.derivative_url``), when the work has one

    @property
    def shown_title(self) -> str:
        """The title as the public sees it (MOD-4), as ``Work.shown_title`` says it."""
        return str(_("(title hidden by the platform)")) if self.title_masked_at else self.title


def as_summaries(qs: QuerySet[Work]) -> QuerySet[Work, dict[str, Any]]:
    """``qs`` as the values a summary is made of; ``summaries`` turns a page of them into ``WorkSummary``."""
    return qs.values(*SUMMARY_VALUES)


def _thumbnail_url(cover: WorkFile | None) -> str | None:
    return derivative_url(cover.work, cover, "thumbnail") if cover else None


def summaries(rows: list[dict[str, Any]]) -> list[WorkSummary]:
    """A page of ``as_summaries`` rows with their covers, in one query for the whole page."""
    ready = _ready().filter(work_id__in=[row["id"] for row in rows])
    covers: dict[int, WorkFile] = {}
    for file in ready.select_related("work").only(*COVER_FIELDS, "work__status"):
        covers.setdefault(file.work_id, file)
    return [
        WorkSummary(
            id=row["id"],
            title=row["title"],
            title_masked_at=row["title_masked_at"],
            status=row["status"],
            category=row["category"],
            ai_use=row["ai_use"],
            exclusive_since=row["exclusive_since"],
            uploaded_at=row["uploaded_at"],
            published_at=row["published_at"],
            owner=row["owner__username"],
            owner_name=row["owner__profile__display_name"],
            thumbnail_url=_thumbnail_url(covers.get(row["id"])),
        )
        for row in rows
    ]


class OwnerSummaries(Sequence[WorkSummary]):
    """``work_list_for_owner`` as summaries, a page at a time, for the API's list of one's own works.

    Plain SQL, three small statements at most (the page, its covers, the count when the page is full): this list
    cannot be cached, since a file the checks accept shows as the cover at once and bumps no generation, and
    building the ORM's queries cost more than running them (issue 14, bench/web.py). The same rows, order and
    covers as ``as_summaries(work_list_for_owner(...))`` with ``summaries`` (a test holds them together)."""

    def __init__(self, owner_id: int, *, status: str = "") -> None:
        self.owner_id = owner_id
        self.status = status if status in Work.Status.values else ""

    def _where(self) -> tuple[str, list[Any]]:
        where, params = (
            " WHERE w.owner_id = %s AND w.status <> %s",
            [self.owner_id, Work.Status.DELETED.value],
        )
        if self.status:
            where, params = where + " AND w.status = %s", [*params, self.status]
        return where, params

    def __len__(self) -> int:
        where, params = self._where()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {_table(Work)} w{where}", params)  # noqa: S608
            return cursor.fetchone()[0]

    @overload
    def __getitem__(self, index: int) -> WorkSummary: ...
    @overload
    def __getitem__(self, index: slice) -> list[WorkSummary]: ...
    def __getitem__(self, index: int | slice) -> WorkSummary | list[WorkSummary]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(2**62)
        where, params = self._where()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {_SUMMARY.columns('w', len(SUMMARY_VALUES) - 2)}, u.username, p.display_name"  # noqa: S608
                f" FROM {_table(Work)} w JOIN {_table(User)} u ON u.id = w.owner_id"
                f" LEFT JOIN {_table(Profile)} p ON p.user_id = u.id{where}"
                " ORDER BY w.uploaded_at DESC, w.id DESC LIMIT %s OFFSET %s",
                [*params, max(stop - start, 0), start],
            )
            rows = [_SUMMARY.values(row) for row in cursor.fetchall()]
        covers = _covers({row[0]: row[3] for row in rows})
        return [
            WorkSummary(**dict(zip(_SUMMARY_NAMES, row, strict=True)), thumbnail_url=covers.get(row[0]))
            for row in rows
        ]


# The columns of a summary, in the order of ``WorkSummary``'s fields.
_SUMMARY_NAMES = [field.name for field in dataclasses.fields(WorkSummary) if field.name != "thumbnail_url"]
_SUMMARY = Reader.of(
    *((Work, name) for name in SUMMARY_VALUES[:-2]), (User, "username"), (Profile, "display_name")
)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _covers(statuses: dict[int, str]) -> dict[int, str]:
    """The address of the cover of each work in ``statuses`` (by id, with its status) that has one, the first
    file of ``_ready``, as ``files.derivative_url`` makes it (without loading the rows)."""
    if not statuses:
        return {}
    marks = ", ".join(["%s"] * len(statuses))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT f.id, f.work_id, f.sha256, f.thumbnail FROM {_table(WorkFile)} f"  # noqa: S608
            f" WHERE f.work_id IN ({marks}) AND f.status = %s AND f.masked_at IS NULL"
            " ORDER BY f.position, f.id",
            [*statuses, WorkFile.Status.READY.value],
        )
        found = cursor.fetchall()
    covers: dict[int, str] = {}
    for file_id, work_id, sha256, thumbnail in found:
        if work_id not in covers:
            covers[work_id] = derivative_address(
                work_id=work_id,
                work_status=statuses[work_id],
                file_id=file_id,
                sha256=sha256,
                stored=thumbnail or "",
                masked=False,
                kind="thumbnail",
            )
    return covers
