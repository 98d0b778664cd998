"""Inspiracle settings. Everything an operator changes comes from the environment (see docs/configuration.md).

Two shapes: the embedded default (no variables at all: SQLite, local files, a Celery broker on SQLite, keys
generated into the data folder) and production (``PRODUCTION=true``: TLS, secure cookies, HSTS, every secret
given explicitly).
"""

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from inspiracle.core.crypto import new_keyring_json
from inspiracle.core.csp import s3_image_origins
from inspiracle.core.env import envbool, envint, envlist, envstr
from inspiracle.core.logconfig import json_logging
from inspiracle.proofs.keys import new_signing_key_pem

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(envstr("INSPIRACLE_DATA_DIR", str(BASE_DIR / "var"))).resolve()

PRODUCTION = envbool("PRODUCTION", False)
DEBUG = envbool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be false when PRODUCTION=true")


def _embedded_secret(filename: str, make) -> str:
    """A secret generated once into the data folder: only for the embedded default, never production."""
    if PRODUCTION:
        raise ImproperlyConfigured(f"PRODUCTION=true needs this secret set explicitly (see {filename})")
    path = DATA_DIR / filename
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(make(), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


# Behind a reverse proxy: how many proxies append to X-Forwarded-For (0: use the socket's address).
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)

# --- Core -------------------------------------------------------------------------------------------------
SECRET_KEY = envstr("SECRET_KEY") or _embedded_secret("secret_key", lambda: secrets.token_urlsafe(50))
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "inspiracle.core",
    "inspiracle.audit",
    "inspiracle.outbox",
    "inspiracle.accounts",
    "inspiracle.agreements",
    "inspiracle.works",
    "inspiracle.pipeline",
    "inspiracle.proofs",
    "inspiracle.notifications",
    "inspiracle.licensing",
    "inspiracle.reposts",
    "inspiracle.payments",
    "inspiracle.shop",
    "inspiracle.moderation",
    "inspiracle.reports",
    "inspiracle.messaging",
    "inspiracle.staff",
    "inspiracle.exports",
    "inspiracle.privacy",
    "inspiracle.disclosure",
    "inspiracle.backup",
]

MIDDLEWARE = [
    # Probes first: answered before the HTTPS redirect and the host check (a load balancer asks by address).
    "inspiracle.core.health.HealthProbeMiddleware",
    "inspiracle.core.logging.RequestIdMiddleware",
    "inspiracle.core.http.OriginMiddleware",
    "inspiracle.core.privacy.NoStoreMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "inspiracle.core.http.SameForEveryoneMiddleware",  # after session and locale on the way out
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "inspiracle.core.http.RequestSizeMiddleware",
    "inspiracle.core.http.PathCheckMiddleware",
    "inspiracle.accounts.middleware.SessionTouchMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "inspiracle.agreements.gate.ConsentGateMiddleware",
    "inspiracle.privacy.gate.CancellationGateMiddleware",  # ACC-3: only restoring during the cooling-off
    "inspiracle.core.views.ErrorPageMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "inspiracle.core.context_processors.site",
                "inspiracle.notifications.context_processors.inbox",
                "inspiracle.messaging.context_processors.messages_unread",
                "inspiracle.agreements.context_processors.consent",
            ],
        },
    }
]

# --- Database ---------------------------------------------------------------------------------------------
# SQLite in WAL mode by default; PostgreSQL (psycopg 3) through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{DATA_DIR / 'inspiracle.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Kept open like PostgreSQL's: opening one and running the pragmas below cost more than a cached page.
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: a writing transaction takes the write lock when it starts, so two writers queue
        # instead of one failing with "database is locked" half-way (the audit chain relies on it).
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }

# --- Accounts and sessions -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["inspiracle.accounts.backends.AccountBackend"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:signin"
LOGIN_REDIRECT_URL = "accounts:me"
LOGOUT_REDIRECT_URL = "home"
SESSION_ENGINE = "inspiracle.accounts.session_store"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 14 * 24 * 3600)
PASSWORD_RESET_TIMEOUT = 3600

# Sign-in throttling (REG-4): after SIGNIN_SLOWDOWN_AFTER failures each try waits twice as long as the last;
# SIGNIN_LOCKOUT_AFTER failures within the window lock the account (and, far higher, the address) for a while.
SIGNIN_SLOWDOWN_AFTER = envint("SIGNIN_SLOWDOWN_AFTER", 3)
SIGNIN_LOCKOUT_AFTER = envint("SIGNIN_LOCKOUT_AFTER", 8)
SIGNIN_IP_LOCKOUT_AFTER = envint("SIGNIN_IP_LOCKOUT_AFTER", 50)
SIGNIN_WINDOW_SECONDS = envint("SIGNIN_WINDOW_SECONDS", 15 * 60)
SIGNIN_LOCKOUT_SECONDS = envint("SIGNIN_LOCKOUT_SECONDS", 15 * 60)
# Reset mails per address and requests per network in an hour; registration tries per network in an hour.
PASSWORD_RESETS_PER_HOUR_PER_ADDRESS = envint("PASSWORD_RESETS_PER_HOUR_PER_ADDRESS", 3)
PASSWORD_RESETS_PER_HOUR_PER_IP = envint("PASSWORD_RESETS_PER_HOUR_PER_IP", 10)
REGISTRATIONS_PER_HOUR_PER_IP = envint("REGISTRATIONS_PER_HOUR_PER_IP", 10)
# ACC-3: days during which a cancelled account can be restored. Cancellation completes within 15 PRC working
# days of the request, which are never fewer than 15 calendar days: a longer cooling-off would break that.
ACCOUNT_CANCEL_COOLING_OFF_DAYS = envint("ACCOUNT_CANCEL_COOLING_OFF_DAYS", 15)
if not 1 <= ACCOUNT_CANCEL_COOLING_OFF_DAYS <= 15:
    raise ImproperlyConfigured("ACCOUNT_CANCEL_COOLING_OFF_DAYS: choose 1 to 15 days (ACC-3)")

# --- Personal information at rest (PRV-1) ------------------------------------------------------------------
# The key ring is JSON: {"active": "<id>", "keys": {"<id>": "<base64 32 bytes>"}, "index_key": "<base64>"}.
# It lives outside the database: PII_KEYRING or PII_KEYRING_FILE; generated into the data folder by default.
PII_KEYRING = envstr("PII_KEYRING") or _embedded_secret("pii-keyring.json", new_keyring_json)

# --- Proof of creation (WRK-10) ---------------------------------------------------------------------------
# The Ed25519 key that signs the proof log's tree heads, an unencrypted PKCS#8 PEM. Outside the database like
# the PII key ring: PROOF_SIGNING_KEY or PROOF_SIGNING_KEY_FILE; generated into the data folder by default.
PROOF_SIGNING_KEY = envstr("PROOF_SIGNING_KEY") or _embedded_secret(
    "proof-signing-key.pem", new_signing_key_pem
)
# After a key rotation: the public keys (PEM blocks) that signed earlier tree heads, so they stay verifiable.
PROOF_RETIRED_KEYS = envstr("PROOF_RETIRED_KEYS")

# --- Personal access tokens (UX-2) -------------------------------------------------------------------------
# Every token expires: after API_TOKEN_DEFAULT_DAYS unless its owner picks another term, at most
# API_TOKEN_MAX_DAYS. A token that leaks is then only good for so long.
API_TOKEN_DEFAULT_DAYS = envint("API_TOKEN_DEFAULT_DAYS", 90)
API_TOKEN_MAX_DAYS = envint("API_TOKEN_MAX_DAYS", 365)
if not 1 <= API_TOKEN_DEFAULT_DAYS <= API_TOKEN_MAX_DAYS:
    raise ImproperlyConfigured("API_TOKEN_DEFAULT_DAYS must be at least 1 and at most API_TOKEN_MAX_DAYS")

# --- Internationalization ---------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English shows a 24-hour clock (config/formats/en): "a.m." at the end of a sentence read "a.m..".
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

# --- Files ------------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
PRIVATE_ROOT = DATA_DIR / "private"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # a larger body's files go to temporary files on disk
# The first handler keeps files with odd names ("..") and refuses nameless ones with a reason (core/uploads.py).
FILE_UPLOAD_HANDLERS = [
    "inspiracle.core.uploads.OddNamesKept",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
CERTIFICATE_MAX_BYTES = envint("CERTIFICATE_MAX_BYTES", 10 * 1024 * 1024)
AVATAR_MAX_BYTES = envint("AVATAR_MAX_BYTES", 5 * 1024 * 1024)
IMAGE_MAX_PIXELS = envint("IMAGE_MAX_PIXELS", 50_000_000)
# Works (WRK-1): per-file limits, checked by content in the pipeline, and files per work.
WORK_FILE_MAX_BYTES = envint("WORK_FILE_MAX_BYTES", 50 * 1024 * 1024)
WORK_MAX_FILES = envint("WORK_MAX_FILES", 12)
IMAGE_MAX_FRAMES = envint("IMAGE_MAX_FRAMES", 300)
# Progressive JPEG passes (each decodes the whole picture again); 500 is libjpeg-turbo's own default.
IMAGE_MAX_SCANS = envint("IMAGE_MAX_SCANS", 500)
# Decoding an avatar, certificate or report document runs in a child process with these limits (issue 10).
DECODE_CPU_SECONDS = envint("DECODE_CPU_SECONDS", 10)
DECODE_MEMORY_BYTES = envint("DECODE_MEMORY_BYTES", 1024 * 1024 * 1024)
# The largest request body accepted at all: a full work's files plus room for the form.
REQUEST_MAX_BYTES = envint("REQUEST_MAX_BYTES", WORK_MAX_FILES * WORK_FILE_MAX_BYTES + 2 * 1024 * 1024)

# S3-compatible object storage (OPS-2): set S3_BUCKET and both storages move there. Objects stay private;
# files are handed out by the views that check access, as short-lived signed URLs.
S3_BUCKET = envstr("S3_BUCKET")
if S3_BUCKET:
    _s3 = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": envstr("S3_ENDPOINT_URL") or None,
        "region_name": envstr("S3_REGION") or None,
        "access_key": envstr("S3_ACCESS_KEY_ID") or None,
        "secret_key": envstr("S3_SECRET_ACCESS_KEY") or None,
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 300,
        "file_overwrite": False,
        "signature_version": "s3v4",
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3, "location": "media"},
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3, "location": "private"},
    }

# Malware scanning (WRK-2): clamd's address, "unix:///run/clamav/clamd.ctl" or "tcp://127.0.0.1:3310".
# Production refuses to start without it; the embedded default marks files "not scanned" for the reviewer.
CLAMD_ADDRESS = envstr("CLAMD_ADDRESS")
CLAMD_TIMEOUT = envint("CLAMD_TIMEOUT", 60)
if PRODUCTION and not CLAMD_ADDRESS:
    raise ImproperlyConfigured("PRODUCTION=true needs CLAMD_ADDRESS (the ClamAV daemon that scans uploads)")

# --- Moderation -------------------------------------------------------------------------------------------
# MOD-6: how long a strike counts against an account.
STRIKE_EXPIRY_DAYS = envint("STRIKE_EXPIRY_DAYS", 365)

# --- Reports (RPT) ----------------------------------------------------------------------------------------
REPORT_DEADLINE_WORKING_DAYS = envint("REPORT_DEADLINE_WORKING_DAYS", 15)  # RPT-6
if not 1 <= REPORT_DEADLINE_WORKING_DAYS <= 15:
    # The agreements promise an answer within 15 working days: a longer deadline would break that promise.
    raise ImproperlyConfigured(
        f"REPORT_DEADLINE_WORKING_DAYS={REPORT_DEADLINE_WORKING_DAYS}: choose 1 to 15 working days "
        "(the agreements promise reporters an answer within 15)"
    )
# RPT-9: this many strikes counting (within STRIKE_EXPIRY_DAYS) lead to a warning, a publishing restriction, a ban.
STRIKE_WARNING_AT = envint("STRIKE_WARNING_AT", 1)
STRIKE_RESTRICTION_AT = envint("STRIKE_RESTRICTION_AT", 2)
STRIKE_BAN_AT = envint("STRIKE_BAN_AT", 3)
STRIKE_RESTRICTION_DAYS = envint("STRIKE_RESTRICTION_DAYS", 30)  # how long that publishing restriction lasts
# RPT-10: identity documents and proofs are deleted this long after a report is closed.
REPORT_DOCUMENTS_RETENTION_DAYS = envint("REPORT_DOCUMENTS_RETENTION_DAYS", 180)
# RPT-13: how long a verified rights holder profile can be reused.
RIGHTS_PROFILE_VALID_DAYS = envint("RIGHTS_PROFILE_VALID_DAYS", 365)
REPORT_EVIDENCE_MAX_BYTES = envint("REPORT_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
REPORTS_PER_HOUR_PER_IP = envint("REPORTS_PER_HOUR_PER_IP", 10)

# --- Messaging (COM-7) ------------------------------------------------------------------------------------
# Messages one user may send in 10 minutes, and new direct threads one user may start in a day.
MESSAGES_PER_10_MINUTES = envint("MESSAGES_PER_10_MINUTES", 30)
DIRECT_THREADS_PER_DAY = envint("DIRECT_THREADS_PER_DAY", 10)
# A reader is told of the first message they have not read; by e-mail at most this often per thread.
MESSAGE_EMAIL_EVERY_MINUTES = envint("MESSAGE_EMAIL_EVERY_MINUTES", 15)

# --- Jobs (Celery) ----------------------------------------------------------------------------------------
CELERY_BROKER_URL = envstr("CELERY_BROKER_URL", f"sqla+sqlite:///{DATA_DIR / 'celery-broker.sqlite3'}")
CELERY_RESULT_BACKEND = envstr("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Hard and soft limits of every job (the upload pipeline's above all); they hold in every set-up, `serve`
# included, because workers run the prefork pool (a solo pool ignores them).
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 240) or None
# ACC-4: building one download-my-data archive (originals of hundreds of MB) has its own, longer limit.
EXPORT_BUILD_TIME_LIMIT = envint("EXPORT_BUILD_TIME_LIMIT", 3600)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")

# --- Licensing (COM-1, COM-2) -----------------------------------------------------------------------------
# A request whose latest proposal nobody answers in this many days expires; both parties are told.
LICENSING_REQUEST_EXPIRY_DAYS = envint("LICENSING_REQUEST_EXPIRY_DAYS", 14)
LICENSING_MAX_WORKS = envint("LICENSING_MAX_WORKS", 20)  # works of one creator in one request
LICENSING_REQUESTS_PER_DAY = envint("LICENSING_REQUESTS_PER_DAY", 20)  # new requests one account sends
LICENSING_PROPOSALS_PER_HOUR = envint("LICENSING_PROPOSALS_PER_HOUR", 30)  # proposals and answers per account

# --- Shop (COM-4, COM-5) ----------------------------------------------------------------------------------
# Amounts in fen (1/100 yuan). A payout is asked for from SHOP_PAYOUT_MIN_FEN of available balance upwards.
SHOP_MAX_PRICE_FEN = envint("SHOP_MAX_PRICE_FEN", 10_000_00)
SHOP_MAX_QUANTITY = envint("SHOP_MAX_QUANTITY", 20)  # of one variant in one order
SHOP_MAX_CART_LINES = envint("SHOP_MAX_CART_LINES", 50)  # different variants in one cart (and so one order)
SHOP_PAYOUT_MIN_FEN = envint("SHOP_PAYOUT_MIN_FEN", 100_00)

# --- Payments (COM-5) -------------------------------------------------------------------------------------
# The provider's class (a dotted path): the built-in test provider by default; a real one plugs in here (see
# inspiracle/payments/registry.py for what it implements).
PAYMENT_PROVIDER = envstr("PAYMENT_PROVIDER", "inspiracle.payments.providers.test.TestProvider")
# The test provider marks orders paid without money: a production site runs it only when told it is a staging
# site (PAYMENT_TEST_MODE=true), never by leaving PAYMENT_PROVIDER unset.
PAYMENT_TEST_MODE = envbool("PAYMENT_TEST_MODE", not PRODUCTION)
if (
    PRODUCTION
    and not PAYMENT_TEST_MODE
    and PAYMENT_PROVIDER.startswith("inspiracle.payments.providers.test.")
):
    raise ImproperlyConfigured(
        "PRODUCTION=true with the built-in test payment provider would take orders without money: set "
        "PAYMENT_PROVIDER to a real provider's class, or PAYMENT_TEST_MODE=true for a staging site"
    )
# The shared secret that signs the provider's webhooks: PAYMENT_WEBHOOK_SECRET or PAYMENT_WEBHOOK_SECRET_FILE;
# generated into the data folder by default, required in production (a guessable one would let anyone mark
# orders paid).
PAYMENT_WEBHOOK_SECRET = envstr("PAYMENT_WEBHOOK_SECRET") or _embedded_secret(
    "payment-webhook-secret", lambda: secrets.token_urlsafe(32)
)

# --- Email ------------------------------------------------------------------------------------------------
# SMTP in production (a local MTA unless EMAIL_HOST says otherwise); the embedded default prints mail to the
# console, where `serve` shows it.
if PRODUCTION or envstr("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": envstr("EMAIL_HOST", "localhost"),
                "port": envint("EMAIL_PORT", 587 if envstr("EMAIL_HOST") else 25),
                "username": envstr("EMAIL_HOST_USER"),
                "password": envstr("EMAIL_HOST_PASSWORD"),
                "use_tls": envbool("EMAIL_USE_TLS", True),
                # Shorter than the outbox delivery job's time limit: a hung server is a retry, not a kill.
                "timeout": envint("EMAIL_TIMEOUT", 30),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "inspiracle.core.mail.ReadableConsoleBackend"}}
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Inspiracle <no-reply@inspiracle.example>")
# RPT-12: where people reach the platform about rights and reports; shown wherever contact is explained.
CONTACT_EMAIL = envstr("CONTACT_EMAIL", "legal@inspiracle.example")

# --- Security (PRV-2) -------------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    # With S3 on, images are redirects to signed addresses in the bucket: its origin may serve images
    # (S3_IMAGE_ORIGINS adds others, e.g. a CDN in front of the bucket).
    "img-src": [CSP.SELF, "data:", *s3_image_origins(STORAGES), *envlist("S3_IMAGE_ORIGINS", [])],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Probes ask over plain HTTP from inside the network (they are also answered before this middleware runs).
SECURE_REDIRECT_EXEMPT = [r"^health/"]
HEALTH_CHECK_TIMEOUT = envint("HEALTH_CHECK_TIMEOUT", 3)  # seconds for each readiness check (OPS-3)
if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CSP["upgrade-insecure-requests"] = True

# --- Logging: one JSON object a line (OPS-3) ---------------------------------------------------------------
# Web and worker alike: every handler adds the request id and takes secrets out (inspiracle/core/logging.py).
# The worker keeps this configuration instead of installing Celery's own text handlers.
LOGGING = json_logging(
    envstr("LOG_LEVEL", "INFO"),
    {
        "django.server": {"level": "WARNING"},
        "celery.task": {"handlers": ["console"], "propagate": False},
    },
)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
