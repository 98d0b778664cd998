"""Test settings: the same as production shape where it matters, faster where it does not."""

import os
import tempfile

os.environ.setdefault("INSPIRACLE_DATA_DIR", tempfile.mkdtemp(prefix="inspiracle-test-"))
os.environ.setdefault(
    "PII_KEYRING",
    '{"active": "t1", "keys": {"t1": "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktMzJieXQ="},'
    ' "index_key": "dGVzdC1pbmRleC1rZXktdGVzdC1pbmRleC1rZXktMzI="}',
)
# A fixed Ed25519 key for the proof log (WRK-10); the production-shaped subprocess tests pass it on.
os.environ.setdefault(
    "PROOF_SIGNING_KEY",
    "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIO0TTUmLE7dnjf+5kE93ymvhGSnk/VqqIjlmTk69V1Ad\n-----END PRIVATE KEY-----",
)
# The webhook secret of the payment provider (COM-5); the production-shaped subprocess tests pass it on.
os.environ.setdefault("PAYMENT_WEBHOOK_SECRET", "test-webhook-secret-not-for-production-0123456789")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdefghijklmnop")

from config.settings import *  # noqa: E402,F403
from config.settings import DATA_DIR, DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; Argon2 is tested on its own
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
(DATA_DIR / "static").mkdir(parents=True, exist_ok=True)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
ALLOWED_HOSTS = ["*"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: the PII test reads the raw database file, and the browser tests share it.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
