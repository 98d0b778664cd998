"""Types for code that only runs for a signed-in user."""

from django.http import HttpRequest

from inspiracle.accounts.models import User


class SignedInRequest(HttpRequest):
    """A request that ``login_required`` (pages) or the API's authentication let through: its user is a User,
    never AnonymousUser. For annotations only."""

    user: User  # type: ignore[assignment]  # narrower than HttpRequest's, which the gate guarantees
