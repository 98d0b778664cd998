"""The private storage (certificates, works): never under a public URL (WRK-3, PRV-3).

File fields hold a proxy that looks the storage up in ``settings.STORAGES`` when first used, and again after
the setting changes (tests give every test its own folders), rather than an instance fixed at import.
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class _PrivateStorage(LazyObject):
    _wrapped: object  # the storage, or ``empty`` until first used

    def _setup(self):
        self._wrapped = storages["private"]


private = _PrivateStorage()


def private_storage():
    """For ``FileField(storage=private_storage)``: migrations refer to this function, not to an instance."""
    return private


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        private._wrapped = empty
