from inspiracle.notifications.selectors import unread_count


def inbox(request) -> dict[str, int]:
    """The unread count for the header's inbox link: one COUNT for a signed-in user, nothing for visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"inbox_unread": 0}
    return {"inbox_unread": unread_count(user=user)}
