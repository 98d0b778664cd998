"""Works in the web pages: upload, the work page, editing, the owner's list, the gallery, portfolios."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspiracle.accounts.selectors import public_profile_get
from inspiracle.agreements.gate import consent_required
from inspiracle.agreements.selectors import local_today
from inspiracle.core.errors import ApplicationError
from inspiracle.core.fragments import cached_fragment
from inspiracle.core.views import add_errors
from inspiracle.standing import PUBLISH, refusal, restriction_for
from inspiracle.works import popularity, selectors, services
from inspiracle.works.files import NO_AI_ROBOTS, file_response, public_file_response, robots_headers
from inspiracle.works.forms import UploadForm, WorkEditForm
from inspiracle.works.models import AIUse, Category, Work
from inspiracle.works.permissions import (
    access_file_for_download,
    access_public_derivative,
    access_work_for_edit,
    access_work_for_view,
    can_view_original,
    is_owner,
    sees_public_page,
)
from inspiracle.works.presenters import ai_label, attribution, exclusive_mark, licensing_offer


@login_required
@consent_required
def work_new(request):
    form = UploadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            work = services.work_create(
                owner=request.user, files=request.FILES.getlist("files"), **form.cleaned_data
            )
        except ApplicationError as exc:
            add_errors(form, exc)
        else:
            return redirect("works:detail", work.pk)
    limits = {
        "MAX_FILES": settings.WORK_MAX_FILES,
        "MAX_FILE_MB": settings.WORK_FILE_MAX_BYTES // (1024 * 1024),
        "MAX_MEGAPIXELS": settings.IMAGE_MAX_PIXELS // 1_000_000,
    }
    # MOD-5: a restricted uploader learns it before choosing files, not after sending them.
    restriction = restriction_for(request.user, PUBLISH)
    context = {"form": form, "restriction": restriction and refusal(restriction).message, **limits}
    return render(request, "works/new.html", context, status=400 if form.errors else 200)


# The part of a published work's page that every visitor sees alike (its title, pictures, labels, rights and repost
# permissions) is kept rendered until the work, its marks, its maker's name or a permission change (the owners
# bump "works", "profiles" and "reposts"), or the day does (a permission ends with its last day). The owner and
# staff get the page rendered for them.
WORK_PAGE_GENERATIONS = ("works", "profiles", "reposts")


def work_detail(request, work_id):
    work = selectors.work_get_for_page(work_id)
    if work is None or not sees_public_page(request.user, work):
        return _work_detail_inside(request, work_id)
    if request.method == "GET":
        popularity.work_viewed(request, work.pk)
    content = cached_fragment(
        name="work",
        request=request,
        asked=(),
        # Signed in or not changes the licensing link; the host is in the attribution's link.
        extra=(work.pk, request.user.is_authenticated, request.get_host(), local_today()),
        depends_on=WORK_PAGE_GENERATIONS,
        render=lambda: _work_main(request, access_work_for_view(request.user, work.pk)),
    )
    context = {"work": work, "title": work.shown_title, "content": content, "robots": _robots(work)}
    return robots_headers(render(request, "works/detail.html", context), work)


def _work_detail_inside(request, work_id):
    """The page for its owner and staff (and a 404 for anyone who may not see the work): never cached."""
    work = access_work_for_view(request.user, work_id)
    context = _work_main_context(request, work)
    context["content"] = render_to_string("works/_detail_main.html", context, request=request)
    if context["staff_view"]:
        context["matches"] = selectors.work_matches(work)
        context["upload_ip"] = services.work_upload_ip_open(actor=request.user, work=work)
    return robots_headers(render(request, "works/detail.html", context), work)


def _work_main(request, work: Work) -> str:
    return render_to_string("works/_detail_main.html", _work_main_context(request, work), request=request)


def _work_main_context(request, work: Work) -> dict:
    insider = can_view_original(request.user, work)
    owner_view = is_owner(request.user, work)
    files = selectors.work_files(work)
    return {
        "work": work,
        "insider": insider,
        "title": work.title if insider else work.shown_title,
        "description": work.description if insider else work.shown_description,
        "files": files,
        # MOD-4: the owner's banner says the hidden parts are marked; each part (title, description, file)
        # carries its own mark below.
        "masked": insider
        and bool(work.title_masked_at or work.description_masked_at or any(f.masked_at for f in files)),
        "owner_view": owner_view,
        "may_original": insider,
        "staff_view": request.user.is_authenticated and request.user.is_staff,
        "attribution": attribution(request, work) if work.repost_allowed and work.is_public else "",
        "exclusive_mark": exclusive_mark(work),
        "ai_label": ai_label(work),
        "licensing": licensing_offer(request.user, work, owner=owner_view),
        "robots": _robots(work),
    }


def _robots(work: Work) -> str:
    return NO_AI_ROBOTS if work.no_ai_training else ""


def work_file(request, work_id, file_id, kind):
    return file_response(access_file_for_download(request.user, work_id, file_id, kind), kind)


def public_file(request, file_id, digest, kind):
    """A published work's thumbnail or preview at its content address, cacheable for a year (files.py)."""
    return public_file_response(request, access_public_derivative(file_id, kind, digest), kind, digest)


@login_required
def work_edit(request, work_id):
    work = access_work_for_edit(request.user, work_id)
    initial = {
        "title": work.title,
        "description": work.description,
        "category": work.category,
        "tags": ", ".join(t.name for t in work.tags.all()),
        "ai_use": work.ai_use,
        "repost_allowed": work.repost_allowed,
        "no_ai_training": work.no_ai_training,
        "open_to_licensing": work.open_to_licensing,
    }
    form = WorkEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        files = request.FILES.getlist("files") or None
        try:
            services.work_update(actor=request.user, work=work, changes=form.cleaned_data, files=files)
        except ApplicationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("works:detail", work.pk)
    return render(
        request, "works/edit.html", {"form": form, "work": work}, status=400 if form.errors else 200
    )


def _owner_action(request, work_id, service, done: str) -> None:
    work = access_work_for_edit(request.user, work_id)
    try:
        service(actor=request.user, work=work)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)


@require_POST
@login_required
def work_resubmit(request, work_id):
    _owner_action(request, work_id, services.work_resubmit, _("The work is back in review."))
    return redirect("works:detail", work_id)


@require_POST
@login_required
def work_unpublish(request, work_id):
    _owner_action(request, work_id, services.work_unpublish, _("The work is no longer public."))
    return redirect("works:detail", work_id)


@require_POST
@login_required
def work_republish(request, work_id):
    _owner_action(request, work_id, services.work_republish, _("The work is public again."))
    return redirect("works:detail", work_id)


@require_POST
@login_required
def work_delete(request, work_id):
    _owner_action(request, work_id, services.work_delete, _("The work is deleted."))
    return redirect("works:mine")


@login_required
def works_mine(request):
    status = request.GET.get("status", "")
    works = selectors.as_cards(selectors.work_list_for_owner(request.user, status=status))
    page = Paginator(works, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "statuses": Work.Status.choices,
        "query": urlencode({"status": status}) + "&" if status else "",
    }
    return render(request, "works/mine.html", context)


# The gallery's and a portfolio's cards are the same for every reader: they are kept rendered until a work, its
# cover or marks, or a maker's name changes (core/fragments.py, selectors.CARD_GENERATIONS).


GALLERY_TEXT = ("q", "tag")
GALLERY_CHOICES = ("category", "ai_use", "sort")
GALLERY_ASKED = (*GALLERY_TEXT, *GALLERY_CHOICES, "page")


def _gallery_filters(request) -> dict[str, str]:
    """The gallery's search as the page reads it: text cut to a sensible length, a value that is none of a
    choice's options left out (the page then shows everything for it), the NUL character dropped."""
    filters = {}
    for name in GALLERY_TEXT:
        filters[name] = request.GET.get(name, "").replace("\x00", "").strip()[: selectors.SEARCH_MAX_LENGTH]
    choices = {"category": Category.values, "ai_use": AIUse.values, "sort": list(selectors.SORTS)}
    for name in GALLERY_CHOICES:
        value = request.GET.get(name, "")
        filters[name] = value if value in choices[name] else ""
    return filters


def _gallery_content(request) -> str:
    filters = _gallery_filters(request)
    works = selectors.as_cards(selectors.work_list_for_public(**filters))
    shown = {k: v for k, v in filters.items() if v and not (k == "sort" and v == "newest")}
    page = Paginator(works, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        **filters,
        "page": page,
        "categories": Category.choices,
        "ai_uses": AIUse.choices,
        "sorts": [("newest", _("Newest")), ("views", _("Most viewed"))],
        "query": urlencode(shown) + "&" if shown else "",
        "without_tag": urlencode({k: v for k, v in shown.items() if k != "tag"}),
        "searched": bool(shown),
    }
    return render_to_string("works/_gallery_content.html", context)


def gallery(request):
    content = cached_fragment(
        name="gallery",
        request=request,
        asked=GALLERY_ASKED,
        depends_on=selectors.CARD_GENERATIONS,
        render=lambda: _gallery_content(request),
    )
    return render(request, "works/gallery.html", {"content": content})


def portfolio(request, username):
    profile = public_profile_get(username)

    def cards() -> str:
        works = selectors.as_cards(selectors.work_list_for_portfolio(profile.user_id))
        page = Paginator(works, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
        return render_to_string("works/_portfolio_content.html", {"page": page})

    content = cached_fragment(
        name="portfolio",
        request=request,
        asked=("page",),
        extra=profile.user_id,
        depends_on=selectors.CARD_GENERATIONS,
        render=cards,
    )
    return render(request, "works/portfolio.html", {"profile": profile, "content": content})
