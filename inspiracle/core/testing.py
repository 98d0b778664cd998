"""Helpers for tests: the cast's password and a way to make a registered user. Fixtures are in conftest.py."""

import itertools

from inspiracle.accounts.models import User
from inspiracle.accounts.services import RegistrationData, user_register
from inspiracle.agreements.selectors import required_versions_in_force

PASSWORD = "correct horse battery staple"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
_phones = itertools.count(13900000001)


def accepted_labels() -> list[str]:
    return [v.label for v in required_versions_in_force()]


def make_user(username: str, *, kind: str = "person", role: str = "", email: str = "", **extra) -> User:
    """A registered user who accepted the agreements in force (and, with ``role``, a staff member)."""
    user = user_register(
        data=RegistrationData(
            username=username,
            password=PASSWORD,
            kind=kind,
            legal_name=extra.get("legal_name", f"{username} 真名"),
            mailing_address=extra.get("mailing_address", "北京市东城区景山前街 4 号"),
            mobile=extra.get("mobile", str(next(_phones))),
            email=email,
        ),
        accepted=accepted_labels(),
        age_attested=True,
        certificate=PDF if kind == "organization" else None,
    )
    if role:
        User.objects.filter(pk=user.pk).update(staff_role=role)
        user.refresh_from_db()
    return user
