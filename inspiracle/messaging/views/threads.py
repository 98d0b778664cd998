"""Messages in the web pages (COM-7): my threads, a thread, writing to a creator, reporting abuse, the
direct-messages switch. A refusal goes back onto the form with the status the API would answer (429 with
Retry-After for a limit); a participation restriction is shown before anything is typed (MOD-5)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from inspiracle.accounts.selectors import profile_get_public
from inspiracle.accounts.typing import SignedInRequest
from inspiracle.agreements.gate import consent_required
from inspiracle.messaging import selectors, services
from inspiracle.messaging.attachments import attachment_response, uploads_from
from inspiracle.messaging.forms import DirectMessageForm, DirectMessagesSettingForm, MessageForm, ReportForm
from inspiracle.messaging.panels import can_write_text, thread_panel, thread_panel_open
from inspiracle.messaging.permissions import (
    access_attachment_for_download,
    access_message_for_report,
    access_thread_for_participant,
)
from inspiracle.messaging.views.helpers import posted, shown_back, submit


def _back(request: SignedInRequest, path: str, fallback: str) -> str:
    """The page the form came from, if it is one of ours."""
    if path.startswith("/") and url_has_allowed_host_and_scheme(path, allowed_hosts={request.get_host()}):
        return path
    return fallback


@login_required
def threads(request: SignedInRequest) -> HttpResponse:
    found = selectors.participations_for_user(request.user)
    page = Paginator(found, selectors.THREADS_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": selectors.thread_rows(page.object_list),
        "restriction": can_write_text(request.user),
    }
    return render(request, "messaging/threads.html", context)


@login_required
def thread(request: SignedInRequest, thread_id: int) -> HttpResponse:
    thread = access_thread_for_participant(request.user, thread_id)
    if request.method != "POST":
        return render(request, "messaging/thread.html", {"panel": thread_panel_open(request, thread)})
    form = MessageForm(request.POST, request.FILES)

    def send(body: str, files: list, next: str) -> str:
        message = services.message_send(
            thread=thread, sender=request.user, body=body, files=uploads_from(files)
        )
        return _back(request, next, reverse("messaging:thread", args=[thread.pk])) + f"#message-{message.pk}"

    target, refusal = submit(form, send)
    if refusal is None:
        return redirect(target)
    context = {"panel": thread_panel(request, thread, form=form)}
    return shown_back(request, "messaging/thread.html", context, refusal)


@login_required
@consent_required
def direct_new(request: SignedInRequest, username: str) -> HttpResponse:
    creator = profile_get_public(username).user
    if creator == request.user:
        messages.info(request, _("This is your own account: write to someone else."))
        return redirect("messaging:threads")
    existing = selectors.direct_thread_between(request.user, creator)
    if existing is not None:
        return redirect("messaging:thread", existing.pk)
    form = DirectMessageForm(posted(request), request.FILES or None)
    context = {
        "creator": selectors.Person.of(creator),
        "form": form,
        "accepts": selectors.accepts_direct(creator),
        "restriction": can_write_text(request.user),
    }
    if request.method != "POST":
        return render(request, "messaging/direct_new.html", context)

    def open_thread(topic: str, body: str, files: list, next: str) -> int:
        thread = services.direct_thread_open(
            sender=request.user, creator=creator, topic=topic, body=body, files=uploads_from(files)
        )
        return thread.pk

    thread_id, refusal = submit(form, open_thread)
    if refusal is None:
        messages.success(request, _("Your message is sent."))
        return redirect("messaging:thread", thread_id)
    return shown_back(request, "messaging/direct_new.html", context, refusal)


@login_required
def report(request: SignedInRequest, thread_id: int) -> HttpResponse:
    """Report a message (``?message=<id>``) or the whole thread."""
    thread = access_thread_for_participant(request.user, thread_id)
    message_id = request.GET.get("message", "")
    wanted = message_id.isdigit() and len(message_id) <= 18  # an id a 64-bit key can hold
    message = access_message_for_report(request.user, int(message_id)) if wanted else None
    if message is not None and message.thread_id != thread.pk:
        message = None
    form = ReportForm(posted(request))
    context = {"thread": thread, "message": message, "form": form}
    if request.method != "POST":
        return render(request, "messaging/report.html", context)

    def file(reason: str) -> None:
        services.thread_report(reporter=request.user, thread=thread, message=message, reason=reason)

    _done, refusal = submit(form, file)
    if refusal is None:
        messages.success(
            request, _("Thank you. Staff will read the conversation and tell you what they decided.")
        )
        return redirect("messaging:thread", thread.pk)
    return shown_back(request, "messaging/report.html", context, refusal)


@login_required
def settings_page(request: SignedInRequest) -> HttpResponse:
    initial = {"accepts_direct": selectors.accepts_direct(request.user)}
    form = DirectMessagesSettingForm(posted(request), initial=initial)
    if request.method == "POST":

        def save(accepts_direct: bool) -> None:
            services.direct_messages_set(user=request.user, accepts=accepts_direct)

        _done, refusal = submit(form, save)
        if refusal is None:
            messages.success(request, _("Your choice is saved."))
            return redirect("messaging:settings")
        return shown_back(request, "messaging/settings.html", {"form": form}, refusal)
    return render(request, "messaging/settings.html", {"form": form})


@login_required
@require_GET
def attachment(request: SignedInRequest, attachment_id: int) -> HttpResponse:
    return attachment_response(access_attachment_for_download(request.user, attachment_id))
