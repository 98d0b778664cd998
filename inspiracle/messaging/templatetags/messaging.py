"""``{% direct_message_link username %}`` on a public profile: a "Message" link to signed-in visitors when
the profile's owner accepts direct messages (COM-7), nothing otherwise. Accounts' templates load it; accounts'
Python never imports messaging."""

from typing import Any

from django import template
from django.contrib.auth import get_user_model

from inspiracle.messaging.selectors import accepts_direct, direct_thread_between

register = template.Library()


@register.inclusion_tag("messaging/_direct_link.html", takes_context=True)
def direct_message_link(context: template.Context, username: str) -> dict[str, Any]:
    request = context.get("request")
    viewer = getattr(request, "user", None)
    if viewer is None:
        return {"show": False}
    creator = get_user_model().objects.filter(username=username, is_active=True).first()
    if not viewer.is_authenticated or creator is None or creator.pk == viewer.pk:
        return {"show": False}
    existing = direct_thread_between(viewer, creator)
    return {"show": existing is not None or accepts_direct(creator), "username": username}
