"""Reads of works, each for one audience; the visibility rule is in the query (WRK-3). The lists say which works;
``as_cards`` (pages) or ``with_details`` (the API) say what is loaded of each."""

from django.db.models import Prefetch, QuerySet

from inspiracle.works.models import Category, Match, Work, WorkFile

PAGE_SIZE = 24


def with_details(qs: QuerySet[Work]) -> QuerySet[Work]:
    """Everything the API says of each work: owner, licence, tags, files and the cover."""
    return qs.select_related("owner__profile", "licence_version__document").prefetch_related(
        "tags", "files", _ready_files()
    )


def _ready_files(*fields: str) -> Prefetch:
    # The cover is the first file that passed the checks and that staff did not mask (MOD-4).
    ready = WorkFile.objects.filter(status=WorkFile.Status.READY, masked_at__isnull=True).order_by(
        "position", "pk"
    )
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


def as_cards(qs: QuerySet[Work]) -> QuerySet[Work]:
    """``qs`` loading only what a card shows, with ``ready_files`` for the cover (what its address is made of,
    works/files.py)."""
    cover = _ready_files("pk", "work_id", "sha256", "thumbnail", "masked_at")
    return qs.select_related("owner__profile").only(*CARD_FIELDS).prefetch_related(cover)


def work_list_for_public(*, category: str = "", tag: str = "", q: str = "") -> QuerySet[Work]:
    """The public gallery: published works, newest first, by category, tag or words of the public title."""
    qs = Work.objects.filter(status=Work.Status.PUBLISHED)
    tag, q = tag.replace("\x00", ""), q.replace("\x00", "")  # PostgreSQL refuses NUL in text
    if category in Category.values:
        qs = qs.filter(category=category)
    if tag:
        qs = qs.filter(tags__name__iexact=tag)
    if q.split():
        # Only what the public sees is searchable: a title staff masked (MOD-4, e.g. to hide an ID number)
        # must not be found by its words, or the search would reveal what the mask hides.
        qs = qs.filter(title_masked_at__isnull=True)
    for word in q.split()[:8]:
        qs = qs.filter(title__icontains=word)
    return qs.order_by("-published_at", "-pk")


def work_list_for_portfolio(owner) -> QuerySet[Work]:
    return Work.objects.filter(owner=owner, status=Work.Status.PUBLISHED).order_by("-published_at", "-pk")


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


# What a row of the API's work lists says (WorkSummaryOut): a card's fields and the dates, never the licence's
# text, the tags or every file (issue 14: the whole work made /api/works/public 9x a bare page, bench/web.py).
SUMMARY_FIELDS = (*CARD_FIELDS, "category", "uploaded_at", "published_at")


def as_summaries(qs: QuerySet[Work]) -> QuerySet[Work]:
    """``qs`` loading only what a summary shows: a card (``as_cards``, its cover the same as the pages') and
    the dates; the later ``only`` takes the place of the card's."""
    return as_cards(qs).only(*SUMMARY_FIELDS)
