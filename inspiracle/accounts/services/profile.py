"""The public profile and avatar (PRV-6, ACC-1)."""

import secrets
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from inspiracle.accounts import names
from inspiracle.accounts.models import Profile, User
from inspiracle.accounts.services.registration import FieldErrors, _check_name, _delete_files
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError
from inspiracle.core.generations import generation_bump
from inspiracle.pipeline.avatars import avatar_check
from inspiracle.similarity.index import NEAR_DISTANCE, HashIndex

PROFILE_FIELDS = (
    "display_name",
    "bio",
    "location",
    "website",
    "show_bio",
    "show_location",
    "show_website",
    "show_joined",
)


def profile_update(*, user: User, changes: dict) -> Profile:
    errors = FieldErrors()
    for name in set(changes) - set(PROFILE_FIELDS):
        errors.add(name, _("This field cannot be changed here."))
    profile = Profile.objects.get(user=user)
    if "display_name" in changes:
        display_name = " ".join((changes["display_name"] or "").split())
        changes["display_name"] = display_name
        if not display_name:
            errors.add("display_name", _("A display name is required."))
        elif not names.skeleton(display_name):
            errors.add("display_name", _("Use letters or characters in your display name, not only symbols."))
        else:
            _check_name(errors, "display_name", display_name, user=user)
    for field in set(PROFILE_FIELDS) & set(changes):
        setattr(profile, field, changes[field])
    profile.display_name_skeleton = names.skeleton(profile.display_name)
    try:
        profile.full_clean(exclude=["avatar"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    errors.raise_if_any()
    with transaction.atomic():
        profile.save()
        if "display_name" in changes:
            generation_bump("profiles")  # shown on cached pages (the shop's cards)
        audit_record(action="profile.updated", actor=user, target=user, data={"fields": sorted(changes)})
    return profile


def avatar_imitation(probes, *, exclude_user: User) -> User | None:
    """ACC-1: the verified account whose avatar this picture near-duplicates, if any."""
    verified = (
        Profile.objects.filter(user__verified_at__isnull=False)
        .exclude(user=exclude_user)
        .exclude(avatar_keys=[])
        .select_related("user")
    )
    profiles = {p.user_id: p for p in verified}
    index = HashIndex()
    for user_id, profile in profiles.items():
        index.add([user_id] * len(profile.avatar_keys), profile.avatar_keys)
    found = index.search(probes, max_distance=NEAR_DISTANCE, limit=1)
    return profiles[found[0][0]].user if found else None


def avatar_set(*, user: User, data: bytes | None) -> Profile:
    """Set (or with ``None`` remove) the avatar: checked like a work's files, refused when it copies a
    verified account's avatar (ACC-1). The stored picture is a re-encoded copy, never the upload."""
    checked = None
    if data is not None:
        checked = avatar_check(data)
        imitated = avatar_imitation(checked.fingerprint.probes, exclude_user=user)
        if imitated is not None:
            message = _(
                "This picture is too close to the avatar of the verified account @%(name)s. Choose a picture "
                "of your own."
            ) % {"name": imitated.username}
            raise ApplicationError(message, fields={"avatar": [message]}, code="impersonation")
    saved: list[str] = []
    try:
        with transaction.atomic():
            profile = Profile.objects.select_for_update().get(user=user)
            old = profile.avatar.name
            if checked is None:
                profile.avatar = ""
                profile.avatar_keys = []
            else:
                profile.avatar.save(
                    f"{user.pk}-{secrets.token_hex(8)}.webp", ContentFile(checked.webp), save=False
                )
                profile.avatar_keys = list(checked.fingerprint.keys)
                saved.append(cast(str, profile.avatar.name))  # just stored: the stubs allow None for no file
            profile.save()
            audit_record(
                action="profile.avatar_changed", actor=user, target=user, data={"removed": checked is None}
            )
            if old:
                transaction.on_commit(lambda: default_storage.delete(old))
    except Exception:
        _delete_files("default", saved)
        raise
    return profile


def language_set(*, user: User, language: str) -> User:
    """The language of the account's e-mails and notices (and of its pages once signed in). Audited when it
    changes, like the other account settings; setting the language it already has does nothing."""
    language = (language or "").lower()
    if language not in dict(settings.LANGUAGES):
        raise ApplicationError(_("Choose one of the languages offered."), code="invalid_language")
    if user.language == language:
        return user
    with transaction.atomic():
        previous = user.language
        user.language = language
        user.save(update_fields=["language"])
        audit_record(
            action="account.language_changed",
            actor=user,
            target=user,
            data={"from": previous, "to": language},
        )
    return user
