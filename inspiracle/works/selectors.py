"""Reads of works, each for one audience; the visibility rule is in the query (WRK-3)."""

from django.db.models import Prefetch, QuerySet

from inspiracle.works.models import Category, Match, Work, WorkFile

PAGE_SIZE = 24


def _with_cover(qs: QuerySet[Work]) -> QuerySet[Work]:
    # The cover is the first file that passed the checks and that staff did not mask (MOD-4).
    ready = WorkFile.objects.filter(status=WorkFile.Status.READY, masked_at__isnull=True).order_by(
        "position", "pk"
    )
    return qs.select_related("owner__profile", "licence_version__document").prefetch_related(
        "tags", "files", Prefetch("files", queryset=ready, to_attr="ready_files")
    )


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
    return _with_cover(qs.order_by("-published_at", "-pk"))


def work_list_for_portfolio(owner) -> QuerySet[Work]:
    return _with_cover(
        Work.objects.filter(owner=owner, status=Work.Status.PUBLISHED).order_by("-published_at", "-pk")
    )


def work_list_for_owner(owner, *, status: str = "") -> QuerySet[Work]:
    qs = Work.objects.filter(owner=owner).exclude(status=Work.Status.DELETED)
    if status in Work.Status.values:
        qs = qs.filter(status=status)
    return _with_cover(qs.order_by("-uploaded_at", "-pk"))


def work_files(work: Work) -> list[WorkFile]:
    return list(work.files.order_by("position", "pk"))


def work_matches(work: Work) -> list[Match]:
    """WRK-9: the matches of the work's files, with the other work and its owner, for the reviewer."""
    return list(
        Match.objects.filter(file__work=work)
        .select_related("file", "other__work__owner")
        .order_by("distance", "pk")
    )
