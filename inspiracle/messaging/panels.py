"""A thread as a page shows it, for the thread's own page and for any page that embeds one (a licensing
request shows its thread): the embedding view calls ``thread_panel_open(request, thread)`` after its own
access check and includes ``messaging/_thread.html`` with ``panel``. The form posts to the thread's own
address and comes back to the embedding page."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from inspiracle.accounts.models import User
from inspiracle.accounts.typing import SignedInRequest
from inspiracle.messaging import selectors
from inspiracle.messaging.forms import MessageForm
from inspiracle.messaging.models import Thread
from inspiracle.messaging.selectors import MessageView, Person
from inspiracle.messaging.services import thread_mark_read
from inspiracle.standing import PARTICIPATE, refusal, restriction_for


@dataclass(frozen=True)
class ThreadPanel:
    thread: Thread
    other: Person
    messages: list[MessageView]
    page: Page
    form: MessageForm
    restriction: str  # why, and until when, the reader may not write now (MOD-5); empty when they may


def can_write_text(user: User) -> str:
    """Empty when ``user`` may write in threads; else the measure that stops them, why and until when."""
    sanction = restriction_for(user, PARTICIPATE)
    return str(refusal(sanction).message) if sanction else ""


def thread_panel(request: SignedInRequest, thread: Thread, *, form: MessageForm | None = None) -> ThreadPanel:
    """The panel without changing anything (a form shown back with its errors)."""
    messages = selectors.thread_messages(thread)
    paginator = Paginator(messages, selectors.MESSAGES_PAGE)
    # The newest messages unless an older page was asked for (a parameter of its own: the embedding page
    # may have a "page" of its own).
    page = paginator.get_page(request.GET.get("thread_page") or paginator.num_pages)
    user = request.user
    return ThreadPanel(
        thread=thread,
        other=selectors.thread_other(user, thread),
        messages=selectors.message_views(user, page.object_list),
        page=page,
        form=form or MessageForm(initial={"next": request.get_full_path()}),
        restriction=can_write_text(user),
    )


def thread_panel_open(request: SignedInRequest, thread: Thread) -> ThreadPanel:
    """The panel for a participant opening the thread (found by ``access_thread_for_participant``): what it
    shows counts as read."""
    thread_mark_read(user=request.user, thread=thread)
    return thread_panel(request, thread)
