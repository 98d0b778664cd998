"""Reads about accounts, each with its visibility rule (PRV-3, PRV-6)."""

from django.utils.translation import gettext as _

from inspiracle.accounts.models import ApiToken, Profile, User, UserSession
from inspiracle.core.errors import NotFound


def profile_get_public(username: str) -> Profile:
    profile = (
        Profile.objects.select_related("user")
        .filter(user__username=(username or "").lower(), user__is_active=True)
        .first()
    )
    if profile is None:
        raise NotFound(_("There is no profile called '%(name)s'.") % {"name": username})
    return profile


def profile_public_fields(profile: Profile) -> dict:
    """Only what the owner chose to show (PRV-6); registration information never appears here."""
    user = profile.user
    return {
        "username": user.username,
        "display_name": profile.display_name,
        "verified": user.is_verified,
        "kind": user.kind,
        "avatar_url": profile.avatar.url if profile.avatar else None,
        "bio": profile.bio if profile.show_bio and profile.bio else None,
        "location": profile.location if profile.show_location and profile.location else None,
        "website": profile.website if profile.show_website and profile.website else None,
        "joined": user.date_joined if profile.show_joined else None,
    }


def session_list_for_user(user: User) -> list[UserSession]:
    return list(UserSession.objects.filter(user=user).order_by("-last_seen_at"))


def token_list_for_user(user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at"))
