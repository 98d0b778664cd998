"""The announcement of a version in force (AGR-4), rendered when the outbox delivers it."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from inspiracle.accounts.models import RegistrationInfo
from inspiracle.agreements.models import Version
from inspiracle.outbox.registry import Email, renderer


@renderer("agreements.version_in_force")
def version_in_force(payload: dict) -> Email | None:
    version = Version.objects.select_related("document").filter(pk=payload["version"]).first()
    info = (
        RegistrationInfo.objects.select_related("user")
        .filter(user_id=payload["user"], user__is_active=True)
        .first()
    )
    if version is None or info is None or not info.email:
        return None
    with translation.override(info.user.language):
        return Email(
            to=info.email,
            subject=render_to_string("agreements/email/subject.txt", {"version": version}).strip(),
            body=render_to_string(
                "agreements/email/version_in_force.txt", {"version": version, "site_url": settings.SITE_URL}
            ),
        )
