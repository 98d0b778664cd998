"""The inbox page (UX-4): the user's notices, newest first; opening one marks it read. The notice settings:
the account's language and which notices come by e-mail."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspiracle.core.errors import ApplicationError
from inspiracle.notifications import selectors
from inspiracle.notifications.permissions import access_notification_for_recipient
from inspiracle.notifications.preferences import OPTIONAL_KEYS, TOPICS
from inspiracle.notifications.services import email_muted, email_preferences_set, notification_mark_read


@login_required
def inbox(request):
    notifications = selectors.notification_list_for_user(user=request.user)
    page = Paginator(notifications, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    items = [(notification, *notification.rendered()) for notification in page]
    return render(request, "notifications/inbox.html", {"page": page, "items": items})


@login_required
def notification_open(request, notification_id):
    notification = access_notification_for_recipient(request.user, notification_id)
    notification_mark_read(user=request.user, ids=[notification.pk])
    # The link was checked when the notice was made; checked again here because this is a redirect.
    if notification.link and url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        return redirect(notification.link)
    return redirect("notifications:inbox")


@require_POST
@login_required
def inbox_mark_read(request):
    marked = notification_mark_read(user=request.user)
    if marked:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:inbox")


@login_required
def notice_settings(request):
    """The account's language (the header's switch sets it too) and the optional notices to e-mail."""
    if request.method == "POST":
        # Unticked boxes are not sent: an optional topic not ticked is one the user turned off.
        ticked = set(request.POST.getlist("email"))
        try:
            email_preferences_set(user=request.user, muted=sorted(OPTIONAL_KEYS - ticked))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your e-mail choices are saved."))
            return redirect("notifications:settings")
    muted = set(email_muted(user=request.user))
    topics = [(topic, topic.mandatory or topic.key not in muted) for topic in TOPICS]
    return render(
        request,
        "notifications/settings.html",
        {"topics": topics, "languages": settings.LANGUAGES, "current_language": request.user.language},
    )
