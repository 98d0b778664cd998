"""Model fields for personal information (PRV-1)."""

from django.db import models

from inspiracle.core import crypto
from inspiracle.core.privacy import personal_data_read


class EncryptedTextField(models.TextField):
    """Text stored as AES-GCM ciphertext bound to its column. Empty strings stay empty (nothing to hide).

    Not searchable: pair it with a blind-index column where look-ups or uniqueness are needed.
    """

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.purpose = f"{cls._meta.label}.{name}"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value, purpose=self.purpose)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        personal_data_read()  # the response that may show it is not stored by any cache
        return crypto.decrypt(value, purpose=self.purpose)
