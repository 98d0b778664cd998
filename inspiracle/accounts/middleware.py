from inspiracle.accounts.security import session_touch


class SessionTouchMiddleware:
    """Refreshes a signed-in session's "last seen" time (shown in the list of sessions)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and request.session.session_key:
            session_touch(request.session.session_key)
        return self.get_response(request)
