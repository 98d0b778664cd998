from django.http import HttpRequest

from inspiracle.messaging.selectors import unread_messages_count


def messages_unread(request: HttpRequest) -> dict[str, int]:
    """The unread count for the header's messages link: one COUNT for a signed-in user, nothing for visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"messages_unread": 0}
    return {"messages_unread": unread_messages_count(user)}
