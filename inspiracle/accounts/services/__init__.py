"""Changes to accounts, one module per audience: registration (the user signing up and correcting their
information), profile (the public face), staff (roles, verification, reading personal information)."""

from inspiracle.accounts.services.email_address import email_confirm, email_confirmation_token
from inspiracle.accounts.services.profile import PROFILE_FIELDS, avatar_set, language_set, profile_update
from inspiracle.accounts.services.registration import (
    RegistrationData,
    certificate_add,
    email_index,
    mobile_index,
    registration_update,
    user_register,
)
from inspiracle.accounts.services.staff import (
    REGISTRATION_FIELDS,
    account_verify,
    admin_create,
    certificate_open,
    certificate_review,
    protected_name_add,
    protected_name_remove,
    registration_open,
    role_set,
)

__all__ = [
    "PROFILE_FIELDS",
    "REGISTRATION_FIELDS",
    "RegistrationData",
    "account_verify",
    "admin_create",
    "avatar_set",
    "certificate_add",
    "email_confirm",
    "email_confirmation_token",
    "certificate_open",
    "certificate_review",
    "email_index",
    "language_set",
    "mobile_index",
    "profile_update",
    "protected_name_add",
    "protected_name_remove",
    "registration_open",
    "registration_update",
    "role_set",
    "user_register",
]
