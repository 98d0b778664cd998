import hashlib
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspiracle.core.fields import EncryptedTextField
from inspiracle.core.storage import private_storage

username_validator = RegexValidator(
    r"^[a-z0-9_]{2,30}$",
    _("Use 2 to 30 characters: lowercase letters a-z, digits and underscores."),
)


class UserManager(BaseUserManager):
    def get_by_natural_key(self, username):
        return self.get(username=(username or "").strip().lower())

    def create_superuser(self, *args, **kwargs):
        # Django's createsuperuser makes a bare row; an account here needs registration information and
        # consents (REG-1, REG-5), so the operator is sent to the command that makes a whole one.
        from django.core.management.base import CommandError

        raise CommandError(
            "Inspiracle administrators are made with `./run create-admin USERNAME --email ... --legal-name ... "
            "--mobile ... --mailing-address ...` (see README, 'The first administrator')."
        )


class User(AbstractBaseUser):
    class Kind(models.TextChoices):
        PERSON = "person", _("Individual")
        ORGANIZATION = "organization", _("Organization")

    class StaffRole(models.TextChoices):
        NONE = "", _("Not staff")
        MODERATOR = "moderator", _("Moderator")
        LEGAL_OFFICER = "legal_officer", _("Legal officer")
        ADMIN = "admin", _("Administrator")

    username = models.CharField(_("username"), max_length=30, unique=True, validators=[username_validator])
    kind = models.CharField(_("account type"), max_length=12, choices=Kind.choices, default=Kind.PERSON)
    staff_role = models.CharField(max_length=16, choices=StaffRole.choices, blank=True, default="")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    language = models.CharField(max_length=8, default="zh-hans", choices=settings.LANGUAGES)
    # ACC-2: verified accounts (organizations, notable creators) carry a badge.
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # ACC-3: cancellation. Requested -> (restored: all three cleared) or, once ``cancel_effective_at`` (the
    # end of the cooling-off) has passed, anonymized by the privacy job. ``cancel_due_at`` is the date the
    # user was told (15 PRC working days). Changed only by ``accounts.cancellation.cancellation_transition``.
    cancel_requested_at = models.DateTimeField(null=True, blank=True)
    cancel_effective_at = models.DateTimeField(null=True, blank=True)
    cancel_due_at = models.DateTimeField(null=True, blank=True)
    anonymized_at = models.DateTimeField(null=True, blank=True)

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects = UserManager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True) | Q(verified_by__isnull=False) | Q(staff_role="admin"),
                name="user_verified_has_verifier",
            ),
            models.CheckConstraint(
                condition=Q(
                    cancel_requested_at__isnull=True,
                    cancel_effective_at__isnull=True,
                    cancel_due_at__isnull=True,
                    anonymized_at__isnull=True,
                )
                | Q(
                    cancel_requested_at__isnull=False,
                    cancel_effective_at__isnull=False,
                    cancel_due_at__isnull=False,
                ),
                name="user_cancellation_dates_together",
            ),
        ]

    def __str__(self):
        return self.username

    @property
    def is_staff(self) -> bool:
        return bool(self.staff_role)

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def is_organization(self) -> bool:
        return self.kind == self.Kind.ORGANIZATION

    @property
    def cancel_pending(self) -> bool:
        """ACC-3: cancellation asked for and not yet carried out (cooling-off, or waiting for the job)."""
        return self.cancel_requested_at is not None and self.anonymized_at is None


class RegistrationInfo(models.Model):
    """What REG-5 requires at registration. Every value is personal information: encrypted at rest, with
    keyed hashes (blind indexes) where the platform must find or de-duplicate by value (PRV-1)."""

    user = models.OneToOneField(User, primary_key=True, on_delete=models.CASCADE, related_name="registration")
    legal_name = EncryptedTextField()
    mailing_address = EncryptedTextField()
    mobile = EncryptedTextField()
    mobile_index = models.CharField(max_length=64, unique=True)
    landline = EncryptedTextField(blank=True, default="")
    email = EncryptedTextField(blank=True, default="")
    email_index = models.CharField(max_length=64, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["email_index"], condition=~Q(email_index=""), name="unique_email")
        ]

    def __str__(self):
        return f"registration of {self.user_id}"


class CertificateQuerySet(models.QuerySet["OrganizationCertificate"]):
    def newest(self) -> "OrganizationCertificate | None":
        return self.order_by("-uploaded_at", "-pk").first()

    def newest_per_user(self) -> "CertificateQuerySet":
        """Each user's newest scan only: the one staff review (an older scan still pending was replaced)."""
        newest = (
            OrganizationCertificate.objects.filter(user=OuterRef("user"))
            .order_by("-uploaded_at", "-pk")
            .values("pk")[:1]
        )
        return self.filter(pk=Subquery(newest))


class OrganizationCertificate(models.Model):
    """A scan of an organization's registration certificate (REG-5), stored encrypted in private storage.
    Staff accept it, which verifies the account (ACC-2), or refuse it with a reason the organization reads;
    it then uploads a new scan. Only an organization's newest scan is reviewed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="certificates")
    file = models.FileField(storage=private_storage, upload_to="certificates/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # Who decided stays on the record (PROTECT): a staff account with decisions is never deleted.
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    refused_at = models.DateTimeField(null=True, blank=True)
    refused_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    refusal_reason = models.TextField(max_length=2000, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "refused"]), name="certificate_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status="accepted", accepted_at__isnull=False, accepted_by__isnull=False)
                | (~Q(status="accepted") & Q(accepted_at__isnull=True, accepted_by__isnull=True)),
                name="certificate_accepted_has_when_and_who",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="refused", refused_at__isnull=False, refused_by__isnull=False)
                    & ~Q(refusal_reason="")
                )
                | (
                    ~Q(status="refused")
                    & Q(refused_at__isnull=True, refused_by__isnull=True, refusal_reason="")
                ),
                name="certificate_refused_has_when_who_and_why",
            ),
        ]

    def __str__(self):
        return f"certificate {self.pk} of {self.user_id}"


class Profile(models.Model):
    """The public face of an account; only what the owner chose is shown (PRV-6)."""

    user = models.OneToOneField(User, primary_key=True, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(_("display name"), max_length=40)
    display_name_skeleton = models.CharField(max_length=120, db_index=True)
    bio = models.TextField(_("about"), max_length=1000, blank=True, validators=[MaxLengthValidator(1000)])
    location = models.CharField(_("location"), max_length=60, blank=True)
    website = models.URLField(_("website"), max_length=200, blank=True)
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    # ACC-1: the avatar's perceptual-hash keys, compared with verified accounts' avatars.
    avatar_keys = models.JSONField(default=list, blank=True)
    show_bio = models.BooleanField(_("show my about text"), default=True)
    show_location = models.BooleanField(_("show my location"), default=False)
    show_website = models.BooleanField(_("show my website"), default=False)
    show_joined = models.BooleanField(_("show when I joined"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.display_name


class ProtectedName(models.Model):
    """A name nobody may take as a display name (ACC-1): brands, public figures, the platform itself."""

    name = models.CharField(max_length=80)
    skeleton = models.CharField(max_length=240, unique=True)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self):
        return self.name


class UserSession(AbstractBaseSession):
    """Django's database session plus who, from where and when, so a user can list and revoke them."""

    user = models.ForeignKey(User, null=True, on_delete=models.CASCADE, related_name="sessions")
    ref = models.CharField(max_length=16, db_index=True)
    ip = models.CharField(max_length=45, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    @classmethod
    def get_session_store_class(cls):
        from inspiracle.accounts.session_store import SessionStore

        return SessionStore

    @staticmethod
    def ref_for(session_key: str) -> str:
        # The key itself is the cookie's secret: pages and the API name a session by a digest of it.
        return hashlib.sha256(session_key.encode()).hexdigest()[:16]


class ApiToken(models.Model):
    """A personal access token for scripts (UX-2). Only a SHA-256 digest is kept; the token is shown once.

    Every token expires and carries scopes, so a token that leaks does less for less long: ``read`` (safe
    methods), ``write`` (the owner's own changes; includes read), ``staff`` (the staff endpoints, staff only)."""

    class Scope(models.TextChoices):
        READ = "read", _("Read: look, change nothing")
        WRITE = "write", _("Write: act as you (upload, edit, report, licensing)")
        STAFF = "staff", _("Staff: the staff endpoints (staff accounts only)")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=60)
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    # Space-separated, in the order of ``Scope`` (as OAuth writes them).
    scopes = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(scopes=""), name="api_token_has_scopes")]

    def __str__(self):
        return f"{self.name} ({self.prefix})"

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    def scope_labels(self) -> list[str]:
        return [str(self.Scope(scope).label) for scope in self.scope_list]

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()


class TotpDevice(models.Model):
    """TOTP two-factor sign-in (REG-4). ``last_step`` stops a code from being used twice."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp")
    secret = EncryptedTextField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=0)

    def __str__(self):
        return f"totp of {self.user_id}"


class RecoveryCode(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"recovery code {self.pk} of {self.user_id}"
