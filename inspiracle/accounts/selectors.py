"""Reads about accounts, each with its visibility rule (PRV-3, PRV-6)."""

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import cast

from django.db import connection
from django.db.models import FileField
from django.utils import timezone
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
        raise _no_profile(username)
    return profile


def _no_profile(username: str) -> NotFound:
    return NotFound(_("There is no profile called '%(name)s'.") % {"name": username})


@dataclass(frozen=True)
class PublicProfile:
    """What anyone may read of an account: its names, its badge and only what its owner chose to show (PRV-6);
    registration information never."""

    user_id: int
    username: str
    display_name: str
    verified: bool
    kind: str
    avatar_url: str | None
    bio: str | None
    location: str | None
    website: str | None
    joined: datetime | None


def _public(
    *,
    user_id: int,
    username: str,
    kind: str,
    verified_at: datetime | None,
    date_joined: datetime,
    display_name: str,
    bio: str,
    location: str,
    website: str,
    avatar: str,
    show_bio: bool,
    show_location: bool,
    show_website: bool,
    show_joined: bool,
) -> PublicProfile:
    avatar_field = cast(FileField, Profile._meta.get_field("avatar"))
    return PublicProfile(
        user_id=user_id,
        username=username,
        display_name=display_name,
        verified=verified_at is not None,
        kind=kind,
        avatar_url=avatar_field.storage.url(avatar) if avatar else None,
        bio=bio if show_bio and bio else None,
        location=location if show_location and location else None,
        website=website if show_website and website else None,
        joined=date_joined if show_joined else None,
    )


# What ``_public`` is made of, as the statement of ``public_profile_get`` names it (u: the user, p: the profile).
PUBLIC_COLUMNS = {
    "user_id": "u.id",
    "username": "u.username",
    "kind": "u.kind",
    "verified_at": "u.verified_at",
    "date_joined": "u.date_joined",
    "display_name": "p.display_name",
    "bio": "p.bio",
    "location": "p.location",
    "website": "p.website",
    "avatar": "p.avatar",
    "show_bio": "p.show_bio",
    "show_location": "p.show_location",
    "show_website": "p.show_website",
    "show_joined": "p.show_joined",
}


def public_profile_get(username: str) -> PublicProfile:
    """The public profile of the active account ``username`` (404 otherwise).

    One plain SQL statement: the profile page and the portfolio read it on every visit, and building the ORM
    query cost more than running it and rendering the page's own part together (issue 14, bench/web.py)."""
    user, profile = (connection.ops.quote_name(m._meta.db_table) for m in (User, Profile))
    columns = ", ".join(PUBLIC_COLUMNS.values())
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {user} u JOIN {profile} p ON p.user_id = u.id"  # noqa: S608
            " WHERE u.username = %s AND u.is_active = %s",
            [(username or "").lower(), True],
        )
        row = cursor.fetchone()
    if row is None:
        raise _no_profile(username)
    values = dict(zip(PUBLIC_COLUMNS, row, strict=True))
    for name in ("verified_at", "date_joined"):
        # SQLite gives the stored UTC time back without its zone; PostgreSQL gives it with.
        if values[name] is not None and timezone.is_naive(values[name]):
            values[name] = timezone.make_aware(values[name], UTC)
    return _public(**values)


def profile_public_fields(profile: Profile) -> dict:
    """``PublicProfile`` of a loaded profile, as the API answers it."""
    user = profile.user
    fields = asdict(
        _public(
            user_id=user.pk,
            username=user.username,
            kind=user.kind,
            verified_at=user.verified_at,
            date_joined=user.date_joined,
            display_name=profile.display_name,
            bio=profile.bio,
            location=profile.location,
            website=profile.website,
            avatar=profile.avatar.name or "",
            show_bio=profile.show_bio,
            show_location=profile.show_location,
            show_website=profile.show_website,
            show_joined=profile.show_joined,
        )
    )
    del fields["user_id"]
    return fields


def session_list_for_user(user: User) -> list[UserSession]:
    return list(UserSession.objects.filter(user=user).order_by("-last_seen_at"))


def token_list_for_user(user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at"))
